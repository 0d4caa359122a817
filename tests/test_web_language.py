"""What an official reads is Vietnamese (English when chosen), with the center's dates and numbers
(issue 15, item 9): the retention error, the API's 403 body, CSV headers, dd/mm/yyyy dates and
1.234,5 numbers."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from search_ui.app import create_app
from search_ui.numbers import format_number
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
    header = client.get("/reports.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith('"Cơ quan, đơn vị",Hồ sơ tiếp nhận,Hồ sơ đã số hóa,Tỷ lệ số hóa')
    assert "dossiers_received" not in header and "ocr_mean_confidence" not in header


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


def test_one_page_is_singular_in_english(app, web_data):
    """'1 page', not '1 pages', on the dossier page and the receipt when English is chosen."""
    client = app.test_client()
    login(client, "tn.tp")
    code = web_data.tp_doc.rsplit(".", 1)[0]
    client.get("/search?lang=en")
    for path in (f"/intake/dossiers/{code}", f"/intake/dossiers/{code}/receipt"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r"\b1 page\b", html) and not re.search(r"\b1 pages\b", html), path
