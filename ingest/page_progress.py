"""Per-page OCR progress: the sandboxed OCR writes the page it starts to a file in the job's work
folder (``ingest.ocr_task``); a thread of the runner reads it and records it on the job, so the
dossier page says "Trang 2/5: nhận dạng chữ" while page 2 is read, and the bar moves per page."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from ingest.jobs import Job, JobStore
from ingest.storage_errors import log_failure

log = logging.getLogger(__name__)
OCR_SHARE = 0.85  # of the progress bar: OCR takes nearly all of a job's time
# The bar after each step (the rest are quick); a step not named here counts evenly.
PROGRESS_AFTER = {"ocr": OCR_SHARE, "tag": 0.9, "store": 0.97, "index": 1.0}


def progress_after(names: list[str], i: int) -> float:
    """The bar's value once step ``i`` of ``names`` is done."""
    if all(n in PROGRESS_AFTER for n in names):
        return PROGRESS_AFTER[names[i]]
    return (i + 1) / len(names)


class PageWatcher:
    """Records the page the OCR child reads on the job while the ``with`` block runs."""

    def __init__(self, jobs: JobStore, job: Job, path: Path, every: float = 0.5) -> None:
        self.jobs, self.job, self.path, self.every = jobs, job, path, every
        self._seen: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"pages-{job.id}", daemon=True)

    def __enter__(self) -> PageWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self._read()
            except Exception as exc:  # noqa: BLE001 - progress is a courtesy: the OCR goes on
                log_failure(log, f"page progress of job {self.job.id} not recorded", exc)

    def _read(self) -> None:
        try:
            seen = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # not written yet
        page, pages = int(seen["page"]), int(seen["pages"])
        if (page, pages) != self._seen and pages > 0:
            self.jobs.page_started(self.job, page, pages, OCR_SHARE * (page - 1) / pages)
            self._seen = (page, pages)
