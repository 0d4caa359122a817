"""The JSON API under ``/api/v1/``: the same operations, roles and department scope as the pages.

Sign in with ``POST /api/v1/session`` (JSON ``{login, password}``), then send the session cookie
and, on POST, the returned CSRF token in ``X-CSRF-Token``. Reads of documents need a purpose:
``?purpose=processing|citizen_request|inspection|other`` (or the session's).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from ingest.dossiers import documents, opening
from ingest.dossiers import reuse as reusing
from ingest.jobs import Job
from ingest.refusal import Refusal
from search_ui import queries, refusals
from search_ui.access import INTAKE_ROLES
from search_ui.accounts import ROLES
from search_ui.auth import csrf_token, log_read, roles, start_session
from search_ui.certified import certified_of
from search_ui.current import current_scope, services, web
from search_ui.guards import json_body, large_body
from search_ui.i18n import translate as t
from search_ui.openapi import spec
from search_ui.progress_words import progress_words, status_words

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _error(status: int, code: str, message: str):
    return jsonify({"error": code, "message": message}), status


@bp.post("/session")
def session_login():
    if not request.is_json:
        return _error(415, "json_required", "Gửi JSON {login, password}.")
    from search_ui.accounts import Throttled

    body = json_body()
    try:
        user = web().accounts.authenticate(
            str(body.get("login", "")), str(body.get("password", "")), request.remote_addr or ""
        )
    except Throttled:
        return _error(429, "throttled", t("login_throttled"))
    if user is None:
        return _error(401, "login_failed", t("login_failed"))
    start_session(user)
    return jsonify(
        {"login": user.login, "role": user.role, "department": user.department, "csrf_token": csrf_token()}
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/search")
def search():
    try:
        page = int(request.args.get("page", 1))
        per_page = max(1, min(100, int(request.args.get("limit", queries.PER_PAGE))))
    except ValueError:
        return _error(400, "bad_request", "page và limit phải là số nguyên.")
    result = queries.search(
        services(),
        request.args.get("q", ""),
        filters=request.args.to_dict(),
        page=page,
        sort=request.args.get("sort", "relevance"),
        scope=current_scope(),
        per_page=per_page,
        confirmed=web().intake.confirmation,
        exact=queries.exact_flag(request.args.get("exact")),
    )
    hits = [{k: v for k, v in h.items() if k != "snippet_html"} for h in result.hits]
    return jsonify(
        {
            "query": result.query,
            "restored_query": result.restored_query,
            "exact": result.exact,
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "sort": result.sort,
            "filters": result.filters,
            "from": result.date_from,
            "to": result.date_to,
            "facets": result.facets,
            "hits": hits,
        }
    )


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    found = queries.load_document(services(), doc_id, current_scope(), web().intake.dossiers_linking)
    if found is None:
        return _error(404, "not_found", "Không tìm thấy tài liệu.")
    if not log_read(found[0], "api_view"):
        return _error(
            428,
            "purpose_required",
            "Cho biết mục đích truy cập: ?purpose=processing|citizen_request|inspection|other.",
        )
    data = queries.document_json(*found)
    data["confirmed"] = web().intake.confirmation(doc_id)
    links = queries.visible_links(services(), web().intake.links_of_document(doc_id), current_scope())
    data["reused_in"] = [link["dossier_code"] for link in links]
    data["certified_copy"] = certified_of(found[1])
    return jsonify(data)


def _dossier(code: str) -> dict:
    row = services().catalogue.dossier(code)
    if row is None or not current_scope().can_see(row):
        abort(404, description="Không tìm thấy hồ sơ.")
    return row


@bp.post("/dossiers")
@roles(*INTAKE_ROLES)
def create_dossier():
    """Open a dossier: JSON ``{procedure_code, applicant_id, applicant_name?, channel?, dossier_code?}``."""
    body = json_body()
    procedure = services().procedures.find(str(body.get("procedure_code", "")))
    if procedure is None or not current_scope().allows(procedure.department):
        return _error(422, "unknown_procedure", t("procedure_unknown"))
    try:
        code = opening.open_dossier(
            services().dossiers,
            g.user.login,
            procedure,
            str(body.get("applicant_id", "")),
            str(body.get("applicant_name", "")),
            str(body.get("channel", "counter")),
            str(body.get("dossier_code", "")).strip(),
        )
    except Refusal as refusal:
        return _error(422, refusal.reason_code, refusal.message)
    return jsonify(services().catalogue.dossier(code)), 201


@bp.post("/dossiers/<code>/files")
@large_body
@roles(*INTAKE_ROLES)
def upload(code: str):
    """Upload scans (multipart ``files``, ``role``, ``component_name``): one outcome per file, as
    ``sohoa ingest`` prints them; accepted files are OCR'd by the worker (poll ``/jobs``)."""
    row = _dossier(code)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _error(400, "no_files", t("no_files"))
    try:
        answers = documents.add_uploads(
            services().dossiers,
            g.user.login,
            row,
            list(files),
            request.form.get("role", "component"),
            request.form.get("component_name", ""),
            request.headers.get("Idempotency-Key", ""),
            request.form.get("paper_kind", ""),
            one_document=request.form.get("one_document", "") in ("1", "true"),
        )
    except Refusal as refusal:
        return _error(422, refusal.reason_code, refusal.message)
    out = []
    results = refusals.in_scope(services(), current_scope(), [r for _, r in answers])
    for (name, _), result in zip(answers, results, strict=True):
        if isinstance(result, Job):
            out.append(
                {
                    "file": name,
                    "status": "accepted",
                    "document_id": result.doc_id,
                    "job_id": result.id,
                    "reason_code": "",
                    "message": "",
                }
            )
        else:
            out.append({**result.to_dict(), "file": name})
    return jsonify({"dossier": code, "files": out}), 202


@bp.get("/dossiers/<code>")
@roles(*ROLES)
def dossier(code: str):
    row = _dossier(code)
    docs = services().catalogue.documents_of_dossier(code)
    return jsonify(
        {
            **row,
            "documents": docs,
            "reused": web().intake.links_of_dossier(code),
            "jobs": services().jobs.of_dossier(code),
        }
    )


@bp.get("/dossiers/<code>/jobs")
@roles(*INTAKE_ROLES)
def dossier_jobs(code: str):
    _dossier(code)
    jobs = services().jobs.of_dossier(code)
    for job in jobs:
        job["step_label"] = progress_words(job)
        job["state_label"] = t("state_" + job["state"])
        job["status_label"] = status_words(job)  # the status column: the same words as the step
    return jsonify({"dossier": code, "jobs": jobs})


@bp.post("/dossiers/<code>/reuse")
@roles(*INTAKE_ROLES)
def reuse(code: str):
    row = _dossier(code)
    body = json_body()
    try:
        added = reusing.reuse(services().dossiers, g.user.login, row, str(body.get("document_id", "")))
    except Refusal as refusal:
        return _error(422, refusal.reason_code, refusal.message)
    return jsonify({"dossier": code, "document_id": body.get("document_id"), "linked": True, "new": added})


@bp.delete("/dossiers/<code>/reuse/<doc_id>")
@roles(*INTAKE_ROLES)
def undo_reuse(code: str, doc_id: str):
    """Remove a reuse link made by mistake (recorded in the audit log)."""
    row = _dossier(code)
    try:
        reusing.undo_reuse(services().dossiers, g.user.login, row, doc_id)
    except Refusal as refusal:
        return _error(422, refusal.reason_code, refusal.message)
    return jsonify({"dossier": code, "document_id": doc_id, "linked": False})
