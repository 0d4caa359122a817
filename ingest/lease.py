"""Keeps a running job's lease alive on shared (PostgreSQL) state."""

from __future__ import annotations

import logging
import threading

from ingest.jobs import Job, JobStore
from ingest.storage_errors import log_failure

log = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews a shared-state job's lease while its runner works (an OCR step may outlast the
    lease); on SQLite nobody else could take the job, so nothing runs."""

    def __init__(self, jobs: JobStore, job: Job, owner: str) -> None:
        self.jobs, self.job, self.owner = jobs, job, owner
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LeaseKeeper:
        if self.jobs.shared:
            self._thread = threading.Thread(target=self._renew, name=f"lease-{self.job.id}", daemon=True)
            self._thread.start()
        return self

    def _renew(self) -> None:
        while not self._stop.wait(max(1.0, self.jobs.lease_seconds / 3)):
            try:
                if not self.jobs.renew(self.job, self.owner):
                    return
            except Exception as exc:  # noqa: BLE001 - the state is unreachable: try at the next beat
                log_failure(log, f"lease of job {self.job.id} not renewed", exc)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
