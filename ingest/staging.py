"""Accepted files shared between machines through a staging bucket (``[staging]`` S3 settings).

The web machine stages the spooled file before its job is recorded, so a job is offered to other
machines only once its file is reachable. A worker on another machine fetches it into its own
spool when it claims the job; the staged copy is deleted once the job has ended."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from ingest.jobs import Job, JobStore
from ingest.storage_errors import log_failure

log = logging.getLogger(__name__)


class Staging(Protocol):
    """What the pipeline needs of a staging store (``archive.stores.s3_staging.S3Staging``)."""

    def put(self, name: str, path: Path) -> str: ...

    def fetch(self, key: str, dest: Path) -> Path: ...

    def delete(self, key: str) -> None: ...


def stage(staging: Staging | None, spooled: Path, sha: str) -> str:
    """Stage a spooled file; its key ('' without a staging store)."""
    return staging.put(f"{sha}-{spooled.name}", spooled) if staging is not None else ""


def fetch_staged(staging: Staging | None, jobs: JobStore, job: Job, spool_dir: Path) -> Job:
    """The job with its file in this machine's spool: fetched from staging when the file lies
    on another machine (the job then names the local copy)."""
    if staging is None or not job.staged_key or Path(job.spool_path).exists():
        return job
    local = staging.fetch(
        job.staged_key, spool_dir / "incoming" / f"staged-{job.id}-{Path(job.spool_path).name}"
    )
    jobs.move_spool(job, str(local))
    return jobs.get(job.id)


def drop_staged(staging: Staging | None, key: str) -> None:
    """Delete a staged copy: its job has ended, or was never recorded (a refusal, a replay)."""
    if staging is not None and key:
        try:
            staging.delete(key)
        except Exception as exc:  # noqa: BLE001 - only space
            log_failure(log, f"staged copy {key} not deleted", exc)
