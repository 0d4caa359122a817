"""The batch page in a real browser (Playwright driving Debian's chromium) against ``sohoa serve``
with its worker child: an intake officer uploads a scanned stack, sees which pages went to which
dossier, routes the stray page to a dossier, and the parts are OCR-ed and archived by the worker.
Screenshots go to tests/output/screenshots/ (batch-*.png)."""

from __future__ import annotations

import time

import pytest

from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.api_client import start_server
from tests.support.batch_stack import TP_CODE, make_stack, open_dossiers
from tests.test_browser_flow import CHROMIUM_ARGS, shot, sign_in
from tests.web_fixtures import add_officials, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browserbatch")
    data = root / "data"
    svc = services(load_settings(data))
    add_officials(svc)
    open_dossiers(svc)
    port = free_port()
    proc = start_server(data, port)
    yield {"base": f"http://127.0.0.1:{port}", "stack": make_stack(root), "svc": svc}
    proc.terminate()
    proc.wait(30)


@pytest.fixture()
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        p = context.new_page()
        p.set_default_timeout(60_000)
        yield p
        browser.close()


def _wait_done(page, selector: str, timeout: float = 400.0) -> None:
    """Press the refresh button until the part's job is done (the worker OCRs it)."""
    deadline = time.monotonic() + timeout
    while not page.locator(f"{selector} .state-done").count():
        assert time.monotonic() < deadline, page.inner_text("#batch-parts")
        time.sleep(3)
        page.click("#batch-parts a.button")
        page.wait_for_load_state()


def test_officer_uploads_a_stack_and_routes_the_stray_page(server, page):
    base = server["base"]
    sign_in(page, base, "tn.tp")
    page.click("header nav a:has-text('Quét hàng loạt')")
    page.wait_for_url("**/intake/batches")
    shot(page, "batch-01-upload")
    page.set_input_files("#batch-upload input[type=file]", str(server["stack"]))
    page.click("#batch-upload button[type=submit]")
    page.wait_for_url("**/intake/batches/2*")
    assert "Đã nhận chồng giấy: 3 phần" in page.inner_text("main")
    part = f"#batch-parts tr[data-dossier='{TP_CODE}']"
    assert page.inner_text(f"{part} td:first-child").strip() == "3"
    held = page.locator("section.held")
    assert "Trang 1: chưa rõ thuộc hồ sơ nào" in held.inner_text()
    assert held.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, "batch-02-sorted")

    held.locator("input[name=dossier_code]").fill(TP_CODE)
    held.locator("input[name=component_name]").fill("Giấy xác nhận cư trú")
    held.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert f"Đã chuyển trang 1 vào hồ sơ {TP_CODE}" in page.inner_text("main")
    _wait_done(page, part)

    assert page.locator(f"#batch-parts tr[data-dossier='{TP_CODE}']").count() == 2, "the routed part too"
    _wait_done(page, "#batch-parts tr[data-part='1']")
    shot(page, "batch-03-routed-done")

    page.goto(f"{base}/intake/dossiers/{TP_CODE}")
    titles = page.locator("#documents article.doc h3 a").all_inner_texts()
    assert sorted(titles) == ["Giấy xác nhận cư trú", "Tờ khai đăng ký kết hôn"], titles
    shot(page, "batch-04-dossier")
