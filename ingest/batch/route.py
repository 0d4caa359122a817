"""Use case: an officer routes a held part of a batch (pages before the first separator) to a
dossier. The part becomes one document of that dossier through the ordinary intake, the held
log gets a ``routed`` line, and the audit log records who sent which pages where."""

from __future__ import annotations

from pathlib import Path

from ingest.batch.book import BatchBook
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.documents import submit_to_dossier
from ingest.jobs import Job
from ingest.pipeline import Outcome
from ingest.reasons import Reason
from ingest.refusal import Refusal

AUDIT_ROUTE = "batch.route"


def route_held(
    desk: DossierDesk,
    book: BatchBook,
    actor: str,
    held: dict,
    dossier: dict,
    role: str,
    component: str,
) -> Job:
    """Hand the held part ``held`` (a ``BatchBook.held_part``) to ``dossier`` as one document;
    raises ``Refusal`` when it was routed already or intake refuses it (it stays held then)."""
    with book.route_lock():
        current = book.held_part(held["batch"], Path(held["file"]).name)
        if current is None or current["status"] != "held":
            raise Refusal(Reason.ALREADY_ROUTED)
        result = submit_to_dossier(
            desk, actor, dossier, [Path(current["file"])], role=role, component_name=component.strip()[:200]
        )[0]
        if isinstance(result, Outcome):
            raise Refusal(result.reason_code, result.message, status=result.status)
        routed = {"dossier_code": dossier["code"], "document_id": result.doc_id, "job_id": result.id}
        book.record_routed(current, {**routed, "role": role, "component": component, "actor": actor})
        desk.audit(
            AUDIT_ROUTE,
            actor,
            result.doc_id,
            {"batch": current["batch"], "pages": current["pages"], "dossier": dossier["code"], "role": role},
        )
    Path(current["file"]).unlink(missing_ok=True)  # intake holds its own copy in the spool now
    return result
