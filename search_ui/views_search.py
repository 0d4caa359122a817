"""Reviewer pages: search, document view, downloads and page images.

Every read of a document is checked against the official's department scope (out of scope looks
like missing: 404) and written into the access log with the session's purpose.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from archive.search_index import parse_query
from search_ui import pages as page_images
from search_ui import queries
from search_ui.access import INTAKE_ROLES, RECORDS_ROLES
from search_ui.auth import HOME_BY_ROLE, log_read
from search_ui.certified import certified_of
from search_ui.current import current_scope, services, web
from search_ui.highlight import page_html
from search_ui.records_history import current_hold, records_events, timeline

bp = Blueprint("search", __name__)
VIEWED_KEEP = 50  # documents remembered per session as "read and logged" (for their page images)


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        return default


@bp.get("/")
def home():
    """Each role starts on its own page (counter staff on intake, the records unit on records...)."""
    return redirect(url_for(HOME_BY_ROLE.get(g.user.role, "search.search")))


@bp.get("/search")
def search():
    text = request.args.get("q", "").strip()
    result = queries.search(
        services(),
        text,
        filters=request.args.to_dict(),
        page=_int_arg("page", 1),
        sort=request.args.get("sort", "relevance"),
        scope=current_scope(),
        confirmed=web().intake.confirmation,
        exact=queries.exact_flag(request.args.get("exact")),
    )
    return render_template("search.html", result=result, q=text)


def _document_or_404(doc_id: str):
    found = queries.load_document(services(), doc_id, current_scope(), web().intake.dossiers_linking)
    if found is None:
        abort(404)
    return found


def _ask_purpose():
    return redirect(url_for("auth.purpose", next=request.full_path))


def _remember_viewed(doc_id: str) -> None:
    viewed = [d for d in session.get("viewed", []) if d != doc_id]
    session["viewed"] = [*viewed, doc_id][-VIEWED_KEEP:]


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    row, doc = _document_or_404(doc_id)
    if not log_read(row, "view", once=True):
        return _ask_purpose()
    _remember_viewed(doc_id)
    q = request.args.get("q", "")
    parts = parse_query(q)
    pages = [
        {
            "number": p.number,
            "lines": page_html(p.text, parts),
            "confidence": p.confidence,
            "warnings": p.warnings,
        }
        for p in doc.pages
    ]
    state = web()
    events = records_events(services().repository, doc_id)
    history = timeline(
        services().jobs.by_doc_id(doc_id),
        events,
        queries.visible_links(services(), state.intake.links_of_document(doc_id), current_scope()),
        state.access_log.of_document(doc_id, 20) if g.user.role in RECORDS_ROLES else [],
    )
    return render_template(
        "document.html",
        row=row,
        doc=doc,
        pages=pages,
        q=q,
        history=history,
        hold=current_hold(events) if doc.legal_hold else None,
        confirmed=state.intake.confirmation(doc_id),
        certified=certified_of(doc),
    )


def _download(doc_id: str, which: str):
    """Send the document's ``archival`` PDF/A or its ``original`` file, once the read is logged."""
    row, doc = _document_or_404(doc_id)
    stored = doc.archival if which == "archival" else doc.original
    if stored is None:
        abort(404)
    if not log_read(row, f"download_{which}"):
        return _ask_purpose()
    name = f"{doc.id}.pdf" if which == "archival" else (doc.original_name or doc.id)
    return send_file(
        services().store.open(stored.key),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=name,
    )


@bp.get("/documents/<doc_id>/certified.pdf")
def download_certified(doc_id: str):
    """The newest stored certified copy (signed PDF/A), once the read is logged."""
    row, doc = _document_or_404(doc_id)
    if not doc.certified_copies:
        abort(404)
    if not log_read(row, "download_certified"):
        return _ask_purpose()
    copy = doc.certified_copies[-1]
    return send_file(
        services().store.open(copy["key"], copy.get("version_id") or None),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{doc.id}.ban-sao-dien-tu.pdf",
    )


@bp.get("/documents/<doc_id>/archival.pdf")
def download_archival(doc_id: str):
    return _download(doc_id, "archival")


@bp.get("/documents/<doc_id>/original")
def download_original(doc_id: str):
    return _download(doc_id, "original")


def _reused_here(doc_id: str) -> bool:
    """The page is shown on the intake screen of a dossier (``dossier``) in the official's scope
    that the document was reused into: part of that intake (the reuse itself is audited)."""
    code = request.args.get("dossier", "")
    row = services().catalogue.dossier(code) if code else None
    if row is None or not current_scope().can_see(row):
        return False
    return code in web().intake.dossiers_linking(doc_id)


@bp.get("/documents/<doc_id>/pages/<int:number>.png")
def page_image(doc_id: str, number: int):
    row, doc = _document_or_404(doc_id)
    # Images shown inside a logged view are part of that read; fetched on their own they are a
    # read. The pages of one's own upload (the intake officer's thumbnails and confirmation
    # screen) are the intake action, recorded as such: not reads of the citizen's document.
    own = g.user.role in INTAKE_ROLES and (doc.digitised_by == g.user.login or _reused_here(doc_id))
    if not own and doc_id not in session.get("viewed", []) and not log_read(row, "page_image"):
        abort(403)
    width = page_images.THUMB_WIDTH if request.args.get("size") == "thumb" else page_images.VIEW_WIDTH
    png = page_images.page_image(services(), doc, number, width)
    if png is None:
        abort(404)
    # A citizen's page: no-store, as every answer but static files (search_ui.guards.no_store).
    return Response(png, mimetype="image/png")
