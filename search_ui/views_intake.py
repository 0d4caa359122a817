"""Counter staff pages: open a dossier, see what the applicant already has on file and reuse it,
upload scans with live OCR progress, confirm the extracted metadata, print the receipt.

The views parse the request, call the dossier use cases (``ingest.dossiers``) and render."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from archive.object_store import ObjectMissing
from ingest.dossiers import confirm as confirming
from ingest.dossiers import documents, notices, opening
from ingest.dossiers import reuse as reusing
from ingest.dossiers.rescan import rescan as rescan_document
from ingest.jobs import OPEN_STATES, Job
from ingest.paper_kinds import PAPER_KINDS
from ingest.refusal import Refusal
from search_ui import refusals
from search_ui.access import INTAKE_ROLES
from search_ui.auth import roles
from search_ui.certified import certified_of_id
from search_ui.confirm_form import form_fields
from search_ui.current import current_scope, services
from search_ui.guards import large_body
from search_ui.i18n import translate as t

bp = Blueprint("intake", __name__, url_prefix="/intake")


def _dossier_or_404(code: str) -> dict:
    row = services().catalogue.dossier(code)
    if row is None or not current_scope().can_see(row):
        abort(404)
    return row


def _start_page(form, status: int = 200):
    scope = current_scope()
    recent = [r for r in services().catalogue.recent_dossiers(200) if scope.can_see(r)][:20]
    offered = [p for p in services().procedures.procedures.values() if scope.allows(p.department)]
    page = render_template(
        "intake_start.html", procedures=offered, recent=recent, channels=opening.CHANNELS, form=form
    )
    return page, status


@bp.get("")
@roles(*INTAKE_ROLES)
def start():
    return _start_page({})


def _back_to_form():
    """The new-dossier form again with what was typed, re-rendered in the answer to the POST: a
    redirect would put the citizen's ID and name into the URL (history, server logs)."""
    typed = {k: v for k, v in request.form.items() if k != "csrf_token"}
    return _start_page(typed, 422)


@bp.post("/dossiers")
@roles(*INTAKE_ROLES)
def create():
    form = request.form
    procedure = services().procedures.find(form.get("procedure", ""))
    if procedure is None or not current_scope().allows(procedure.department):
        flash(t("procedure_unknown"), "error")
        return _back_to_form()
    try:
        code = opening.open_dossier(
            services().dossiers,
            g.user.login,
            procedure,
            form.get("applicant_id", ""),
            form.get("applicant_name", ""),
            form.get("channel", "counter"),
            form.get("dossier_code", "").strip(),
        )
    except Refusal as refusal:
        flash(refusal.message, "error")
        return _back_to_form()
    flash(t("dossier_opened", code=code), "ok")
    return redirect(url_for("intake.dossier", code=code))


@bp.get("/dossiers/<code>")
@roles(*INTAKE_ROLES)
def dossier(code: str):
    row = _dossier_or_404(code)
    desk = services().dossiers
    docs = documents.documents_of(desk, code, pages=True)
    linked = {d["id"] for d in docs}
    on_file = [
        dict(
            r,
            linked=r["id"] in linked,
            certified=certified_of_id(r["id"]),
            confirmed=desk.records.confirmation(r["id"]) is not None,
        )
        for r in reusing.on_file(desk, row["applicant_id"], code)
    ]
    jobs = services().jobs.of_dossier(code)
    return render_template(
        "intake_dossier.html",
        dossier=row,
        documents=docs,
        on_file=on_file,
        jobs=jobs,
        open_jobs=any(j["state"] in OPEN_STATES for j in jobs),
        paper_kinds=PAPER_KINDS,
    )


@bp.post("/dossiers/<code>/files")
@large_body
@roles(*INTAKE_ROLES)
def upload(code: str):
    row = _dossier_or_404(code)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        flash(t("no_files"), "error")
        return redirect(url_for("intake.dossier", code=code))
    role = request.form.get("role", "component")
    joined = request.form.get("one_document") == "1" and len(files) > 1
    words = "file_joined_accepted" if joined else "file_accepted"
    try:
        answers = documents.add_uploads(
            services().dossiers,
            g.user.login,
            row,
            list(files),
            role,
            request.form.get("component_name", ""),
            request.form.get("idempotency_key", ""),
            request.form.get("paper_kind", ""),
            one_document=joined,
        )
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("intake.dossier", code=code))
    results = refusals.in_scope(services(), current_scope(), [r for _, r in answers])
    for (name, _), result in zip(answers, results, strict=True):
        reusable = refusals.reusable_duplicate(services(), row, result)
        if reusable:  # the archived duplicate can be linked here in one click
            _offer_reuse(code, name, result.message, reusable)
            continue
        _say(name, result, lambda job, name=name: t(words, name=name, doc=job.doc_id, n=len(files)))
    return redirect(url_for("intake.dossier", code=code))


def _offer_reuse(code: str, file_name: str, message: str, doc_id: str) -> None:
    """A flash with a "Sử dụng lại" button (base.html renders a mapping as message and form)."""
    flash(
        {  # type: ignore[arg-type]  # Flask keeps any JSON value; base.html renders a mapping
            "text": f"{file_name}: {message}",
            "action": url_for("intake.reuse", code=code),
            "document_id": doc_id,
            "button": t("reuse"),
        },
        "info",
    )


def _say(file_name: str, result, accepted) -> None:
    """Flash what became of one file: ``accepted(job)`` for a job, the refusal's message else."""
    if isinstance(result, Job):
        flash(accepted(result), "ok")
    else:
        flash(f"{file_name}: {result.message}", "error")


@bp.post("/dossiers/<code>/reuse")
@roles(*INTAKE_ROLES)
def reuse(code: str):
    row = _dossier_or_404(code)
    doc_id = request.form.get("document_id", "")
    try:
        added = reusing.reuse(services().dossiers, g.user.login, row, doc_id)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(t("reused" if added else "already_linked", doc=doc_id), "ok")
    return redirect(url_for("intake.dossier", code=code))


@bp.post("/dossiers/<code>/reuse/<doc_id>/undo")
@roles(*INTAKE_ROLES)
def undo_reuse(code: str, doc_id: str):
    """Remove a document linked into the dossier by mistake (the undo is recorded too)."""
    row = _dossier_or_404(code)
    try:
        reusing.undo_reuse(services().dossiers, g.user.login, row, doc_id)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(t("reuse_undone", doc=doc_id), "ok")
    return redirect(url_for("intake.dossier", code=code))


def _dossier_document(code: str, doc_id: str):
    _dossier_or_404(code)
    row = services().catalogue.document(doc_id)
    if row is None or row["dossier_code"] != code:
        abort(404)
    try:
        return row, services().repository.load(doc_id)
    except ObjectMissing:
        abort(404)


@bp.route("/dossiers/<code>/documents/<doc_id>/confirm", methods=["GET", "POST"])
@roles(*INTAKE_ROLES)
def confirm(code: str, doc_id: str):
    row, doc = _dossier_document(code, doc_id)
    desk = services().dossiers
    if request.method == "POST":
        typed = request.form.to_dict()
        try:
            confirming.confirm_metadata(desk, g.user.login, doc, typed)
        except Refusal as refusal:  # the form again with what was typed, and why
            flash(refusal.message, "error")
            return _confirm_page(code, row, doc, typed, None, 422)
        flash(t("metadata_confirmed", doc=doc_id), "ok")
        return redirect(url_for("intake.dossier", code=code))
    values, earlier = confirming.form_values(desk, doc)
    return _confirm_page(code, row, doc, values, earlier)


def _confirm_page(code: str, row: dict, doc, values: dict, earlier: dict | None, status: int = 200):
    """Every page beside the form (the officer sees the signer on the last page too)."""
    fields = form_fields(doc, values, confirmed=earlier is not None)
    page = render_template(
        "intake_confirm.html",
        dossier_code=code,
        doc=doc,
        row=row,
        fields=fields,
        pages=[p.number for p in doc.pages] or [1],
        earlier=earlier,
    )
    return page, status


@bp.post("/dossiers/<code>/documents/<doc_id>/rescan")
@large_body
@roles(*INTAKE_ROLES)
def rescan(code: str, doc_id: str):
    """Replace one page (``page`` >= 1) or the whole document (``page`` = 0) by a new scan."""
    dossier_row = _dossier_or_404(code)
    _row, doc = _dossier_document(code, doc_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(t("no_files"), "error")
        return redirect(url_for("intake.dossier", code=code))
    try:
        result = rescan_document(
            services().dossiers, g.user.login, dossier_row, doc, request.form.get("page", 0, type=int), upload
        )
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("intake.dossier", code=code))
    _say(upload.filename, result, lambda job: t("rescan_accepted", old=doc_id, new=job.doc_id))
    return redirect(url_for("intake.dossier", code=code))


@bp.post("/dossiers/<code>/receipt.pdf")
@roles(*INTAKE_ROLES)
def receipt_pdf(code: str):
    """Issue the receipt as a PDF notice (archived with the dossier) and hand it to the printer."""
    row = _dossier_or_404(code)
    listed = [d for d in documents.documents_of(services().dossiers, code) if "replaced_by" not in d]
    data, name = notices.issue_receipt(
        services().dossiers, g.user.login, g.user.name or g.user.login, row, listed
    )
    return Response(
        data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/dossiers/<code>/receipt")
@roles(*INTAKE_ROLES)
def receipt(code: str):
    row = _dossier_or_404(code)
    center = services().settings.center
    listed = [  # what the applicant handed in, as the printed receipt lists it (not an earlier receipt)
        d
        for d in documents.documents_of(services().dossiers, code)
        if "replaced_by" not in d and d["role"] != "notice"
    ]
    return render_template(
        "intake_receipt.html",
        dossier=row,
        documents=listed,
        center=center,
        departments=services().procedures.departments,
    )
