"""``sohoa ingest --batch FILE... [--json]``: a stack scanned in one go, split at every page with a
sohoa QR code; one JSON line per part (``dossier_code`` added), held parts with status ``held``."""

from __future__ import annotations

import json
import sys

from ingest.batch.intake import ingest_batch
from ingest.batch.pages import UnreadableStack
from ingest.intake import outcome_of, run_or_wait
from ingest.jobs import Job
from ingest.pipeline import Outcome
from ingest.reasons import Reason, message_vi
from ingest.storage_errors import REASON as STORAGE_ERROR
from ingest.storage_errors import storage_guard

RETRY_CODES = ("queued_for_retry", "internal_error", "job_failed", STORAGE_ERROR)


def run_batch(args, services) -> int:
    """Exit 0 when every part was archived; 2 when a part was held or refused (or the options are
    wrong); 1 when the service could not finish (the worker carries on)."""
    if not args.batch:
        print("sohoa ingest: cần --dossier và --applicant-id (hoặc --batch)", file=sys.stderr)
        return 2
    if args.dossier or args.applicant_id:
        print("sohoa ingest --batch: mã hồ sơ lấy từ mã QR; bỏ --dossier/--applicant-id", file=sys.stderr)
        return 2
    desk = services.dossiers
    try:
        with storage_guard():
            items = ingest_batch(desk, list(args.files), args.actor, services.batch_book).items
    except UnreadableStack as exc:
        # Nothing was taken: the stack is read whole before any part is handed on.
        reason = Reason.UNREADABLE
        refused = Outcome(str(exc.path), "rejected", reason_code=reason, message=message_vi(reason))
        print(json.dumps({**refused.to_dict(), "dossier_code": ""}, ensure_ascii=False))
        return 2
    jobs = [i.result for i in items if isinstance(i.result, Job)]
    run_or_wait(desk.ingest, services.worker_lock(), jobs)
    outcomes = []
    for item in items:
        result = item.result  # a job is named by the stack's files and page numbers
        outcome = outcome_of(desk.ingest, result, item.label()) if isinstance(result, Job) else result
        line = item.line(outcome)
        outcomes.append(outcome)
        print(json.dumps(line, ensure_ascii=False), flush=True)
    if any(o.reason_code in RETRY_CODES for o in outcomes):
        return 1  # not the stack's fault: the service could not finish (yet)
    return 2 if any(o.status != "accepted" for o in outcomes) else 0
