"""What an official reads is Vietnamese (English when chosen), with the center's dates and numbers
(issue 15, item 9): the retention error, the API's 403 body, CSV headers, dd/mm/yyyy dates and
1.234,5 numbers."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from search_ui.app import create_app
from search_ui.numbers import format_number, format_size
from tests.web_fixtures import PASSWORD, csrf_of, login

pytest_plugins = ["tests.web_fixtures"]
pytestmark = pytest.mark.slow


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


def test_numbers_the_vietnamese_way():
    assert format_number(1234.5) == "1.234,5"
    assert format_number(1234567) == "1.234.567"
    assert format_number(87.25, decimals=1) == "87,2" or format_number(87.25, decimals=1) == "87,3"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number("—") == "—"


def test_sizes_in_units_an_official_reads():
    assert format_size(512) == "512 B"
    assert format_size(1_258_291) == "1,2 MB"
    assert format_size(3 * 1024**3) == "3,0 GB"
    assert format_size(1_258_291, "en") == "1.2 MB"


def test_api_403_body_is_vietnamese_or_english_when_chosen(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"login": "bt.tp", "password": PASSWORD}).status_code == 200
    resp = client.get("/api/v1/stats")
    assert resp.status_code == 403
    assert resp.get_json()["message"] == "Bạn không có quyền truy cập nội dung này."
    client.get("/search?lang=en")
    assert client.get("/api/v1/stats").get_json()["message"] == "You are not allowed to see this."


def test_reports_csv_headers_are_vietnamese(app):
    client = app.test_client()
    login(client, "lt")
    lines = client.get("/reports.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    header = lines[0]
    assert header.startswith("Cơ quan, đơn vị;Hồ sơ tiếp nhận;Hồ sơ đã số hóa;Tỷ lệ số hóa"), header
    assert "dossiers_received" not in header and "ocr_mean_confidence" not in header
    assert "Tỷ lệ số hóa (%)" in header and lines[-1].startswith("Tổng cộng;")  # not "*"
    from ingest.dossiers.statistics import to_csv

    row = {"department": "TP", "dossiers_received": 4, "digitisation_rate": 0.5, "reuse_rate": 0.125}
    assert to_csv([row]).splitlines()[1].startswith("TP;4;;50;;12,5")  # percent, as on the screen
    # Numbers as a spreadsheet set to Vietnamese reads them: decimal comma, ';' between cells.
    cells = [c for line in lines[1:] for c in line.split(";")]
    assert any(re.fullmatch(r"\d+,\d", c) for c in cells), lines
    assert not any(re.fullmatch(r"\d+\.\d+", c) for c in cells), lines
    english = client.get("/reports.csv?lang=en").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert any(re.fullmatch(r"\d+\.\d", c) for line in english[1:] for c in line.split(",")), english


def test_document_dates_and_shortening_retention_error(app, web_data):
    client = app.test_client()
    login(client, "lt")
    doc = web_data.services.catalogue.document(web_data.tp_doc)
    current = date.fromisoformat(doc["retain_until"][:10])
    page = client.get(f"/documents/{web_data.tp_doc}").get_data(as_text=True)
    shown = current.strftime("%d/%m/%Y")
    assert shown in page and not re.search(r"\b\d{4}-\d{2}-\d{2}\b", _visible(page))
    resp = client.post(
        f"/records/documents/{web_data.tp_doc}/retention",
        data={"until": "2027-01-01", "reason": "thử rút ngắn", "csrf_token": csrf_of(page)},
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert f"Chỉ được kéo dài thời hạn lưu trữ: ngày mới phải sau {shown}." in html
    assert "cannot be shortened" not in html


def _visible(html: str) -> str:
    """The page's text without tags and attribute values (links and ids may hold ISO dates)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_fixity_times_in_the_centers_zone(app, web_data):
    folder = web_data.services.settings.data_dir / "fixity"
    folder.mkdir(exist_ok=True)
    report = {"started": "2026-03-05T18:30:00+00:00", "documents": 1234, "objects": 2}
    report |= {"ok": 2, "mismatch": 0, "missing": 0, "error": 0}
    path = folder / "fixity-20260305T183000Z.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    try:
        client = app.test_client()
        login(client, "lt")
        html = client.get("/records").get_data(as_text=True)
    finally:
        path.unlink()
    assert "06/03/2026 01:30" in html and "2026-03-05 18:30" not in html
    assert "<td>1.234</td>" in html


def test_date_boxes_are_ddmmyyyy_whatever_the_browser(app, web_data):
    """Issue 15, item 9: no browser date picker (it follows the browser's language, mm/dd/yyyy in
    English); every date box takes and shows dd/mm/yyyy."""
    client = app.test_client()
    login(client, "lt")
    for path in ("/search?q=giay", f"/documents/{web_data.xd_doc}", "/records/retention"):
        html = client.get(path).get_data(as_text=True)
        assert 'type="date"' not in html, path
    html = client.get("/search?q=giay&from=01/01/2000&to=31/12/2000").get_data(as_text=True)
    assert 'value="01/01/2000"' in html and 'value="31/12/2000"' in html
    assert client.get("/api/v1/search?q=giay&from=01/01/2000&to=31/12/2000").get_json()["total"] == 0
    assert client.get("/api/v1/search?q=giay&from=01/01/2000").get_json()["total"] >= 1


def test_facets_show_names_not_codes(app):
    """Also seen in issue 15: the procedure facet shows the procedure's name, the department
    facet the department's (codes stay in the links)."""
    client = app.test_client()
    login(client, "lt")
    html = client.get("/search?q=giay").get_data(as_text=True)
    facet = html.split('data-facet="procedure_code"')[1].split("</section>")[0]
    assert "Đăng ký kết hôn" in facet and 'title="1.000894.000.00.00.H19"' in facet, facet
    department = html.split('data-facet="department"')[1].split("</section>")[0]
    assert ">TP<" not in department, department


def test_one_page_is_singular_in_english(app, web_data):
    """'1 page', not '1 pages', on the dossier page and the receipt when English is chosen."""
    client = app.test_client()
    login(client, "tn.tp")
    code = web_data.tp_doc.rsplit(".", 1)[0]
    client.get("/search?lang=en")
    for path in (f"/intake/dossiers/{code}", f"/intake/dossiers/{code}/receipt"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r"\b1 page\b", html) and not re.search(r"\b1 pages\b", html), path
