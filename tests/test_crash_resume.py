"""A crash at any step leaves nothing visible or a complete document; resuming finishes the job
without duplicates."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest

from archive.search_index import SearchQuery
from ingest.pipeline import Runner, accept
from ingest.steps import DEFAULT_STEPS, StoreStep, Work
from tests.conftest import SOHOA, json_lines, run_sohoa

PARAMS = {"role": "component", "applicant_id": "075203001234", "department": "STP"}


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so the runner cannot record it."""


class CrashAfter:
    """Wraps a step and 'dies' right after it has done its work."""

    def __init__(self, inner):
        self.inner, self.name = inner, inner.name

    def able_to_run(self, work):
        return self.inner.able_to_run(work)

    def run(self, work):
        self.inner.run(work)
        raise Crash(self.name)

    def cleanup(self, work):
        self.inner.cleanup(work)


class CrashMidStore(StoreStep):
    """Dies after the original is stored but before the archival file and the manifest."""

    def run(self, work: Work) -> None:
        repo = work.ctx.repository
        repo.store.put_file(f"documents/{work.job.doc_id}/original", str(work.original))
        raise Crash("store-midway")


def _steps(point: str):
    if point == "store-midway":
        return [CrashMidStore() if s.name == "store" else s for s in DEFAULT_STEPS]
    return [CrashAfter(s) if s.name == point else s for s in DEFAULT_STEPS]


def _visible(svc, doc_id: str) -> tuple[bool, int]:
    hits = svc.index.search(SearchQuery(filters={"document_id": doc_id}, limit=50)).hits
    return svc.repository.exists(doc_id), len(hits)


@pytest.mark.parametrize("point", ["ocr", "tag", "store-midway", "store", "index"])
def test_crash_at_each_step_then_resume(svc, scans, point):
    ctx = svc.ingest
    job = accept(ctx, scans["decision_png"], dossier_code="HS-CRASH", params=PARAMS)
    with pytest.raises(Crash):
        Runner(ctx, steps=_steps(point)).run(job)
    assert ctx.jobs.get(job.id).state == "running"
    exists, hits = _visible(svc, job.doc_id)
    if point in ("ocr", "tag", "store-midway"):
        assert (exists, hits) == (False, 0), "nothing half-stored is visible"
    else:
        assert exists and svc.repository.load(job.doc_id).page_count == 1, "complete when visible"

    assert Runner(ctx).run_pending() == 1
    assert ctx.jobs.get(job.id).state == "done"
    assert _visible(svc, job.doc_id) == (True, 1), "exactly one document, one page, no duplicates"
    keys = sorted(svc.store.list(f"documents/{job.doc_id}/"))
    assert [k.rsplit("/", 1)[1] for k in keys] == ["archival.pdf", "manifest.json", "original"]
    assert not any((ctx.spool_dir / "work").iterdir()), "work folders are cleaned up"
    assert not any((ctx.spool_dir / "incoming").iterdir())
    assert Runner(ctx).run_pending() == 0


def _job_states(data_dir) -> list[str]:
    try:
        with sqlite3.connect(data_dir / "state.sqlite3", timeout=5) as db:
            return [r[0] for r in db.execute("SELECT state FROM jobs")]
    except sqlite3.OperationalError:
        return []


def test_sigkill_during_ingest_then_worker_completes(data_dir, scans):
    proc = subprocess.Popen(
        [
            *SOHOA,
            "--data-dir",
            str(data_dir),
            "ingest",
            str(scans["two_page_pdf"]),
            "--dossier",
            "HS-KILL",
            "--applicant-id",
            "075203001234",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not _job_states(data_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _job_states(data_dir), "the job was recorded before work started"
    time.sleep(0.5)  # into the OCR
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    run_sohoa("worker", "--once", data_dir=data_dir, check=True)
    assert _job_states(data_dir) == ["done"]
    hits = json_lines(run_sohoa("search", "Tran Van Duc", "--json", data_dir=data_dir, check=True).stdout)
    assert [(h["document_id"], h["page"]) for h in hits] == [("HS-KILL.001", 2)]
    again = run_sohoa(
        "ingest",
        str(scans["two_page_pdf"]),
        "--dossier",
        "HS-KILL",
        "--applicant-id",
        "075203001234",
        "--json",
        data_dir=data_dir,
    )
    assert json_lines(again.stdout)[0]["reason_code"] == "duplicate"
