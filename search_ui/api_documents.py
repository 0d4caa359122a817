"""JSON API for changes to a document: metadata confirmation (intake) and the records unit's
legal hold and retention extension. Same rules as the pages; send ``X-CSRF-Token``."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from archive.object_store import ObjectMissing
from ingest.dossiers import confirm as confirming
from ingest.refusal import Refusal
from search_ui import records_actions
from search_ui.access import INTAKE_ROLES, RECORDS_ROLES
from search_ui.auth import roles
from search_ui.current import current_scope, services, web
from search_ui.guards import json_body

bp = Blueprint("api_documents", __name__, url_prefix="/api/v1/documents")


def _error(status: int, code: str, message: str):
    return jsonify({"error": code, "message": message}), status


def _run(doc_id: str, change):
    """Run ``change()`` and answer with the document's catalogue row, or the refusal."""
    try:
        change()
    except LookupError:
        return _error(404, "not_found", "Không tìm thấy tài liệu.")
    except Refusal as refusal:
        return _error(422, refusal.reason_code, refusal.message)
    return jsonify(services().catalogue.document(doc_id))


@bp.post("/<doc_id>/confirm")
@roles(*INTAKE_ROLES)
def confirm(doc_id: str):
    """Confirm the metadata (JSON with any of the confirmation fields) of a document of a dossier
    of the official's department."""
    row = services().catalogue.document(doc_id)
    if row is None or not current_scope().can_see(services().catalogue.dossier(row["dossier_code"])):
        return _error(404, "not_found", "Không tìm thấy tài liệu.")
    body = {k: str(v) for k, v in json_body().items()}

    def change():
        try:
            doc = services().repository.load(doc_id)
        except ObjectMissing as exc:
            raise LookupError(doc_id) from exc
        confirming.confirm_metadata(services().dossiers, g.user.login, doc, body)

    return _run(doc_id, change)


@bp.post("/<doc_id>/hold")
@roles(*RECORDS_ROLES)
def hold(doc_id: str):
    """JSON ``{on: true|false, reason}``."""
    body = json_body()
    return _run(
        doc_id,
        lambda: records_actions.set_hold(
            services(), web(), g.user, doc_id, bool(body.get("on")), str(body.get("reason", ""))
        ),
    )


@bp.post("/<doc_id>/retention")
@roles(*RECORDS_ROLES)
def retention(doc_id: str):
    """JSON ``{until: YYYY-MM-DD, reason}``; retain-until may only move later."""
    body = json_body()
    return _run(
        doc_id,
        lambda: records_actions.extend(
            services(), web(), g.user, doc_id, str(body.get("until", "")), str(body.get("reason", ""))
        ),
    )
