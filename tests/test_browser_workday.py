"""The working day of issue 15 in a real browser (Playwright driving Debian's chromium) against
``sohoa serve`` with its worker: each check fails if what officials stumbled on came back.
Screenshots go to tests/output/screenshots/ (names start with ``wd-``)."""

from __future__ import annotations

import pytest

from tests.support.render import save_pdf, save_scan
from tests.test_browser_flow import browser, drop_files, open_dossier, server, shot, sign_in, wait_image

pytest_plugins = ["tests.web_fixtures"]
pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser", "server"]  # module fixtures borrowed from the first browser test

# Another citizen than the first browser test's: its "nothing on file yet" must stay true.
WORKDAY_APPLICANT = "001199054321"
DECISION_P1 = [
    "ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHONG",
    "Số: 77/QĐ-UBND",
    "QUYẾT ĐỊNH",
    "Về việc công nhận kết quả hòa giải thành tại cơ sở giữa các hộ gia đình",
    "ở khu phố 3 phường Tân Phong về ranh giới thửa đất số 215",
    "Điều 1. Công nhận kết quả hòa giải thành giữa các bên.",
]
DECISION_P2 = [
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Nơi nhận: như Điều 2; lưu VT.",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Nguyễn Văn An",
]


@pytest.fixture()
def en_page(browser):
    """A browser whose language is American English: dates must still be dd/mm/yyyy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def _upload_and_wait(page, paths) -> None:
    drop_files(page, "[data-dropzone]", paths)
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#documents article.doc", timeout=300_000)
    page.wait_for_load_state()


def test_confirm_shows_every_page_dates_as_ddmmyyyy_and_no_pending_button(server, en_page, tmp_path):
    page, base = en_page, server
    pdf = save_pdf([DECISION_P1, DECISION_P2], tmp_path / "quyet-dinh-hoa-giai.pdf", dpi=200, seed=21)
    sign_in(page, base, "tn.tp")
    code = open_dossier(page, base, WORKDAY_APPLICANT, "Lê Văn Hòa")
    page.select_option("select[name=paper_kind]", "ban_sao_chung_thuc")  # item 8: kind chosen at upload
    _upload_and_wait(page, [pdf])
    # Item 10: the step and the status say the same thing.
    assert page.inner_text("#jobs .step") == "đã lưu trữ và lập chỉ mục"
    assert page.inner_text("#jobs .state") == "Hoàn tất"
    doc = page.locator("#documents article.doc").first
    doc.locator("a.button").click()
    page.wait_for_selector("#confirm-form")
    assert page.url.endswith("/confirm"), page.url
    # Every page, the signer's field pointing at page 2 where it was found.
    assert page.locator("#pages figure").count() == 2
    signer = page.locator("[data-field=signer]")
    assert "Nguyễn Văn An" in signer.locator("input").input_value()
    signer.locator("a[href='#page-2']").click()  # "thấy ở trang 2" brings the signer's page
    wait_image(page.locator("#page-2 img"))
    # The subject is several lines, whole; the missing issue date is marked for a look.
    subject = page.locator("textarea[name=subject]")
    assert "ranh giới thửa đất" in subject.input_value() and subject.get_attribute("rows") == "4"
    assert "Cần kiểm tra" in page.locator("[data-field=issued_date]").inner_text()
    dates = page.locator("input[name=valid_until]")
    assert (
        dates.get_attribute("type") in (None, "text")
        and dates.get_attribute("placeholder") == "ngày/tháng/năm"
    )
    shot(page, "wd-01-confirm-every-page")

    # A wrong date: said in Vietnamese, and what was typed is kept.
    subject.fill("Công nhận kết quả hòa giải thành\nvề ranh giới thửa đất số 215")
    page.fill("input[name=issued_date]", "31/02/2026")
    with page.expect_navigation():
        page.click("#confirm-form button[type=submit]")
    assert "Ngày không hợp lệ: “31/02/2026”" in page.inner_text(".flash.error")
    assert "về ranh giới thửa đất số 215" in page.locator("textarea[name=subject]").input_value()
    assert page.locator("input[name=issued_date]").input_value() == "31/02/2026"
    shot(page, "wd-02-confirm-bad-date")
    page.fill("input[name=issued_date]", "05/03/2026")
    page.fill("input[name=valid_until]", "31/12/2099")
    page.click("#confirm-form button[type=submit]")
    try:
        # (the browser keeps the "#page-2" followed on the confirmation screen)
        page.wait_for_url(f"**/intake/dossiers/{code}*", timeout=60_000)
    except Exception:
        shot(page, "wd-fail-confirm")
        raise AssertionError(page.url + "\n" + page.inner_text("main")) from None
    done = page.locator("#documents article.doc").first
    assert done.locator(".badge.ok").count() == 1
    assert done.locator("a.button").count() == 0, "a confirmed document shows no pending-looking button"
    assert "Xem, sửa thông tin" in done.locator(".confirm-state").inner_text()
    shot(page, "wd-03-dossier-confirmed")
    done.locator("a.edit-metadata").click()
    assert page.locator("input[name=issued_date]").input_value() == "05/03/2026"
    assert page.locator("input[name=valid_until]").input_value() == "31/12/2099"
    assert page.locator(".needs-look").count() == 0, "after confirming nothing is left to look at"

    # Item 8: the receipt numbers the papers 1, 2... with their kind, and "Số lượng" is copies.
    page.goto(f"{base}/intake/dossiers/{code}/receipt")
    rows = page.locator("#receipt-papers tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == "1" and cells[2] == "Bản sao chứng thực" and cells[3] == "1", cells
    assert "2 trang" in cells[1], cells
    shot(page, "wd-05-receipt")


def test_duplicate_of_a_queued_file_says_queued_not_archived(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    scan = save_scan(DECISION_P1, tmp_path / "to-trinh.png", dpi=200, seed=31)
    sign_in(page, base := server, "tn.tp")
    open_dossier(page, base, WORKDAY_APPLICANT, "Lê Văn Hòa")
    drop_files(page, "[data-dropzone]", [scan])
    page.click("#upload button[type=submit]")
    page.wait_for_load_state()
    drop_files(page, "[data-dropzone]", [scan])  # handed in twice while the first is on its way
    page.click("#upload button[type=submit]")
    page.wait_for_load_state()
    said = page.inner_text(".flash.error")
    assert "Tệp này đã được tải lên lúc" in said and "chưa được lưu trữ" in said, said
    assert "đã có trong kho lưu trữ" not in said and "đã được lưu trữ:" not in said
    shot(page, "wd-04-duplicate-queued")
    context.close()


def test_records_unit_sees_hold_reasons_retention_list_and_filters_the_log(server, browser, web_data):
    """Items 6 and 7 in the browser: the hold's reason, person and time on the document page, the
    retention list filtered by hold and department, the access log filtered by person by POST."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    base, doc = server, web_data.xd_doc
    sign_in(page, base, "lt")
    page.goto(f"{base}/documents/{doc}")
    if "/purpose" in page.url:
        page.select_option("select[name=purpose]", "inspection")
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"**/documents/{doc}**")
    page.fill(
        "#records-actions form:first-of-type input[name=reason]", "Công văn 45/CV-TTr của Thanh tra tỉnh"
    )
    page.click("#records-actions form:first-of-type button[type=submit]")
    page.wait_for_selector("#hold-reason")
    assert "Công văn 45/CV-TTr" in page.inner_text("#hold-reason") and "lt" in page.inner_text("#hold-reason")
    shot(page, "wd-06-document-hold")
    page.goto(f"{base}/records/retention")
    page.select_option("select[name=hold]", "1")
    page.select_option("select[name=department]", "XD")
    page.click("#retention-filter button[type=submit]")
    page.wait_for_selector(f"#retention-rows tr[data-doc='{doc}']")
    assert page.locator(f"#retention-rows tr[data-doc='{web_data.tp_doc}']").count() == 0
    shot(page, "wd-07-retention-list")
    page.goto(f"{base}/records/access-log")
    page.fill("input[name=login]", "lt")
    page.click("#log-filter button[type=submit]")
    page.wait_for_selector("#log-rows tr[data-login='lt']")
    assert page.locator("#log-rows tr[data-login='bt.tp']").count() == 0
    assert page.url.endswith("/records/access-log"), "the filter is no URL"
    shot(page, "wd-08-access-log")
    page.goto(f"{base}/documents/{doc}")  # release the hold again for the other tests
    page.fill("#records-actions form:first-of-type input[name=reason]", "Kết thúc thanh tra")
    page.click("#records-actions form:first-of-type button[type=submit]")
    page.wait_for_load_state()
    context.close()


def _big_png(path):
    from PIL import Image

    Image.new("1", (20000, 9000), 1).save(path, "PNG")  # 180 MP, a few KB: over the pixel bound
    return path


def _watch_pages(page, limit: float = 300.0) -> list[tuple[str, str]]:
    """The progress and status words of the job row while OCR reads its pages (app.js polls)."""
    import time

    seen: list[tuple[str, str]] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and page.locator("#documents article.doc").count() == 0:
        try:
            # One evaluate reads both cells in the same instant: app.js updates them together,
            # two separate reads could straddle a poll.
            step, state = page.evaluate(
                "() => ['#jobs .step', '#jobs .state'].map((s) => document.querySelector(s).innerText)"
            )
        except Exception:  # noqa: BLE001 - the page reloads once the job is done
            continue
        if step.startswith("Trang ") and (step, state) not in seen:
            seen.append((step, state))
            if len(seen) == 1:
                shot(page, "wd-10-progress-per-page")
        time.sleep(0.2)
    page.wait_for_selector("#documents article.doc", timeout=60_000)
    return seen


def test_join_files_progress_per_page_oversized_refused_and_reused_thumbnail(server, browser, tmp_path):
    """Item 10 and a reused document's thumbnail: the form says before the upload what the files
    will become; two page images become one 2-page document, its progress told page by page in
    the same words in both columns; an oversized image is refused at once; reused, the document
    shows its thumbnails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    p1 = save_scan(DECISION_P1, tmp_path / "trang-1.png", dpi=200, seed=41)
    p2 = save_scan(DECISION_P2, tmp_path / "trang-2.png", dpi=200, seed=42)
    sign_in(page, base := server, "tn.tp")
    code = open_dossier(page, base, WORKDAY_APPLICANT, "Lê Văn Hòa")
    plan = page.locator(".upload-plan")
    assert plan.inner_text() == "Mỗi tệp đã chọn sẽ thành một tài liệu riêng."
    drop_files(page, "[data-dropzone]", [p1, p2])
    assert plan.inner_text() == "2 tệp sẽ thành 2 tài liệu."
    page.check("input[name=one_document][value='1']")
    assert plan.inner_text() == "2 tệp sẽ thành 1 tài liệu 2 trang, theo thứ tự: trang-1.png, trang-2.png."
    shot(page, "wd-09-join-plan")
    page.click("#upload button[type=submit]")
    page.wait_for_load_state()
    assert "Đã nhận 2 tệp thành một tài liệu" in page.inner_text(".flash.ok")
    seen = _watch_pages(page)
    assert seen, "no page-by-page progress was shown"
    assert all(state == f"Đang xử lý — {step}" for step, state in seen), seen
    assert {step for step, _ in seen} <= {"Trang 1/2: nhận dạng chữ", "Trang 2/2: nhận dạng chữ"}, seen
    assert page.locator("#jobs tbody tr").count() == 1
    doc = page.locator("#documents article.doc").first
    doc_id = doc.get_attribute("data-doc")
    assert doc.locator("figure[data-page]").count() == 2 and "2 trang" in doc.inner_text()

    drop_files(page, "[data-dropzone]", [_big_png(tmp_path / "ban-quet-lon.png")])
    page.click("#upload button[type=submit]")
    page.wait_for_load_state()
    said = page.inner_text(".flash.error")
    assert "ban-quet-lon.png: Ảnh quá lớn: 20000 × 9000 điểm ảnh" in said, said
    assert page.locator("#jobs tbody tr").count() == 1, "no job for the refused image"
    shot(page, "wd-11-oversized-refused")

    other = open_dossier(page, base, WORKDAY_APPLICANT, "Lê Văn Hòa")
    assert other != code
    page.locator(f"#on-file tr[data-doc='{doc_id}'] button[type=submit]").click()
    page.wait_for_load_state()
    reused = page.locator(f"#documents article.doc[data-doc='{doc_id}']")
    assert "sử dụng lại từ hồ sơ" in reused.inner_text()
    assert reused.locator("figure[data-page]").count() == 2
    wait_image(reused.locator("figure[data-page='1'] img"))
    shot(page, "wd-12-reused-thumbnails")
    context.close()


def test_the_upload_plan_is_right_without_javascript(server, browser):
    """Without JS, the line under the choice says what the chosen mode will do (CSS shows it)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, base := server, "tn.tp")
    open_dossier(page, base, WORKDAY_APPLICANT, "Lê Văn Hòa")
    plan = page.locator(".upload-plan")
    assert plan.inner_text() == "Mỗi tệp đã chọn sẽ thành một tài liệu riêng."
    page.check("input[name=one_document][value='1']")
    assert plan.inner_text().startswith("Các tệp đã chọn sẽ thành một tài liệu, các trang theo thứ tự chọn")
    context.close()
