"""The web app in a real browser (Playwright driving Debian's chromium) against ``sohoa serve``
with its worker child: real uploads, real OCR, real index.

1. intake -> OCR (live progress) -> confirm metadata -> search without diacritics -> view with
   hits highlighted -> reuse in a second dossier (no second copy) -> the applicant's data store;
2. a reviewer of another department fails to reach the document by the UI, by URL and by API.
Screenshots of the main pages go to tests/output/screenshots/.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.render import save_scan
from tests.web_fixtures import PASSWORD, free_port

pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).parent / "output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
APPLICANT = "001199012345"
SCAN = [
    "ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHONG",
    "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    "Số: 512/XN-UBND",
    "Xác nhận bà Trần Thị Thu Hương hiện đang cư trú tại phường Tân Phong.",
    "Tình trạng hôn nhân: chưa đăng ký kết hôn với ai.",
    "Giấy này có giá trị sử dụng trong thời hạn sáu tháng kể từ ngày cấp.",
]
FORM = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
    "Kính gửi: Ủy ban nhân dân phường Tân Phong.",
]


@pytest.fixture(scope="module")
def server(web_data):
    """``sohoa serve`` (with its worker child) on the fixture's data directory."""
    port = free_port()
    data_dir = web_data.services.settings.data_dir
    log = open(data_dir / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.terminate()
        pytest.fail((data_dir / "serve.log").read_text())
    yield base
    proc.terminate()
    proc.wait(30)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def drop_files(page, selector: str, paths: list[Path]) -> None:
    """Drop files onto ``selector`` as a user dragging them from the desktop would."""
    files = [[p.name, base64.b64encode(p.read_bytes()).decode()] for p in paths]
    transfer = page.evaluate_handle(
        """files => {
        const dt = new DataTransfer();
        for (const [name, b64] of files) {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], name, { type: "image/png" }));
        }
        return dt;
    }""",
        files,
    )
    page.dispatch_event(selector, "dragenter", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})
    count = page.locator(f"{selector} input[type=file]").evaluate("input => input.files.length")
    assert count == len(paths)


def wait_image(locator, timeout: float = 30.0) -> None:
    """Wait until an image has loaded and decoded (polling: the app's CSP forbids the eval that
    ``wait_for_function`` needs)."""
    deadline = time.monotonic() + timeout
    while not locator.evaluate("img => img.complete && img.naturalWidth > 0"):
        assert time.monotonic() < deadline, "image did not load"
        time.sleep(0.2)


def sign_in(page, base: str, login: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()


def sign_out(page) -> None:
    page.click("header form button")
    page.wait_for_url("**/login")


def open_dossier(page, base: str, applicant: str = APPLICANT, name: str = "Trần Thị Thu Hương") -> str:
    page.goto(f"{base}/intake")
    page.fill("input[name=procedure]", "1.000894.000.00.00.H19 — Đăng ký kết hôn")
    page.fill("input[name=applicant_id]", applicant)
    page.fill("input[name=applicant_name]", name)
    page.click("#new-dossier button[type=submit]")
    page.wait_for_url("**/intake/dossiers/**")
    return page.inner_text("#dossier-code").strip()


def test_intake_ocr_confirm_search_view_reuse(server, page, tmp_path):
    base = server
    scan = save_scan(SCAN, tmp_path / "xac-nhan-hon-nhan.png", dpi=300, seed=7)
    form = save_scan(FORM, tmp_path / "to-khai.png", dpi=200, seed=8)
    sign_in(page, base, "tn.tp")
    shot(page, "01-intake-start")
    first = open_dossier(page, base)
    assert "Người nộp chưa có tài liệu nào" in page.inner_text("#on-file")
    drop_files(page, "[data-dropzone]", [scan, form])  # multi-file drag-and-drop
    page.click("#upload button[type=submit]")
    page.wait_for_url(f"**/intake/dossiers/{first}")
    assert "đang nhận dạng" in page.content()
    shot(page, "02-intake-progress")
    # Live progress: app.js polls the jobs and reloads once OCR, archiving and indexing are done.
    page.wait_for_selector("#documents article.doc", timeout=300_000)
    assert page.locator("#jobs .state-done").count() == 2
    doc_id = page.inner_text("#jobs tr:has-text('xac-nhan-hon-nhan.png') td:nth-child(2)").strip()
    assert page.locator(f"#documents article.doc[data-doc='{doc_id}']").count() == 1
    wait_image(page.locator("#documents .thumbs img").first)
    shot(page, "03-intake-dossier-done")

    page.click(f"#documents article[data-doc='{doc_id}'] a.button")  # confirm metadata
    page.fill("textarea[name=subject]", "Xác nhận tình trạng hôn nhân của bà Trần Thị Thu Hương")
    page.fill("input[name=valid_until]", "31/12/2099")  # dd/mm/yyyy whatever the browser
    shot(page, "04-intake-confirm")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url(f"**/intake/dossiers/{first}")
    assert page.locator(f"#documents article[data-doc='{doc_id}'] .badge.ok").count() == 1
    page.goto(f"{base}/intake/dossiers/{first}/receipt")
    assert first in page.inner_text(".receipt")
    shot(page, "05-intake-receipt")
    sign_out(page)

    # A reviewer of the same department finds it typed without diacritics.
    sign_in(page, base, "bt.tp")
    page.fill("input[name=q]", '"xac nhan tinh trang hon nhan"')
    page.click("form.searchbox button[type=submit]")
    page.wait_for_selector(f"article.hit a[href*='{doc_id}']")
    hit = page.locator("article.hit", has=page.locator(f"a[href*='{doc_id}']"))
    assert "Trang 1" in hit.inner_text()
    marked = " ".join(hit.locator("mark").all_inner_texts()).lower()
    assert "xác nhận tình trạng hôn nhân" in " ".join(marked.split()), marked
    shot(page, "06-search-without-diacritics")
    hit.locator("h2 a").click()
    page.wait_for_url("**/purpose**")
    shot(page, "07-purpose")
    page.select_option("select[name=purpose]", "processing")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**/documents/{doc_id}**")
    assert "tình trạng hôn nhân" in " ".join(page.locator(".ocr-text mark").all_inner_texts()).lower()
    wait_image(page.locator(".page-pair img").first)
    assert "Xác nhận tình trạng hôn nhân của bà" in page.inner_text("dl.metadata")
    with page.expect_download() as download:
        page.click("a[href$='archival.pdf']")
    assert download.value.suggested_filename == f"{doc_id}.pdf"
    shot(page, "08-document-view")
    sign_out(page)

    # A second dossier of the same applicant reuses the document instead of asking for it again.
    sign_in(page, base, "tn.tp")
    second = open_dossier(page, base)
    assert second != first
    row = page.locator(f"#on-file tr[data-doc='{doc_id}']")
    shot(page, "09-intake-on-file")
    row.locator("button").click()
    page.wait_for_url(f"**/intake/dossiers/{second}")
    assert "Đã liên kết" in page.locator(f"#on-file tr[data-doc='{doc_id}']").inner_text()
    reused = page.locator(f"#documents article[data-doc='{doc_id}']")
    assert f"sử dụng lại từ hồ sơ {first}" in reused.inner_text()
    shot(page, "10-intake-reused")
    page.locator("a[href^='/applicants/']").first.click()  # an opaque key, never the ID in the URL
    page.wait_for_url("**/applicants/**")
    assert APPLICANT not in page.url
    store_row = page.locator(f"#applicant-documents tr[data-doc='{doc_id}']")
    assert second in store_row.inner_text() and "Còn hiệu lực" in store_row.inner_text()
    shot(page, "11-applicant-store")
    # No second copy: the document is still only in the first dossier's documents.
    api = page.request.get(f"{base}/api/v1/dossiers/{second}").json()
    assert api["documents"] == [] and [r["document_id"] for r in api["reused"]] == [doc_id]


def test_other_department_is_refused_by_ui_url_and_api(server, page, web_data):
    base, tp_doc = server, web_data.tp_doc
    sign_in(page, base, "bt.xd")
    page.goto(f"{base}/search?q=ket+hon")
    # The TP marriage document is neither shown nor counted (other tests of the session may add
    # matching documents of construction's own, which the XD reviewer rightly sees).
    assert page.locator(f'article.hit a[href*="{tp_doc}"]').count() == 0
    assert tp_doc not in page.inner_text("main")
    response = page.goto(f"{base}/documents/{tp_doc}")
    assert response.status == 404
    assert tp_doc not in page.inner_text("main")
    shot(page, "12-refused-other-department")
    assert page.goto(f"{base}/documents/{tp_doc}/archival.pdf").status == 404
    api = page.request.get(f"{base}/api/v1/documents/{tp_doc}?purpose=processing")
    assert api.status == 404
    found = page.request.get(f"{base}/api/v1/search?q=ket+hon").json()
    assert tp_doc not in [h["document_id"] for h in found["hits"]]
    assert found["total"] == len(found["hits"]), "nothing hidden is counted"
    # Their own department's document opens.
    page.goto(f"{base}/documents/{web_data.xd_doc}")
    page.wait_for_url("**/purpose**")


def test_records_admin_pages(server, page):
    base = server
    sign_in(page, base, "qt")
    for path, name in [
        ("/records", "13-records"),
        ("/reports", "14-reports"),
        ("/admin/users", "15-users"),
        ("/search?q=giay+phep&lang=en", "16-search-english"),
    ]:
        resp = page.goto(base + path)
        assert resp.status == 200, path
        shot(page, name)
    page.goto(f"{base}/reports?lang=vi")
    assert page.locator("#stats tr.total").count() == 1
    csv = page.request.get(f"{base}/reports.csv")
    assert csv.ok and "Hồ sơ tiếp nhận" in csv.text() and "dossiers_received" not in csv.text()
