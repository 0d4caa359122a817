"""Intake of a dossier's files: check the dossier and applicant, accept each file, run the jobs
(or wait for the worker that holds the lock to run them) and report one outcome per file."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.applicant_id import kind_of
from ingest.context import IngestContext
from ingest.jobs import OPEN_STATES, Job, JobState
from ingest.pipeline import Outcome, Runner, WorkerLock, accept
from ingest.refusal import Refusal

# Codes may come from the province's one-stop system in its own format.
DOSSIER_CODE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,62}[A-Za-z0-9])?$")
ROLES = ("component", "result", "notice")
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


def submit_files(
    ctx: IngestContext,
    req: IntakeRequest,
    files: Sequence[Path],
    idempotency_keys: Sequence[str | None] | None = None,
) -> list[Outcome | Job]:
    """Accept every file (or refuse it); the dossier row is created on first use. With an
    idempotency key per file, a retried upload returns the first job instead of a refusal."""
    kind = check_request(req)
    ctx.catalogue.ensure_dossier(
        req.dossier_code,
        applicant_id=req.applicant_id,
        applicant_kind=kind,
        applicant_name=req.applicant_name,
        procedure_code=req.procedure_code,
        department=req.department,
    )
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
                    reason_code="unreadable_file",
                    message=f"Không đọc được tệp: {exc.strerror or exc}",
                )
            )
    return results


def run_or_wait(
    ctx: IngestContext,
    lock: WorkerLock,
    jobs: list[Job],
    on_step: Callable[[Job, str], None] | None = None,
    attempts: int = 3,
    poll: float = 0.5,
    timeout: float = 3600,
) -> None:
    """Run ``jobs`` here when no worker holds the lock, else wait for the worker to end them."""
    if lock.acquire(wait=False):
        try:
            runner = Runner(ctx, on_step=on_step)
            for job in jobs:
                for attempt in range(attempts):
                    if runner.run(ctx.jobs.get(job.id)) != JobState.QUEUED:
                        break
                    time.sleep(min(2.0 * (attempt + 1), 5.0))
        finally:
            lock.release()
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(ctx.jobs.get(j.id).state not in OPEN_STATES for j in jobs):
            return
        time.sleep(poll)


def outcome_of(ctx: IngestContext, job: Job, file: str) -> Outcome:
    """The reply for a job after running: accepted once done; a job still open stays queued."""
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
    return Outcome(
        file=file,
        status="accepted",
        document_id=job.doc_id,
        job_id=job.id,
        reason_code="queued_for_retry",
        message=f"Đã nhận tệp; xử lý chưa xong ({job.message}), sẽ được thử lại tự động.",
    )
