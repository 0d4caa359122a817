"""Intake pages refuse bad input with Vietnamese messages, and ``sohoa serve`` runs and stops its
worker child."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.intake import run_or_wait
from ingest.jobs import OPEN_STATES
from search_ui.app import create_app
from tests.support.render import save_pdf, save_scan
from tests.web_fixtures import csrf_of, free_port, login

pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
pytestmark = pytest.mark.slow


@pytest.fixture()
def client(web_data):
    client = create_app(web_data.services, config={"TESTING": True}).test_client()
    login(client, "tn.tp")
    return client


def _post_dossier(client, **fields):
    page = client.get("/intake").get_data(as_text=True)
    data = {
        "procedure": "1.000894.000.00.00.H19 — Đăng ký kết hôn",
        "applicant_id": "001203004567",
        "channel": "counter",
        "csrf_token": csrf_of(page),
        **fields,
    }
    return client.post("/intake/dossiers", data=data, follow_redirects=True).get_data(as_text=True)


def test_bad_applicant_id_and_foreign_procedure_are_refused(client):
    assert "Số định danh không hợp lệ" in _post_dossier(client, applicant_id="12345")
    # A procedure of another department (construction) is not offered to a TP intake officer.
    html = _post_dossier(client, procedure="1.009972.000.00.00.H19 — Cấp giấy phép xây dựng nhà ở riêng lẻ")
    assert "Chọn một thủ tục trong danh mục" in html


def test_external_code_and_refused_upload(client, tmp_path):
    html = _post_dossier(client, dossier_code="HCC-2026-000123")
    assert "Đã tạo hồ sơ HCC-2026-000123" in html
    assert "Mã hồ sơ HCC-2026-000123 đã tồn tại" in _post_dossier(client, dossier_code="HCC-2026-000123")
    page = client.get("/intake/dossiers/HCC-2026-000123").get_data(as_text=True)
    resp = client.post(
        "/intake/dossiers/HCC-2026-000123/files",
        follow_redirects=True,
        data={
            "csrf_token": csrf_of(page),
            "role": "component",
            "files": [(io.BytesIO(b"ghi chu, khong phai ban quet"), "ghi-chu.txt")],
        },
    )
    html = resp.get_data(as_text=True)
    assert "ghi-chu.txt:" in html and 'class="flash error"' in html


def test_serve_starts_and_stops_its_worker(tmp_path):
    port = free_port()
    env = {**os.environ, "SOHOA_ADMIN_PASSWORD": "mat-khau-quan-tri-1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "serve", "--data-dir", str(tmp_path / "d"), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = [proc.stderr.readline() for _ in range(2)]
        assert "first administrator 'admin'" in lines[0]
        first_pid = int(lines[1].rsplit("worker pid ", 1)[1].rstrip(")\n"))
        os.kill(first_pid, signal.SIGKILL)  # a crashed worker is restarted
        assert "restarting" in proc.stderr.readline()
        worker_pid = _child_pid(proc.pid, other_than=first_pid)
        for _ in range(50):
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).status == 200
                break
            except OSError:
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    with pytest.raises(ProcessLookupError):
        for _ in range(50):
            os.kill(worker_pid, 0)
            time.sleep(0.1)


def _child_pid(parent: int, other_than: int, timeout: float = 20.0) -> int:
    """The pid of ``parent``'s live child process (from /proc), waiting for it to appear."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Children are listed per thread: the supervisor thread starts the new worker.
        children = [
            c for task in Path(f"/proc/{parent}/task").glob("*/children") for c in task.read_text().split()
        ]
        live = [int(c) for c in children if int(c) != other_than]
        if live:
            return live[0]
        time.sleep(0.2)
    raise AssertionError("the worker was not restarted")


def test_rescan_of_one_page_replaces_the_document(client, web_data, tmp_path):
    """A 2-page PDF is uploaded; page 2 is re-scanned: a new document with the new page 2 replaces
    the old one in the dossier (the old one stays archived)."""
    svc = web_data.services
    html = _post_dossier(client, dossier_code="HCC-2026-000200")
    assert "Đã tạo hồ sơ HCC-2026-000200" in html
    pdf = save_pdf(
        [["TỜ KHAI ĐĂNG KÝ KẾT HÔN", "Trang thứ nhất của tờ khai."], ["Trang thứ hai bị mờ, cần quét lại."]],
        tmp_path / "to-khai.pdf",
        dpi=200,
    )
    page = client.get("/intake/dossiers/HCC-2026-000200").get_data(as_text=True)
    with open(pdf, "rb") as fh:
        client.post(
            "/intake/dossiers/HCC-2026-000200/files",
            data={
                "csrf_token": csrf_of(page),
                "role": "component",
                "component_name": "Tờ khai",
                "files": [(fh, "to-khai.pdf")],
            },
        )
    _run_jobs(svc, "HCC-2026-000200")
    old_id = svc.catalogue.documents_of_dossier("HCC-2026-000200")[0]["id"]
    page = client.get("/intake/dossiers/HCC-2026-000200").get_data(as_text=True)
    assert f'data-doc="{old_id}"' in page and 'data-page="2"' in page
    scan = save_scan(
        ["Trang thứ hai đã quét lại rõ ràng: cam kết độc thân."], tmp_path / "trang-2.png", dpi=200
    )
    with open(scan, "rb") as fh:
        resp = client.post(
            f"/intake/dossiers/HCC-2026-000200/documents/{old_id}/rescan",
            follow_redirects=True,
            data={"csrf_token": csrf_of(page), "page": "2", "file": (fh, "trang-2.png")},
        )
    assert "Đã nhận bản quét lại" in resp.get_data(as_text=True)
    _run_jobs(svc, "HCC-2026-000200")
    new = next(d for d in svc.catalogue.documents_of_dossier("HCC-2026-000200") if d["id"] != old_id)
    doc = svc.repository.load(new["id"])
    assert doc.page_count == 2 and "thứ nhất" in doc.pages[0].text and "quét lại" in doc.pages[1].text
    assert svc.repository.exists(old_id)  # never destroyed: retention applies
    html = client.get("/intake/dossiers/HCC-2026-000200").get_data(as_text=True)
    assert f"Đã được thay bằng bản quét lại {new['id']}" in html and f"thay cho {old_id}" in html


def _run_jobs(svc, code: str) -> None:
    jobs = [svc.jobs.get(j["id"]) for j in svc.jobs.of_dossier(code) if j["state"] in OPEN_STATES]
    run_or_wait(svc.ingest, svc.worker_lock(), jobs)
    svc.index.close()
    assert all(svc.jobs.get(j.id).state == "done" for j in jobs), [svc.jobs.get(j.id).message for j in jobs]


def test_receipt_pdf_is_issued_and_archived_as_a_notice(client, web_data):
    svc = web_data.services
    _post_dossier(client, dossier_code="HCC-2026-000300", applicant_name="Phạm Minh Đức")
    page = client.get("/intake/dossiers/HCC-2026-000300/receipt").get_data(as_text=True)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page and "Phạm Minh Đức" in page
    resp = client.post("/intake/dossiers/HCC-2026-000300/receipt.pdf", data={"csrf_token": csrf_of(page)})
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    _run_jobs(svc, "HCC-2026-000300")
    (notice,) = svc.catalogue.documents_of_dossier("HCC-2026-000300")
    assert notice["role"] == "notice"
    assert "Phạm Minh Đức" in svc.repository.load(notice["id"]).pages[0].text
    # The receipt lists what the applicant handed in, not the receipt issued before, and the
    # printed receipt numbers its items without a gap and names the procedure's time.
    page = client.get("/intake/dossiers/HCC-2026-000300/receipt").get_data(as_text=True)
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" not in page
    text = " ".join(svc.repository.load(notice["id"]).pages[0].text.split())
    assert "Thời gian giải quyết hồ sơ theo quy định" in text


def test_an_archived_duplicate_says_so_and_offers_reuse(client, web_data):
    """Issue 15, item 3: the same bytes as an archived result of the applicant: "đã được lưu
    trữ" with the document named, and a "Sử dụng lại" button that links it into this dossier."""
    assert "Đã tạo hồ sơ HCC-2026-DUP1" in _post_dossier(client, dossier_code="HCC-2026-DUP1")
    page = client.get("/intake/dossiers/HCC-2026-DUP1").get_data(as_text=True)
    scan = web_data.services.settings.data_dir.parent / "tp.png"
    html = client.post(
        "/intake/dossiers/HCC-2026-DUP1/files",
        follow_redirects=True,
        data={
            "csrf_token": csrf_of(page),
            "role": "component",
            "files": [(io.BytesIO(scan.read_bytes()), "ban-sao.png")],
        },
    ).get_data(as_text=True)
    tp = web_data.tp_doc
    assert f"ban-sao.png: Tệp này đã được lưu trữ: tài liệu {tp}" in html, html
    offer = html[html.index('data-offer="reuse"') - 200 :]
    assert f'name="document_id" value="{tp}"' in offer and "Sử dụng lại</button>" in offer
    assert "/intake/dossiers/HCC-2026-DUP1/reuse" in offer
    html = client.post(
        "/intake/dossiers/HCC-2026-DUP1/reuse",
        data={"csrf_token": csrf_of(html), "document_id": tp},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"Đã liên kết tài liệu {tp} vào hồ sơ" in html, html
    assert len(web_data.services.dossiers.records.links_of_dossier("HCC-2026-DUP1")) == 1


def test_a_reused_document_shows_its_thumbnail_on_the_dossier_page(client, web_data):
    """Issue 15, also seen: a document reused into the dossier shows its pages like the dossier's
    own; the thumbnails shown on that intake screen are part of the intake, not reads of the
    citizen's document (the reuse itself is audited), and only there."""
    from search_ui.current import web

    assert "Đã tạo hồ sơ HCC-2026-REUSE1" in _post_dossier(client, dossier_code="HCC-2026-REUSE1")
    page = client.get("/intake/dossiers/HCC-2026-REUSE1").get_data(as_text=True)
    tp = web_data.tp_doc
    client.post(
        "/intake/dossiers/HCC-2026-REUSE1/reuse", data={"csrf_token": csrf_of(page), "document_id": tp}
    )
    html = client.get("/intake/dossiers/HCC-2026-REUSE1").get_data(as_text=True)
    article = html[html.index(f'<article class="doc" data-doc="{tp}"') :].split("</article>")[0]
    thumb = f"/documents/{tp}/pages/1.png?size=thumb&amp;dossier=HCC-2026-REUSE1"
    assert thumb in article and 'data-page="1"' in article, article
    assert "sử dụng lại từ hồ sơ" in article
    app = client.application
    with app.app_context():
        before = len(web().access_log.of_document(tp))
    resp = client.get(thumb.replace("&amp;", "&"))
    assert resp.status_code == 200 and resp.mimetype == "image/png" and resp.data[:4] == b"\x89PNG"
    with app.app_context():
        assert len(web().access_log.of_document(tp)) == before  # the intake's own screen
    # The same page named with a dossier it was not reused into is an ordinary read: logged.
    assert client.get(f"/documents/{tp}/pages/1.png?size=thumb&dossier=HCC-2026-KHAC").status_code == 200
    with app.app_context():
        assert len(web().access_log.of_document(tp)) == before + 1
