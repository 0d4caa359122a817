"""Batch scanning pages for counter staff: upload a scanned stack, see which pages went to which
dossier, and route the pages held before the first separator to a dossier (audit-logged).

The views parse the request, call the batch use cases (``ingest.batch``) and render."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from ingest.batch.intake import ingest_uploads
from ingest.batch.move import move_part
from ingest.batch.pages import UnreadableStack
from ingest.batch.route import route_held
from ingest.intake import ROLES
from ingest.refusal import Refusal
from search_ui import batches
from search_ui import pages as page_images
from search_ui.access import INTAKE_ROLES
from search_ui.auth import roles
from search_ui.current import current_scope, services
from search_ui.guards import large_body
from search_ui.i18n import translate as t

bp = Blueprint("batches", __name__, url_prefix="/intake/batches")
MAX_THUMBS = 8  # pages of a held part shown at once; the rest are counted
HELD_WIDTH = 600  # pixels: shown 300 wide, sharp enough to read a heading and a name


@bp.get("")
@roles(*INTAKE_ROLES)
def index():
    book = services().batch_book
    waiting = batches.waiting_parts(services())
    held_now = {(h["batch"], h["name"]) for h in waiting}
    recent = [batches.summary(r, held_now) for r in book.recent()]
    return render_template("intake_batches.html", recent=recent, waiting=waiting)


@bp.post("")
@large_body
@roles(*INTAKE_ROLES)
def upload():
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        flash(t("no_files"), "error")
        return redirect(url_for("batches.index"))
    try:
        batch = ingest_uploads(services().dossiers, files, g.user.login, services().batch_book)
    except UnreadableStack as exc:
        flash(t("batch_unreadable", name=exc.path.name), "error")
        return redirect(url_for("batches.index"))
    except Refusal as refusal:  # e.g. the storage is unreachable: nothing of the stack is lost
        flash(refusal.message, "error")
        return redirect(url_for("batches.index"))
    flash(t("batch_taken", parts=len(batch.items)), "ok")
    return redirect(url_for("batches.batch", batch_id=batch.id))


def _batch_or_404(batch_id: str) -> dict:
    record = services().batch_book.batch(batch_id)
    if record is None:
        abort(404)
    return record


@bp.get("/<batch_id>")
@roles(*INTAKE_ROLES)
def batch(batch_id: str):
    record = _batch_or_404(batch_id)
    scope = current_scope()
    parts = batches.parts_of(services(), scope, record)
    dossiers = [r for r in services().catalogue.recent_dossiers(200) if scope.can_see(r)][:50]
    return render_template(
        "intake_batch.html", batch=record, parts=parts, roles=ROLES, max_thumbs=MAX_THUMBS, dossiers=dossiers
    )


def _held_or_404(batch_id: str, name: str) -> dict:
    held = services().batch_book.held_part(batch_id, name)
    if held is None:
        abort(404)
    return held


@bp.get("/<batch_id>/held/<name>/<int:number>.png")
@roles(*INTAKE_ROLES)
def held_page(batch_id: str, name: str, number: int):
    """A page of a held part, small, so the officer can tell whose papers these are."""
    held = _held_or_404(batch_id, name)
    path = Path(held["file"])
    if held["status"] != "held" or not path.is_file():
        abort(404)
    width = page_images.VIEW_WIDTH if request.args.get("size") == "large" else HELD_WIDTH
    png = page_images.render_page(path.read_bytes(), number, width)
    if png is None or number < 1:
        abort(404)
    return Response(png, mimetype="image/png")


@bp.post("/<batch_id>/held/<name>/route")
@roles(*INTAKE_ROLES)
def route(batch_id: str, name: str):
    held = _held_or_404(batch_id, name)
    code = request.form.get("dossier_code", "").strip()
    dossier = services().catalogue.dossier(code) if code else None
    if dossier is None or not current_scope().can_see(dossier):
        flash(t("batch_route_unknown", code=code or "—"), "error")
        return redirect(url_for("batches.batch", batch_id=batch_id))
    role = request.form.get("role", "component")
    component = request.form.get("component_name", "")
    try:
        job = route_held(
            services().dossiers, services().batch_book, g.user.login, held, dossier, role, component
        )
    except Refusal as refusal:
        flash(f"{name}: {refusal.message}", "error")
    else:
        flash(t("batch_routed", pages=_pages_text(held["pages"]), code=code, doc=job.doc_id), "ok")
    return redirect(url_for("batches.batch", batch_id=batch_id))


def _dossier_in_scope(code: str) -> dict | None:
    dossier = services().catalogue.dossier(code) if code else None
    return dossier if dossier is not None and current_scope().can_see(dossier) else None


@bp.post("/<batch_id>/parts/<int:number>/move")
@roles(*INTAKE_ROLES)
def move(batch_id: str, number: int):
    """Move part ``number`` (1-based, stack order) to another dossier before it is archived."""
    record = _batch_or_404(batch_id)
    if not 1 <= number <= len(record["parts"]):
        abort(404)
    part = record["parts"][number - 1]
    if not current_scope().can_see(services().catalogue.dossier(part.get("dossier_code", ""))):
        abort(404)  # another department's part: not even its existence is confirmed
    code = request.form.get("dossier_code", "").strip()
    dossier = _dossier_in_scope(code)
    if dossier is None:
        flash(t("batch_route_unknown", code=code or "—"), "error")
        return redirect(url_for("batches.batch", batch_id=batch_id))
    role = request.form.get("role", part.get("role") or "component")
    component = request.form.get("component_name", part.get("component", ""))
    try:
        job = move_part(
            services().dossiers,
            services().batch_book,
            g.user.login,
            batch_id,
            number - 1,
            dossier,
            role,
            component,
        )
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(t("batch_moved", pages=_pages_text(part["pages"]), code=code, doc=job.doc_id), "ok")
    return redirect(url_for("batches.batch", batch_id=batch_id))


def _pages_text(pages: list[int]) -> str:
    return f"{pages[0]}-{pages[-1]}" if len(pages) > 1 else str(pages[0])
