"""Durable ingest jobs in the state store (SQLite on one machine, PostgreSQL shared by many).

A job is recorded (with the uploaded bytes already fsync'ed into the spool) before any work
starts; the reply "accepted" is only given for recorded jobs, so nothing accepted is lost.
The document id (``<dossier code>.<sequence>``, the file-name rule of the regulation) is
allocated in the same transaction, so it never repeats.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive.sqlite_db import StateTables, transaction
from archive.state_store import StateStore
from ingest.job_model import (
    MAX_ATTEMPTS,
    OPEN_STATES,
    REFUSED_STATES,
    STATES,
    Backoff,
    Job,
    JobState,
    document_id,
    utc_now,
)
from ingest.job_schema import ADDED_COLUMNS, ADDED_SHARED, SCHEMA

__all__ = ["MAX_ATTEMPTS", "OPEN_STATES", "STATES", "Backoff", "Job", "JobState", "JobStore", "document_id"]

DEFAULT_LEASE = 300.0  # seconds a claim lasts without renewal (shared state)


class JobStore(StateTables):
    """The jobs table: submit, claim, advance, finish.

    On SQLite one machine's worker-lock holder runs the jobs, so a 'running' job is one a crash
    interrupted and is taken again at once. On shared (PostgreSQL) state, runners on many
    machines claim jobs with ``FOR UPDATE SKIP LOCKED``; a claim is a lease of ``lease_seconds``
    that the runner renews while it works, and a job whose runner died is taken over once its
    lease has run out."""

    schema = SCHEMA

    def __init__(
        self,
        state: StateStore | str | Path,
        backoff: Backoff | None = None,
        lease_seconds: float = DEFAULT_LEASE,
    ) -> None:
        super().__init__(state)
        self.backoff = backoff or Backoff()
        self.lease_seconds = lease_seconds
        self.shared = self.dialect != "sqlite"
        if not self.shared:
            self._add_columns()
        else:
            self._add_shared_columns()

    def _add_shared_columns(self) -> None:
        """Columns added to an older PostgreSQL state (asked first: an ALTER takes a table lock)."""
        have = {
            r[0]
            for r in self.db.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'jobs' AND table_schema = current_schema()"
            ).fetchall()
        }
        for name in ADDED_SHARED:
            if name not in have:
                with transaction(self.db, serial=False) as db:
                    db.execute(f"ALTER TABLE jobs ADD COLUMN IF NOT EXISTS {name} {ADDED_COLUMNS[name]}")

    def _add_columns(self) -> None:
        """Columns added after the first release, added to an older SQLite state."""
        have = {r[1] for r in self.db.execute("PRAGMA table_info(jobs)")}
        for name, decl in ADDED_COLUMNS.items():
            if name not in have:
                with contextlib.suppress(sqlite3.OperationalError):  # another process added it
                    self.db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {decl}")

    def submit(
        self,
        *,
        dossier_code: str,
        file_name: str,
        sha256: str,
        content_type: str,
        spool_path: str,
        params: dict,
        idempotency_key: str | None = None,
        id_floor: int = 0,
        id_used: Callable[[str], bool] | None = None,
        staged_key: str = "",
    ) -> Job:
        """Record a job and allocate its document id. With an idempotency key seen before, the
        earlier job is returned instead of a new one.

        The sequence starts above ``id_floor`` (the highest one the catalogue holds for the
        dossier) and skips every id ``id_used`` says the archive holds: the jobs table can be
        younger than the archive (a lost or restored state), and an id once used is never reused."""
        with transaction(self.db) as db:
            if idempotency_key:
                row = db.execute(
                    "SELECT * FROM jobs WHERE idempotency_key = ?", (idempotency_key,)
                ).fetchone()
                if row:
                    return Job.from_row(row)
            seq = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs WHERE dossier_code = ?", (dossier_code,)
            ).fetchone()[0]
            seq = max(seq, id_floor + 1)
            while id_used is not None and id_used(document_id(dossier_code, seq)):
                seq += 1
            doc_id = document_id(dossier_code, seq)
            now = utc_now()
            cur = db.execute(
                "INSERT INTO jobs (doc_id, dossier_code, seq, file_name, sha256, content_type, spool_path,"
                " params, idempotency_key, staged_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                " RETURNING id",
                (
                    doc_id,
                    dossier_code,
                    seq,
                    file_name,
                    sha256,
                    content_type,
                    spool_path,
                    json.dumps(params, ensure_ascii=False),
                    idempotency_key,
                    staged_key,
                    now,
                    now,
                ),
            )
            job_id = cur.fetchone()[0]
        return self.get(job_id)

    def get(self, job_id: int) -> Job:
        row = self.db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(job_id)
        return Job.from_row(row)

    def by_doc_id(self, doc_id: str) -> Job | None:
        row = self.db.execute("SELECT * FROM jobs WHERE doc_id = ?", (doc_id,)).fetchone()
        return Job.from_row(row) if row else None

    def open_with_sha256(self, sha256: str) -> Job | None:
        """An open or done job for the same bytes (duplicate detection)."""
        row = self.db.execute(
            "SELECT * FROM jobs WHERE sha256 = ? AND state IN (?,?,?,?) ORDER BY id LIMIT 1",
            (sha256, *OPEN_STATES, JobState.DONE),
        ).fetchone()
        return Job.from_row(row) if row else None

    def pending(self, ids: Iterable[int] | None = None, *, all_waiting: bool = False) -> list[Job]:
        """Jobs to (re)run now, oldest first: queued ones, 'running' ones (interrupted by a crash;
        only the worker-lock holder asks) and waiting ones whose next try is due (every waiting
        one with ``all_waiting``). With ``ids``, only those jobs."""
        due = "9999" if all_waiting else utc_now()
        rows = self.db.execute(
            "SELECT * FROM jobs WHERE state IN (?,?) OR (state = ? AND next_try_at <= ?) ORDER BY id",
            (JobState.QUEUED, JobState.RUNNING, JobState.WAITING, due),
        ).fetchall()
        wanted = set(ids) if ids is not None else None
        return [Job.from_row(r) for r in rows if wanted is None or r["id"] in wanted]

    def list(self, state: str | None = None, limit: int = 1000) -> builtins.list[Job]:
        """Jobs, newest first, optionally of one state."""
        if state:
            rows = self.db.execute(
                "SELECT * FROM jobs WHERE state = ? ORDER BY id DESC LIMIT ?", (state, limit)
            )
        else:
            rows = self.db.execute("SELECT * FROM jobs ORDER BY id DESC LIMIT ?", (limit,))
        return [Job.from_row(r) for r in rows.fetchall()]

    def _update(self, job_id: int, **fields) -> None:
        fields["updated_at"] = utc_now()
        sets = ", ".join(f"{k} = ?" for k in fields)
        # One row, one statement: atomic without the serial lock (runners on many machines).
        with transaction(self.db, serial=False) as db:
            db.execute(f"UPDATE jobs SET {sets} WHERE id = ?", (*fields.values(), job_id))

    def _lease_end(self) -> str:
        return (datetime.now(UTC) + timedelta(seconds=self.lease_seconds)).isoformat(timespec="seconds")

    def claim(self, job: Job, owner: str) -> Job | None:
        """Take ``job`` to run it (state 'running', one more attempt, a lease for ``owner``);
        None when it is no longer open, or another runner holds it (a row locked by another
        claim right now, or a running job whose lease has not run out, on shared state)."""
        return self.claim_next(owner, [job.id], all_waiting=True)

    def claim_next(
        self,
        owner: str,
        ids: Iterable[int] | None = None,
        *,
        all_waiting: bool = False,
        spooled_under: str = "",
    ) -> Job | None:
        """Claim the oldest due job (of ``ids``, if given; whose file lies under ``spooled_under``,
        if given) that no other runner holds: one statement, ``FOR UPDATE SKIP LOCKED`` on shared
        state, so racing runners never wait for each other nor take the same job."""
        now = utc_now()
        stale = "lease_until < ?" if self.shared else "? <> ''"  # SQLite: any running job is stale
        where = f"(state = ? OR (state = ? AND next_try_at <= ?) OR (state = ? AND {stale}))"
        args: list = [
            JobState.QUEUED,
            JobState.WAITING,
            "9999" if all_waiting else now,
            JobState.RUNNING,
            now,
        ]
        if ids is not None:
            wanted = list(ids)
            where += f" AND id IN ({', '.join('?' * len(wanted)) or 'NULL'})"
            args += wanted
        if spooled_under:  # or staged: any machine can fetch it
            where += " AND (staged_key <> '' OR substr(spool_path, 1, ?) = ?)"
            args += [len(spooled_under), spooled_under]
        skip = " FOR UPDATE SKIP LOCKED" if self.shared else ""
        with transaction(self.db, serial=False) as db:
            row = db.execute(
                f"SELECT id, attempts FROM jobs WHERE {where} ORDER BY id LIMIT 1{skip}", args
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET state = ?, attempts = ?, lease_owner = ?, lease_until = ?, updated_at = ?"
                " WHERE id = ?",
                (JobState.RUNNING, row[1] + 1, owner, self._lease_end(), now, row[0]),
            )
        return self.get(row[0])

    def move_spool(self, job: Job, path: str) -> None:
        """The job's file now lies at ``path`` (fetched from staging into this machine's spool)."""
        self._update(job.id, spool_path=path)

    def renew(self, job: Job, owner: str) -> bool:
        """Extend ``owner``'s lease on a running job; False when the lease is no longer its own."""
        with transaction(self.db, serial=False) as db:
            cur = db.execute(
                "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = ?",
                (self._lease_end(), job.id, owner, JobState.RUNNING),
            )
        return cur.rowcount == 1

    def step_done(self, job: Job, step: str, progress: float) -> None:
        self._update(job.id, step=step, progress=progress, lease_until=self._lease_end())

    def page_started(self, job: Job, page: int, pages: int, progress: float) -> None:
        """OCR began page ``page`` of ``pages`` (the progress the officer sees moves per page)."""
        self._update(job.id, page=page, pages=pages, progress=progress)

    def wait(
        self, job: Job, error: str, *, fault: bool, reason_code: str = "", message: str = ""
    ) -> JobState:
        """After a failed try: back off (state 'waiting', next try later) or, after too many
        internal errors, 'failed'. ``fault`` says the error was ours, not the storage's or the
        index's (those never fail a job by themselves). Returns the new state."""
        current = self.get(job.id)
        faults = current.faults + (1 if fault else 0)
        if faults >= MAX_ATTEMPTS:
            self._update(job.id, state=JobState.FAILED, faults=faults, last_error=error, next_try_at="")
            return JobState.FAILED
        delay = self.backoff.delay(current.attempts)
        due = (datetime.now(UTC) + timedelta(seconds=delay)).isoformat(timespec="seconds")
        # The reason and message tell the officer why (e.g. storage_error), not the file's fault.
        said = {"reason_code": reason_code, "message": message} if reason_code else {}
        self._update(job.id, state=JobState.WAITING, faults=faults, last_error=error, next_try_at=due, **said)
        return JobState.WAITING

    def retry(self, job_id: int) -> Job:
        """Queue a waiting or failed job again now, with its counters reset (``jobs retry``);
        ``ValueError`` for a job in any other state."""
        job = self.get(job_id)
        if job.state not in (JobState.WAITING, JobState.FAILED):
            raise ValueError(f"job {job_id} is {job.state}: only waiting or failed jobs are retried")
        self._update(job_id, state=JobState.QUEUED, attempts=0, faults=0, next_try_at="")
        return self.get(job_id)

    def withdraw(self, job_id: int, reason_code: str, message: str) -> bool:
        """End a job no runner has touched yet (queued, no step done) as rejected, in one
        statement; False when a runner has taken it or it is no longer open (then it stays)."""
        with transaction(self.db, serial=False) as db:
            cur = db.execute(
                "UPDATE jobs SET state = ?, reason_code = ?, message = ?, updated_at = ?"
                " WHERE id = ? AND state = ? AND step = ''",
                (JobState.REJECTED, reason_code, message, utc_now(), job_id, JobState.QUEUED),
            )
        return cur.rowcount == 1

    def requeue_withdrawn(self, job_id: int) -> None:
        """Undo ``withdraw`` (its file could not go where it was sent): queued again."""
        self._update(job_id, state=JobState.QUEUED, reason_code="", message="")

    def note(self, job: Job, reason_code: str, message: str) -> None:
        """Tell the officer why an open job is where it is, without changing its state."""
        self._update(job.id, reason_code=reason_code, message=message)

    def finish(self, job: Job, state: JobState, reason_code: str = "", message: str = "") -> None:
        """End a job; a refused one gives its document number back (see ``_release_numbers``)."""
        self._update(
            job.id,
            state=JobState(state),
            reason_code=reason_code,
            message=message,
            next_try_at="",
            progress=1.0 if state == JobState.DONE else job.progress,
        )
        if state in REFUSED_STATES:
            self._release_numbers(job.dossier_code)

    def _release_numbers(self, dossier_code: str) -> None:
        """A refused file does not use up a document number: every refused job numbered above
        the dossier's last live or stored one gives its number back (sequence ``-id``, id
        ``job-<id>``), so the next file takes it and accepted documents stay numbered without
        gaps. A refused job below a live one keeps its number: renumbering documents already
        announced, or numbering a later file before an earlier one, would confuse more than a
        gap. Ids the archive holds are never given again (``submit`` skips them)."""
        refused = tuple(s.value for s in REFUSED_STATES)
        with transaction(self.db) as db:
            db.execute(
                "UPDATE jobs SET seq = -id, doc_id = 'job-' || id WHERE dossier_code = ? AND seq > 0"
                " AND state IN (?,?) AND seq > (SELECT COALESCE(MAX(seq), 0) FROM jobs"
                " WHERE dossier_code = ? AND state NOT IN (?,?))",
                (dossier_code, *refused, dossier_code, *refused),
            )

    def of_dossier(self, dossier_code: str) -> builtins.list[dict]:
        """The jobs of a dossier with their progress (the live OCR progress of the intake page)."""
        rows = self.db.execute(
            "SELECT id, CASE WHEN seq < 0 THEN '' ELSE doc_id END AS doc_id, file_name, state, step,"
            " progress, page, pages, reason_code, message, updated_at FROM jobs WHERE dossier_code = ?"
            " ORDER BY id",
            (dossier_code,),
        ).fetchall()
        return [dict(r) for r in rows]

    def reconcile(self, stored: Callable[[str], bool]) -> dict[str, int]:
        """After the state was restored from a backup: an open job whose document the archive
        holds is done; one whose spooled file is gone (lost with the data directory) failed,
        with a message telling the officer to hand the file in again."""
        out = {"done": 0, "spool_lost": 0}
        for job in self.pending(all_waiting=True):
            if stored(job.doc_id):
                self.finish(job, JobState.DONE)
                out["done"] += 1
            elif not Path(job.spool_path).exists():
                self.finish(
                    job,
                    JobState.FAILED,
                    "spool_lost",
                    "Tệp tạm đã mất cùng thư mục dữ liệu; cần tải lên lại.",
                )
                out["spool_lost"] += 1
        return out

    def names_spool_file(self, path: str) -> bool:
        """Whether a job (of any state) names ``path`` as its spooled file."""
        return (
            self.db.execute("SELECT 1 FROM jobs WHERE spool_path = ? LIMIT 1", (path,)).fetchone() is not None
        )

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        return {r[0]: r[1] for r in rows}
