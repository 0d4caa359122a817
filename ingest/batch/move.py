"""Use case: an officer moves a part of a batch to another dossier before it is archived.

Only a part whose job no runner has touched yet can move (its job is withdrawn in one statement,
so a worker can never be halfway through it); the same pages then go to the other dossier through
the ordinary intake, the batch record says where the part went, and the audit log who moved it.
A part that is being processed or archived already stays where it is: the officer is told so."""

from __future__ import annotations

from pathlib import Path

from ingest.batch.book import BatchBook
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.documents import submit_to_dossier
from ingest.jobs import Job
from ingest.pipeline import Outcome
from ingest.reasons import Reason, message_vi
from ingest.refusal import Refusal

AUDIT_MOVE = "batch.move"


def move_part(
    desk: DossierDesk,
    book: BatchBook,
    actor: str,
    batch_id: str,
    index: int,
    dossier: dict,
    role: str,
    component: str,
) -> Job:
    """Send part ``index`` (0-based, in stack order) of batch ``batch_id`` to ``dossier``; raises
    ``Refusal`` (``part_not_movable``, or intake's own reason) and then nothing has changed."""
    jobs = desk.ingest.jobs
    with book.route_lock():
        record = book.batch(batch_id)
        if record is None or not 0 <= index < len(record["parts"]):
            raise Refusal(Reason.PART_NOT_MOVABLE)
        part = record["parts"][index]
        if not part.get("job_id") or part.get("dossier_code") == dossier["code"]:
            raise Refusal(Reason.PART_NOT_MOVABLE)
        old = jobs.get(int(part["job_id"]))
        if not Path(old.spool_path).is_file() or not jobs.withdraw(
            old.id, Reason.PART_MOVED, message_vi(Reason.PART_MOVED)
        ):
            raise Refusal(Reason.PART_NOT_MOVABLE)
        result = submit_to_dossier(
            desk, actor, dossier, [Path(old.spool_path)], role=role, component_name=component.strip()[:200]
        )[0]
        if isinstance(result, Outcome):  # refused there: the part stays in its first dossier
            jobs.requeue_withdrawn(old.id)
            raise Refusal(result.reason_code, result.message, status=result.status)
        moved = {"from": part["dossier_code"], "from_document": old.doc_id, "by": actor}
        part.update(dossier_code=dossier["code"], role=role, component=component.strip()[:200])
        part.update(document_id=result.doc_id, job_id=result.id, moved=moved)
        book.save(record)
        desk.audit(AUDIT_MOVE, actor, result.doc_id, {"batch": batch_id, "pages": part["pages"], **moved})
    Path(old.spool_path).unlink(missing_ok=True)  # intake holds its own copy in the spool now
    return result
