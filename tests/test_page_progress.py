"""Progress that moves per page (issue 15, item 10): while the real pipeline reads a 3-page scan
(real Tesseract in the sandbox), the dossier page's progress column and status column, and the
API's job view, say the same words, "Trang n/3: nhận dạng chữ", and n moves on page by page."""

from __future__ import annotations

import html as htmllib
import re
import threading
import time

import pytest

from archive.state_store import StateStore
from ingest.intake import run_or_wait
from ingest.job_schema import SCHEMA
from ingest.jobs import JobStore
from search_ui.app import create_app
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.render import save_pdf
from tests.web_fixtures import add_officials, csrf_of, login, open_dossier_by_form

pytestmark = pytest.mark.slow
pytest_plugins = ["tests.pg_fixtures"]
ROW = re.compile(r'<span class="step">([^<]*)</span></td>\s*<td class="state state-running">([^<]*)</td>')


def _dossier_with_upload(svc, client, root) -> tuple[str, int]:
    code = open_dossier_by_form(client)
    pdf = save_pdf(
        [[f"Trang số {i} của tờ khai đăng ký kết hôn."] for i in (1, 2, 3)], root / "ba-trang.pdf", dpi=200
    )
    token = csrf_of(client.get(f"/intake/dossiers/{code}").get_data(as_text=True))
    with open(pdf, "rb") as fh:
        client.post(f"/intake/dossiers/{code}/files", data={"csrf_token": token, "files": [(fh, pdf.name)]})
    return code, svc.jobs.of_dossier(code)[0]["id"]


def _snapshots(client, code: str, runner: threading.Thread) -> list[tuple[str, str, str, str]]:
    """(step, status) of the page and of the API, taken while the job runs."""
    seen = []
    while runner.is_alive():
        html = client.get(f"/intake/dossiers/{code}").get_data(as_text=True)
        job = client.get(f"/api/v1/dossiers/{code}/jobs").get_json()["jobs"][0]
        row = ROW.search(html)
        if row and job["state"] == "running":
            step, status = (htmllib.unescape(x) for x in row.groups())
            seen.append((step, status, job["step_label"], job["status_label"]))
        time.sleep(0.15)
    return seen


def test_progress_moves_per_page_and_status_says_the_same(tmp_path):
    svc = services(load_settings(tmp_path / "data"))
    add_officials(svc)
    client = create_app(svc, config={"TESTING": True}).test_client()
    login(client, "tn.tp")
    code, job_id = _dossier_with_upload(svc, client, tmp_path)
    runner = threading.Thread(
        target=run_or_wait, args=(svc.ingest, svc.worker_lock(), [svc.jobs.get(job_id)])
    )
    runner.start()
    seen = _snapshots(client, code, runner)
    runner.join()
    assert svc.jobs.get(job_id).state == "done"
    paged = [s for s in seen if s[0].startswith("Trang ")]
    pages = {s[0] for s in paged}
    assert len(pages) >= 2 and pages <= {f"Trang {n}/3: nhận dạng chữ" for n in (1, 2, 3)}, seen
    for step, status, api_step, api_status in seen:
        assert status == f"Đang xử lý — {step}", (step, status)  # the same words in both columns
        assert (api_step, api_status) == (step, status) or api_step != step  # the API may be a beat on
    assert any(
        api_step.startswith("Trang ") and api_status == f"Đang xử lý — {api_step}"
        for _, _, api_step, api_status in seen
    )


def test_an_older_jobs_table_gets_the_page_columns(state: StateStore) -> None:
    """A state made before per-page progress (no page, pages columns) gets them when opened, on
    SQLite and PostgreSQL, and the page is recorded and read back."""
    old_schema = re.sub(r"\n  page INTEGER[^\n]*\n  pages INTEGER[^\n]*", "", SCHEMA)
    assert "pages INTEGER" not in old_schema
    state.connect().executescript(old_schema)
    jobs = JobStore(state)
    job = jobs.submit(
        dossier_code="D-1",
        file_name="a.pdf",
        sha256="ab",
        content_type="application/pdf",
        spool_path="/spool/ab",
        params={},
    )
    jobs.page_started(job, 2, 5, 0.17)
    again = JobStore(state).get(job.id)
    assert (again.page, again.pages, again.progress) == (2, 5, 0.17)
    assert JobStore(state).of_dossier("D-1")[0]["pages"] == 5
