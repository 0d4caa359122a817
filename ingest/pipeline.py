"""Intake of files and the job runner.

``accept`` sniffs a file, copies it into the spool (fsync'ed) and records a job: from then on it
is never lost. ``Runner.run`` takes a job through the steps; a crash anywhere leaves the job
'running', and the next runner resumes it from the first step with work left. Only the holder
of the worker lock runs jobs (tantivy allows one writer across processes).
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
import socket
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from archive.dossier_records import DossierArchive
from archive.object_store import StoreError
from ingest.context import IngestContext
from ingest.duplicates import earlier_upload
from ingest.inspection import inspect_at_counter
from ingest.jobs import Job, JobState
from ingest.lease import LeaseKeeper
from ingest.page_progress import progress_after
from ingest.pixels import check_image_pixels
from ingest.quarantine import quarantine
from ingest.reasons import Reason, message_vi
from ingest.refusal import Refusal
from ingest.sniff import sniff
from ingest.spool import spooled_copy
from ingest.staging import drop_staged, fetch_staged, stage
from ingest.steps import DEFAULT_STEPS, Step, Work, file_notice
from ingest.storage_errors import REASON as STORAGE_ERROR
from ingest.storage_errors import as_storage_failure, log_failure, storage_guard

log = logging.getLogger(__name__)
# Errors of the storage or index services (and the network to them): a job that meets one waits
# and tries again later, however long the outage; they never fail a job by themselves.
TRANSIENT: tuple[type[BaseException], ...] = (StoreError, ConnectionError, TimeoutError)
TRANSIENT_MODULES = ("elasticsearch", "elastic_transport", "urllib3", "archive.indexes.elastic_index")


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` comes from an outage of a service we depend on (not from a bug of ours)."""
    module = type(exc).__module__
    return isinstance(exc, TRANSIENT) or any(
        module == m or module.startswith(m + ".") for m in TRANSIENT_MODULES
    )


@dataclass
class Outcome:
    """The answer given for one file (the JSON line of ``sohoa ingest``)."""

    file: str
    status: str  # accepted | rejected | quarantined | pending
    document_id: str = ""
    reason_code: str = ""
    message: str = ""
    job_id: int | None = None

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "document_id": self.document_id,
            "reason_code": self.reason_code,
            "message": self.message,
        }


def clean_name(name: str) -> str:
    """An upload name fit to show and store: NFC, no path, no control or bidi characters. A name
    with nothing but dots and spaces (``.``, ``..``, empty) gets a generated one: as a file name it
    would be the folder itself or its parent."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.strip()[:200]
    if not name.strip(". \u00a0\u3000"):
        return f"tep-khong-ten-{secrets.token_hex(4)}"
    return name


def _quarantine_upload(ctx: IngestContext, spooled: Path, sha: str, name: str, refusal: Refusal) -> None:
    quarantine(ctx.quarantine_dir, f"upload-{sha[:16]}", spooled, file_name=name, sha256=sha, refusal=refusal)


def quarantine_file(ctx: IngestContext, path: Path, name: str, refusal: Refusal) -> None:
    """Keep a copy of a refused upload aside (polyglot, active content) before its reply."""
    with spooled_copy(path, ctx.spool_dir) as (spooled, sha):
        _quarantine_upload(ctx, spooled, sha, name, refusal)


def accept(
    ctx: IngestContext,
    path: str | Path,
    *,
    dossier_code: str,
    params: dict,
    file_name: str | None = None,
    idempotency_key: str | None = None,
) -> Job:
    """Check and record one file; raises ``Refusal`` (nothing is kept, or the file is kept aside
    in quarantine) or returns its job. Inspection runs here, within the counter's budget."""
    path = Path(path)
    name = clean_name(file_name or path.name)
    try:
        sniffed = sniff(path, max_bytes=ctx.limits.max_file_bytes)
        check_image_pixels(path, sniffed.content_type, ctx.limits.max_pixels)  # before any job
    except Refusal as refusal:
        if refusal.status == "quarantined":
            quarantine_file(ctx, path, name, refusal)
        raise
    with spooled_copy(path, ctx.spool_dir) as (spooled, sha):
        job = _record(ctx, spooled, sha, sniffed.content_type, dossier_code, name, idempotency_key, params)
    if job.spool_path != str(spooled):  # idempotent replay of an earlier upload
        spooled.unlink(missing_ok=True)
    return job


def _record(
    ctx: IngestContext,
    spooled: Path,
    sha: str,
    content_type: str,
    dossier_code: str,
    name: str,
    idempotency_key: str | None,
    params: dict,
) -> Job:
    """Inspect the spooled file and record its job (or return the earlier job of a replay); on
    a refusal or error the spooled file is removed (quarantined first when it must be kept)."""
    try:
        with storage_guard():  # a full or read-only state DB is a storage error too
            earlier = earlier_upload(ctx, sha, idempotency_key, dossier_code)
        if earlier is not None:
            spooled.unlink()
            return earlier
        slow = inspect_at_counter(ctx.limits, spooled, content_type)
        with storage_guard():
            job = _submit(ctx, spooled, sha, content_type, dossier_code, name, idempotency_key,
                          {**params, "inspect_in_worker": True} if slow else params)  # fmt: skip
        if slow:  # the officer is told at once why the answer comes later
            ctx.jobs.note(job, Reason.INSPECT_IN_WORKER, message_vi(Reason.INSPECT_IN_WORKER))
            job = ctx.jobs.get(job.id)
    except Refusal as refusal:
        if refusal.status == "quarantined":
            _quarantine_upload(ctx, spooled, sha, name, refusal)
        spooled.unlink(missing_ok=True)
        raise
    except BaseException:
        spooled.unlink(missing_ok=True)
        raise
    return job


def _submit(
    ctx: IngestContext,
    spooled: Path,
    sha: str,
    content_type: str,
    dossier_code: str,
    file_name: str,
    idempotency_key: str | None,
    params: dict,
) -> Job:
    """Record the spooled file's job; its document id starts above the catalogue's highest for
    the dossier and skips every id the archive holds (the state may be behind the archive). With
    a staging bucket, the file is staged first: a recorded job's file is reachable from anywhere."""
    key = stage(ctx.staging, spooled, sha)
    try:
        job = ctx.jobs.submit(
            dossier_code=dossier_code,
            file_name=file_name,
            sha256=sha,
            content_type=content_type,
            spool_path=str(spooled),
            params=params,
            idempotency_key=idempotency_key,
            id_floor=ctx.catalogue.highest_seq(dossier_code),
            id_used=DossierArchive(ctx.repository.store).document_id_used,
            staged_key=key,
        )
    except BaseException:
        drop_staged(ctx.staging, key)
        raise
    if job.staged_key != key:  # a replay of an earlier upload: its job has its own copy
        drop_staged(ctx.staging, key)
    return job


class WorkerLock:
    """An exclusive, process-wide lock: only its holder runs jobs and writes the index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: TextIO | None = None

    def acquire(self, wait: bool = True) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a")  # noqa: SIM115 - held for the lock's lifetime
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fh, flags)
        except BlockingIOError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


class SharedLock(WorkerLock):
    """The worker lock where none is needed: shared (PostgreSQL) state, where runners claim jobs
    one by one, and a shared search index (Elasticsearch) written by every runner."""

    def __init__(self) -> None:
        super().__init__(Path("/dev/null"))

    def acquire(self, wait: bool = True) -> bool:
        return True

    def release(self) -> None:
        """Nothing is held."""


class Runner:
    """Runs jobs through the steps, resuming interrupted ones."""

    def __init__(
        self,
        ctx: IngestContext,
        steps: Iterable[Step] = DEFAULT_STEPS,
        on_step: Callable[[Job, str], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.steps = tuple(steps)
        self.on_step = on_step
        # Names this runner's leases: host and pid say who held a job (``jobs list``).
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def run(self, job: Job) -> JobState:
        """Run one job to its end; returns the final state (the current one when another runner
        holds the job or it is no longer open)."""
        state = self.try_run(job)
        return state if state is not None else self.ctx.jobs.get(job.id).state

    def try_run(self, job: Job) -> JobState | None:
        """Claim ``job`` and run it to its end; None when it could not be claimed."""
        claimed = self.ctx.jobs.claim(job, self.owner)
        if claimed is None:
            return None
        with LeaseKeeper(self.ctx.jobs, claimed, self.owner):
            return self._run_claimed(claimed)

    def _run_claimed(self, job: Job) -> JobState:
        ctx = self.ctx
        work = Work(job=job, ctx=ctx)
        try:
            work.job = fetch_staged(ctx.staging, ctx.jobs, job, ctx.spool_dir)
            for i, step in enumerate(self.steps):
                if step.able_to_run(work):
                    step.run(work)
                ctx.jobs.step_done(job, step.name, progress_after([s.name for s in self.steps], i))
                if self.on_step:
                    self.on_step(job, step.name)
        except Exception as exc:  # noqa: BLE001 - every end is recorded; the job is never dropped
            return self._failed(job, work, exc)
        notice = file_notice(work)  # accepted, with something the officer must know
        ctx.jobs.finish(job, JobState.DONE, notice or "", message_vi(notice) if notice else "")
        try:
            ctx.record(
                "ingest",
                job.params.get("actor", ""),
                job.doc_id,
                {"dossier": job.dossier_code, "sha256": job.sha256, "file": job.file_name},
            )
        except Exception as exc:  # noqa: BLE001 - the document is stored; a lost audit line is logged
            log_failure(log, f"audit entry of {job.doc_id} not written", exc)
        self._cleanup(work)
        return JobState.DONE

    def _failed(self, job: Job, work: Work, exc: Exception) -> JobState:
        """A refusal ends the job. A storage error (disk full, read-only...) makes it wait and
        be tried again, never counted against it: the file is not at fault; so does an outage
        of a service we depend on. Anything else is retried a few times, then fails."""
        storage = as_storage_failure(exc)
        if storage is not None:
            log.warning("job %s waits for storage: %s (%s)", job.doc_id, storage.message, exc)
            error = f"{storage.message} — {type(exc).__name__}: {exc}"
            return self.ctx.jobs.wait(
                job, error, fault=False, reason_code=STORAGE_ERROR, message=storage.message
            )
        if isinstance(exc, Refusal):
            if exc.status == "quarantined":
                self._quarantine(work, exc)
            state = JobState(exc.status)
            self.ctx.jobs.finish(job, state, exc.reason_code, exc.message)
            self._cleanup(work)
            return state
        transient = is_transient(exc)
        if transient:
            log.warning("job %s waits: %s: %s", job.doc_id, type(exc).__name__, exc)
        else:  # details in the log (and `jobs list` for IT); the officer sees a stable code
            log.exception(
                "job %s (%s) failed at attempt %s", job.doc_id, job.file_name, work.job.attempts, exc_info=exc
            )
        state = self.ctx.jobs.wait(job, f"{type(exc).__name__}: {exc}", fault=not transient)
        if not transient:
            self.ctx.jobs.note(job, Reason.INTERNAL_ERROR, message_vi(Reason.INTERNAL_ERROR))
        return state

    def _quarantine(self, work: Work, refusal: Refusal) -> None:
        quarantine(  # named by the job: a refused job gives its document number back
            self.ctx.quarantine_dir,
            f"job-{work.job.id}",
            work.original,
            file_name=work.job.file_name,
            sha256=work.job.sha256,
            refusal=refusal,
        )

    def _cleanup(self, work: Work) -> None:
        for step in self.steps:
            step.cleanup(work)
        shutil.rmtree(work.folder, ignore_errors=True)
        work.original.unlink(missing_ok=True)
        drop_staged(self.ctx.staging, work.job.staged_key)

    def run_pending(self, ids: Iterable[int] | None = None, *, all_waiting: bool = False) -> int:
        """Run every job that is due (queued, interrupted, or waiting past its next try; every
        waiting one with ``all_waiting``), or only those of ``ids``; returns how many were run."""
        jobs = self.ctx.jobs
        if not jobs.shared:
            return sum(self.try_run(job) is not None for job in jobs.pending(ids, all_waiting=all_waiting))
        # Shared state: claim the next due job until none is left; a job accepted on a machine
        # whose spool this one does not share is left to that machine.
        count = 0
        mine = str(self.ctx.spool_dir.resolve()) + os.sep
        while (
            job := jobs.claim_next(self.owner, ids, all_waiting=all_waiting, spooled_under=mine)
        ) is not None:
            with LeaseKeeper(jobs, job, self.owner):
                self._run_claimed(job)
            count += 1
        return count
