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

import pytest

from search_ui.app import create_app
from tests.web_fixtures import csrf_of, free_port, login, web_data  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


@pytest.fixture()
def client(web_data):  # noqa: F811
    client = create_app(web_data.services, config={"TESTING": True}).test_client()
    login(client, "tn.tp")
    return client


def _post_dossier(client, **fields):
    page = client.get("/intake").get_data(as_text=True)
    data = {"procedure": "1.000894.000.00.00.H19 — Đăng ký kết hôn", "applicant_id": "001203004567",
            "channel": "counter", "csrf_token": csrf_of(page), **fields}
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
    resp = client.post("/intake/dossiers/HCC-2026-000123/files", follow_redirects=True, data={
        "csrf_token": csrf_of(page), "role": "component",
        "files": [(io.BytesIO(b"ghi chu, khong phai ban quet"), "ghi-chu.txt")]})
    html = resp.get_data(as_text=True)
    assert "ghi-chu.txt:" in html and 'class="flash error"' in html


def test_serve_starts_and_stops_its_worker(tmp_path):
    port = free_port()
    env = {**os.environ, "SOHOA_ADMIN_PASSWORD": "mat-khau-quan-tri-1"}
    proc = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "serve", "--data-dir", str(tmp_path / "d"),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = [proc.stderr.readline() for _ in range(2)]
        assert "first administrator 'admin'" in lines[0]
        worker_pid = int(lines[1].rsplit("worker pid ", 1)[1].rstrip(")\n"))
        os.kill(worker_pid, 0)  # alive
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
