"""Intake of a dossier's files: check the dossier and applicant, accept each file, run the jobs
(or wait for the worker that holds the lock to run them) and report one outcome per file."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.applicant_id import kind_of
from ingest.context import IngestContext
from ingest.jobs import Job, JobState
from ingest.pipeline import Outcome, Runner, WorkerLock, accept
from ingest.reasons import Reason, message_vi
from ingest.refusal import Refusal
from ingest.storage_errors import log_failure, storage_guard

log = logging.getLogger(__name__)

# Codes may come from the province's one-stop system in its own format.
DOSSIER_CODE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,62}[A-Za-z0-9])?$")


class DocumentRole(StrEnum):
    """What a document is to its dossier; the values are what manifests and JSON hold."""

    COMPONENT = "component"  # thành phần hồ sơ: a paper the applicant hands in
    RESULT = "result"  # kết quả: what the procedure issues (licence, certificate...)
    NOTICE = "notice"  # a notice of the center (receipt, request to supplement...)


ROLES = tuple(DocumentRole)
# The answer for a job that ended (the ``status`` of the JSON line).
FINAL = {JobState.DONE: "accepted", JobState.REJECTED: "rejected", JobState.QUARANTINED: "quarantined"}


@dataclass
class IntakeRequest:
    dossier_code: str
    applicant_id: str
    procedure_code: str = ""
    department: str = ""
    role: str = "component"
    actor: str = ""
    applicant_name: str = ""
    source: str = "scanned"
    extra: dict = field(default_factory=dict)


def check_request(req: IntakeRequest) -> str:
    """Validate the dossier code, applicant and role; returns the applicant kind."""
    if not DOSSIER_CODE.match(req.dossier_code):
        raise Refusal(
            "invalid_dossier_code", "Mã hồ sơ không hợp lệ: chỉ gồm chữ, số, dấu chấm và gạch ngang."
        )
    if req.role not in ROLES:
        raise Refusal("invalid_role", "Vai trò tài liệu phải là component, result hoặc notice.")
    return kind_of(req.applicant_id)


def _record_dossier(ctx: IngestContext, req: IntakeRequest, kind: str) -> None:
    """The dossier row, created on first use (the store step records it in the archive, so a
    read-only archive does not stop files being taken in)."""
    ctx.catalogue.ensure_dossier(
        req.dossier_code,
        applicant_id=req.applicant_id,
        applicant_kind=kind,
        applicant_name=req.applicant_name,
        procedure_code=req.procedure_code,
        department=req.department,
    )


def submit_files(
    ctx: IngestContext,
    req: IntakeRequest,
    files: Sequence[Path],
    idempotency_keys: Sequence[str | None] | None = None,
) -> list[Outcome | Job]:
    """Accept every file (or refuse it); the dossier row is created on first use. With an
    idempotency key per file, a retried upload returns the first job instead of a refusal."""
    kind = check_request(req)
    with storage_guard():
        _record_dossier(ctx, req, kind)
    params = {
        "role": req.role,
        "applicant_id": req.applicant_id,
        "applicant_kind": kind,
        "applicant_name": req.applicant_name,
        "procedure_code": req.procedure_code,
        "department": req.department,
        "actor": req.actor,
        "source": req.source,
        **req.extra,
    }
    results: list[Outcome | Job] = []
    keys = list(idempotency_keys or [None] * len(files))
    for path, key in zip(files, keys, strict=True):
        try:
            results.append(
                accept(
                    ctx,
                    path,
                    dossier_code=req.dossier_code,
                    params=params,
                    idempotency_key=key,
                    file_name=path.name,
                )
            )
        except Refusal as r:
            results.append(
                Outcome(
                    file=str(path),
                    status=r.status,
                    document_id=r.document_id,
                    reason_code=r.reason_code,
                    message=r.message,
                )
            )
        except OSError as exc:
            results.append(
                Outcome(
                    file=str(path),
                    status="rejected",
                    reason_code=Reason.UNREADABLE_FILE,
                    message=f"Không đọc được tệp: {exc.strerror or exc}",
                )
            )
        except Exception:  # noqa: BLE001 - a bug of ours must not lose the other files' answers
            log.exception("accepting %s failed", path)
            results.append(
                Outcome(
                    file=str(path),
                    status="rejected",
                    reason_code=Reason.INTERNAL_ERROR,
                    message=message_vi(Reason.INTERNAL_ERROR),
                )
            )
    return results


def run_or_wait(
    ctx: IngestContext,
    lock: WorkerLock,
    jobs: list[Job],
    on_step: Callable[[Job, str], None] | None = None,
    poll: float = 0.5,
    patience: float = 15.0,
    timeout: float = 3600,
) -> None:
    """Bring ``jobs`` to an end or to a wait. Only the worker-lock holder runs jobs: this call
    takes the lock whenever it is free (another ingest may hold it, for its own files only)
    and runs its own jobs that are due, else waits for the worker to run them. A job that
    backs off from an outage is tried again here while its next try falls within ``patience``
    seconds; after that it is left waiting, for the worker (or ``sohoa jobs retry``)."""
    ids = [j.id for j in jobs]
    runner = Runner(ctx, on_step=on_step)
    start = time.monotonic()
    while ids and time.monotonic() - start < timeout:
        if _acquire(lock):
            try:
                runner.run_pending(ids)
            except Exception as exc:  # noqa: BLE001 - e.g. the state DB is full: the jobs stay open
                log_failure(log, "jobs could not run now; the worker resumes them", exc)
                return
            finally:
                lock.release()
        horizon = datetime.now(UTC) + timedelta(seconds=max(0.0, patience - (time.monotonic() - start)))
        if not any(_still_ours(ctx.jobs.get(i), horizon) for i in ids):
            return
        time.sleep(poll)


def _acquire(lock: WorkerLock) -> bool:
    """Take the worker lock if free; a lock file that cannot be made (disk full) is not ours."""
    try:
        return lock.acquire(wait=False)
    except OSError as exc:
        log_failure(log, "worker lock unavailable; the worker will run the jobs", exc)
        return False


def _still_ours(job: Job, horizon: datetime) -> bool:
    """Whether an ingest call should keep waiting for ``job``: it is queued or running, or it
    waits for a next try before ``horizon``."""
    if job.state in (JobState.QUEUED, JobState.RUNNING):
        return True
    return job.state == JobState.WAITING and job.next_try_at <= horizon.isoformat(timespec="seconds")


def outcome_of(ctx: IngestContext, job: Job, file: str) -> Outcome:
    """The reply for a job after running: accepted once done; a job still open says when it is
    tried next, and by whom, so the officer is told what will really happen."""
    job = ctx.jobs.get(job.id)
    if job.state in FINAL:
        return Outcome(
            file=file,
            status=FINAL[job.state],
            reason_code=job.reason_code,
            message=job.message or ("Đã lưu trữ và lập chỉ mục." if job.state == JobState.DONE else ""),
            document_id=job.doc_id if job.state == JobState.DONE else "",
            job_id=job.id,
        )
    if job.state == JobState.FAILED:  # attempts used up: kept in the spool for `sohoa jobs retry`
        return Outcome(
            file=file,
            status="accepted",
            document_id=job.doc_id,
            job_id=job.id,
            reason_code=Reason.JOB_FAILED,
            message=(
                f"Đã nhận tệp nhưng xử lý bị lỗi nội bộ ({_error_for_officer(job)}); tệp được giữ lại. "
                f"Bộ phận CNTT cần kiểm tra rồi chạy: sohoa jobs retry {job.id}."
            ),
        )
    return Outcome(
        file=file,
        status="accepted",
        document_id=job.doc_id,
        job_id=job.id,
        reason_code=Reason.QUEUED_FOR_RETRY,
        message=_retry_message(ctx, job),
    )


def _error_for_officer(job: Job) -> str:
    """Our own bugs are never shown as raw text (the log and `jobs list` have it); an outage of
    the storage or the index is named, so the officer knows it is not the file."""
    if job.reason_code == Reason.INTERNAL_ERROR:
        return "mã internal_error, chi tiết trong nhật ký"
    return job.last_error


def _retry_message(ctx: IngestContext, job: Job) -> str:
    """What happens to a job left open: the next try's time (center's zone) and who runs it."""
    when = ""
    if job.state == JobState.WAITING and job.next_try_at:
        moment = datetime.fromisoformat(job.next_try_at).astimezone(ZoneInfo(ctx.timezone))
        when = f" lúc {moment.strftime('%H:%M %d/%m/%Y')}"
    reason = f" ({_error_for_officer(job)})" if job.last_error else ""
    return (
        f"Đã nhận tệp và giữ an toàn; chưa lưu trữ xong{reason}. Tiến trình xử lý (sohoa worker) "
        f"sẽ tự thử lại{when}; nếu tiến trình này không chạy, bộ phận CNTT chạy: sohoa worker --once."
    )
