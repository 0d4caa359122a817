"""Handover to the historical archive in a real browser (Playwright driving Debian's chromium)
against ``sohoa serve``: the records officer sees the due dossier, builds its package, downloads
it (a valid E-ARK SIP with the SHA-256 the page shows), records the handover with a form that
keeps what was typed when a field is missing, and reads the record in Vietnamese and English.
Screenshots go to tests/output/screenshots/."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.packages.validate import validate_package
from search_ui.accounts import Accounts
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.package_fixtures import LIMITS, stored_document
from tests.test_browser_flow import CHROMIUM_ARGS, shot, sign_in
from tests.web_fixtures import PASSWORD, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DUE = "000.00.12.H19-140510-0007"  # permanent, received 10/05/2014: due from 31/12/2024


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """``sohoa serve`` on ``data_dir`` until the block ends; its base URL."""
    port = free_port()
    with open(data_dir / "serve.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sohoa.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/login", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail((data_dir / "serve.log").read_text())
            yield base
        finally:
            proc.terminate()
            proc.wait(30)


@pytest.fixture
def archive(tmp_path: Path):
    svc = services(load_settings(tmp_path / "data"))
    svc.catalogue.ensure_dossier(
        DUE,
        procedure_name="Cấp giấy chứng nhận quyền sử dụng đất",
        applicant_name="Nguyễn Văn An",
        received_at="2014-05-10T09:00:00+07:00",
    )
    stored_document(svc, 1, code=DUE, received="2014-05-10")
    stored_document(svc, 2, code=DUE, received="2014-05-10")
    Accounts(svc.settings.state_db).add("lt", PASSWORD, "records", "", name="Lê Thị Lưu")
    return svc


def _fill_handover(page, receiver: str) -> None:
    page.fill("input[name=number]", "12/BB-GN")
    page.fill("input[name=date]", "30/11/2026")
    page.fill("input[name=archive_name]", "Lưu trữ lịch sử tỉnh Đồng Nai")
    page.fill("input[name=deliverer]", "Lê Thị Lưu, viên chức lưu trữ")
    page.fill("input[name=receiver]", receiver)


def test_due_package_download_and_handover_record(archive, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with serving(archive.settings.data_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
        page.set_default_timeout(30_000)
        sign_in(page, base, "lt")
        page.click("nav a[href='/records/transfer']")
        row = page.locator(f"#due tr[data-dossier='{DUE}']")
        assert "31/12/2024" in row.inner_text() and "10/05/2014" in row.inner_text()
        assert "Vĩnh viễn" in row.inner_text()
        shot(page, "20-transfer-due")
        row.locator("button").click()
        page.wait_for_selector("#packages tr[data-package]")
        assert f"Đã đóng gói hồ sơ {DUE}" in page.inner_text("p.flash")
        assert "Đã đóng gói" in page.inner_text(f"#due tr[data-dossier='{DUE}']")
        with page.expect_download() as download:
            page.click("#packages a[download]")
        saved = tmp_path / "goi.zip"
        download.value.save_as(saved)
        found = validate_package(str(saved), LIMITS)
        assert found.package_type == "SIP" and len(found.records) == 2
        digest = hashlib.sha256(saved.read_bytes()).hexdigest()
        assert digest[:16] in page.inner_text("#packages")
        _fill_handover(page, "")
        page.locator("input[name=receiver]").evaluate("el => el.removeAttribute('required')")
        page.click("#handover-form button[type=submit]")
        assert "Thiếu người nhận" in page.inner_text("p.flash")
        assert page.input_value("input[name=number]") == "12/BB-GN"  # what was typed is kept
        _fill_handover(page, "Phạm Văn Nhận, Phòng Thu thập")
        shot(page, "21-transfer-handover-form")
        page.click("#handover-form button[type=submit]")
        page.wait_for_url("**/records/transfer/records/**")
        record = page.inner_text("#handover-record")
        assert "BIÊN BẢN GIAO NỘP" in record.upper() and "30/11/2026" in record and digest in record
        assert "1 hồ sơ, 2 tài liệu, 2 trang" in record
        shot(page, "22-transfer-record")
        page.goto(page.url + "?lang=en")
        assert "Record of handover" in page.inner_text("h1") and "30/11/2026" in page.inner_text("main")
        shot(page, "23-transfer-record-english")
        page.goto(f"{base}/records/transfer?lang=vi")
        assert "Chưa có hồ sơ nào đến hạn giao nộp" in page.inner_text("#due")
        assert "12/BB-GN" in page.inner_text("#records")
        browser.close()
