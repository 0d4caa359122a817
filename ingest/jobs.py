"""Durable ingest jobs in the SQLite state DB.

A job is recorded (with the uploaded bytes already fsync'ed into the spool) before any work
starts; the reply "accepted" is only given for recorded jobs, so nothing accepted is lost.
The document id (``<dossier code>.<sequence>``, the file-name rule of the regulation) is
allocated in the same transaction, so it never repeats.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from archive.sqlite_db import StateTables, transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL UNIQUE,
  dossier_code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  spool_path TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'queued',  -- a JobState value
  step TEXT NOT NULL DEFAULT '',         -- last step completed
  attempts INTEGER NOT NULL DEFAULT 0,
  reason_code TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  progress REAL NOT NULL DEFAULT 0,
  idempotency_key TEXT UNIQUE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (dossier_code, seq)
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
CREATE INDEX IF NOT EXISTS jobs_sha ON jobs(sha256);
"""


class JobState(StrEnum):
    """The states of a job; the values are what the state DB and the JSON output hold."""

    QUEUED = "queued"
    RUNNING = "running"  # also a job interrupted by a crash, until the next runner resumes it
    DONE = "done"
    REJECTED = "rejected"
    QUARANTINED = "quarantined"
    FAILED = "failed"


OPEN_STATES = (JobState.QUEUED, JobState.RUNNING)
MAX_ATTEMPTS = 5


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: int
    doc_id: str
    dossier_code: str
    seq: int
    file_name: str
    sha256: str
    content_type: str
    spool_path: str
    params: dict = field(default_factory=dict)
    state: JobState = JobState.QUEUED
    step: str = ""
    attempts: int = 0
    reason_code: str = ""
    message: str = ""
    progress: float = 0.0
    idempotency_key: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Job:
        data = dict(row)
        data["params"] = json.loads(data["params"] or "{}")
        data["state"] = JobState(data["state"])
        return cls(**data)


class JobStore(StateTables):
    """The jobs table: submit, claim, advance, finish."""

    schema = SCHEMA

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
    ) -> Job:
        """Record a job and allocate its document id. With an idempotency key seen before, the
        earlier job is returned instead of a new one."""
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
            doc_id = f"{dossier_code}.{seq:03d}"
            now = _now()
            cur = db.execute(
                "INSERT INTO jobs (doc_id, dossier_code, seq, file_name, sha256, content_type, spool_path,"
                " params, idempotency_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
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
                    now,
                    now,
                ),
            )
            job_id = cur.lastrowid
        assert job_id is not None  # an INSERT always sets it
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
        """A queued, running or done job for the same bytes (duplicate detection)."""
        row = self.db.execute(
            "SELECT * FROM jobs WHERE sha256 = ? AND state IN (?,?,?) ORDER BY id LIMIT 1",
            (sha256, *OPEN_STATES, JobState.DONE),
        ).fetchone()
        return Job.from_row(row) if row else None

    def pending(self) -> list[Job]:
        """Jobs to (re)run, oldest first. 'running' ones were interrupted by a crash."""
        rows = self.db.execute("SELECT * FROM jobs WHERE state IN (?,?) ORDER BY id", OPEN_STATES).fetchall()
        return [Job.from_row(r) for r in rows]

    def _update(self, job_id: int, **fields) -> None:
        fields["updated_at"] = _now()
        sets = ", ".join(f"{k} = ?" for k in fields)
        with transaction(self.db) as db:
            db.execute(f"UPDATE jobs SET {sets} WHERE id = ?", (*fields.values(), job_id))

    def start(self, job: Job) -> None:
        self._update(job.id, state=JobState.RUNNING, attempts=job.attempts + 1)

    def step_done(self, job: Job, step: str, progress: float) -> None:
        self._update(job.id, step=step, progress=progress)

    def finish(self, job: Job, state: JobState, reason_code: str = "", message: str = "") -> None:
        self._update(
            job.id,
            state=JobState(state),
            reason_code=reason_code,
            message=message,
            progress=1.0 if state == JobState.DONE else job.progress,
        )

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        return {r[0]: r[1] for r in rows}
