"""The ingest job as the state store holds it: its states, its row, the backoff between tries and
the document-id rule (``ingest.jobs`` stores them)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class JobState(StrEnum):
    """The states of a job; the values are what the state DB and the JSON output hold."""

    QUEUED = "queued"
    RUNNING = "running"  # also a job interrupted by a crash, until the next runner resumes it
    WAITING = "waiting"  # backing off after a storage or index outage, until next_try_at
    DONE = "done"
    REJECTED = "rejected"
    QUARANTINED = "quarantined"
    FAILED = "failed"


OPEN_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.WAITING)
REFUSED_STATES = (JobState.REJECTED, JobState.QUARANTINED)  # their document number is given back
STATES = tuple(s.value for s in JobState)
MAX_ATTEMPTS = 5  # internal errors before a job fails; storage and index errors never count


@dataclass(frozen=True)
class Backoff:
    """Delays between tries of a waiting job: doubling from ``base`` seconds up to ``cap``."""

    base: float = 2.0
    cap: float = 3600.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed try in a row."""
        return min(self.cap, self.base * 2 ** max(0, min(attempts, 40) - 1))


def document_id(dossier_code: str, seq: int) -> str:
    """The file-name rule of the regulation: ``<dossier code>.<sequence>``."""
    return f"{dossier_code}.{seq:03d}"


def utc_now() -> str:
    """Now in UTC, to the second (the times the jobs table holds)."""
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
    faults: int = 0
    next_try_at: str = ""
    last_error: str = ""
    reason_code: str = ""
    message: str = ""
    progress: float = 0.0
    page: int = 0  # OCR: the page being read, of ``pages``
    pages: int = 0
    idempotency_key: str | None = None
    lease_owner: str = ""
    lease_until: str = ""
    staged_key: str = ""
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: Any) -> Job:
        data = dict(row)
        data["params"] = json.loads(data["params"] or "{}")
        data["state"] = JobState(data["state"])
        return cls(**data)
