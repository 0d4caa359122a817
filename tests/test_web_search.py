"""The search and document pages over documents that went through real OCR, as a reviewer."""

from __future__ import annotations

import re

import pytest

from search_ui.app import create_app
from tests.web_fixtures import login

pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
pytestmark = pytest.mark.slow


@pytest.fixture()
def client(web_data):
    app = create_app(web_data.services, config={"TESTING": True})
    client = app.test_client()
    login(client, "bt.tp")
    return client


def test_search_without_diacritics_finds_and_highlights(client, web_data):
    html = client.get("/search?q=ket+hon").get_data(as_text=True)
    assert '<meta charset="utf-8">' in html
    assert web_data.tp_doc in html
    assert re.search(r"<mark>kết</mark> <mark>hôn</mark>", html, re.I), html
    assert "Trang 1" in html


def test_search_with_diacritics_phrase_and_facets(client, web_data):
    data = client.get('/api/v1/search?q="hồ sơ"&limit=100').get_json()
    hit = next(h for h in data["hits"] if h["document_id"] == web_data.tp_doc)  # other tests add TP documents
    assert hit["page"] == 1 and hit["highlights"]
    assert list(data["facets"]["department"]) == ["TP"]  # a TP reviewer sees only TP
    html = client.get("/search?q=ho+so&role=result&sort=date").get_data(as_text=True)
    assert web_data.tp_doc in html and 'data-facet="department"' in html


def test_facets_name_departments_and_procedures(client, web_data):
    """The facets show the names an official knows, the code only as the link's title."""
    html = client.get("/search?q=ho+so").get_data(as_text=True)
    facets = html.split('<aside class="facets">')[1].split("</aside>")[0]
    assert 'title="TP">Sở Tư pháp</a>' in facets
    assert 'title="1.000894.000.00.00.H19">Đăng ký kết hôn</a>' in facets
    html = client.get("/search?q=ho+so&department=TP").get_data(as_text=True)
    assert "Sở Tư pháp ✕" in html  # the active filter too


def test_document_page_shows_text_and_downloads(client, web_data):
    html = client.get(f"/documents/{web_data.tp_doc}?q=ho+so").get_data(as_text=True)
    assert "<mark>Hồ</mark> <mark>sơ</mark>" in html
    assert "<dd>Sở Tư pháp (TP)</dd>" in html  # the name an official knows, its code beside
    pdf = client.get(f"/documents/{web_data.tp_doc}/archival.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    original = client.get(f"/documents/{web_data.tp_doc}/original")
    assert original.status_code == 200 and original.data.startswith(b"\x89PNG")
    image = client.get(f"/documents/{web_data.tp_doc}/pages/1.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    # Rendered pages are kept in memory only (a disposed document leaves no copy on disk).
    assert image.headers["Cache-Control"] == "no-store" and image.headers["Pragma"] == "no-cache"
    assert not (web_data.services.settings.data_dir / "cache").exists()


def test_english_is_available(client):
    html = client.get("/search?q=ho+so&lang=en").get_data(as_text=True)
    assert "Most relevant" in html and 'lang="en"' in html


def test_date_range_filter_chips_and_pagination(web_data):
    from datetime import date

    app = create_app(web_data.services, config={"TESTING": True})
    records = app.test_client()
    login(records, "lt")  # records officers see every department
    today = date.today().isoformat()
    assert records.get("/api/v1/search?q=tinh&from=2000-01-01&to=2000-12-31").get_json()["total"] == 0
    first = records.get(f"/api/v1/search?q=tinh&from={today}&limit=1").get_json()
    assert first["total"] >= 2 and first["from"] == today and len(first["hits"]) == 1
    second = records.get(f"/api/v1/search?q=tinh&from={today}&limit=1&page=2").get_json()
    assert second["hits"][0]["document_id"] != first["hits"][0]["document_id"]
    html = records.get("/search?q=tinh&department=XD").get_data(as_text=True)
    assert (
        "Cơ quan, đơn vị: Sở Xây dựng ✕" in html and web_data.xd_doc in html and web_data.tp_doc not in html
    )


def test_hostile_ocr_text_is_escaped_around_the_highlights():
    from archive.search_index import parse_query
    from search_ui.highlight import page_html, snippet_html

    text = "<script>alert('hồ sơ')</script> <img src=x onerror=alert(1)> hồ sơ & giấy tờ"
    html = str(snippet_html(text, parse_query("ho so")))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<mark>hồ</mark> <mark>sơ</mark>" in html.replace(
        "<mark>hồ sơ</mark>", "<mark>hồ</mark> <mark>sơ</mark>"
    )
    lines = [str(line) for line in page_html(text + "\n<b>dòng hai</b>", parse_query("dong"))]
    assert lines[1] == "&lt;b&gt;<mark>dòng</mark> hai&lt;/b&gt;"
