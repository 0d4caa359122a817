"""The search and document pages and the JSON API over documents that went through real OCR."""

from __future__ import annotations

import re

import pytest

from search_ui.app import create_app
from tests.web_fixtures import web_data  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


@pytest.fixture()
def client(web_data):  # noqa: F811
    app = create_app(web_data.services, config={"TESTING": True})
    return app.test_client()


def test_search_without_diacritics_finds_and_highlights(client, web_data):  # noqa: F811
    html = client.get("/search?q=ket+hon").get_data(as_text=True)
    assert '<meta charset="utf-8">' in html
    assert web_data.tp_doc in html
    assert web_data.xd_doc not in html
    assert re.search(r"<mark>kết</mark> <mark>hôn</mark>", html, re.I), html
    assert "Trang 1" in html


def test_search_with_diacritics_and_phrase(client, web_data):  # noqa: F811
    data = client.get('/api/v1/search?q="giấy phép xây dựng"').get_json()
    assert [h["document_id"] for h in data["hits"]] == [web_data.xd_doc]
    hit = data["hits"][0]
    assert hit["page"] == 1 and hit["highlights"]
    assert data["facets"]["department"] == {"XD": 1}


def test_document_page_shows_text_and_downloads(client, web_data):  # noqa: F811
    html = client.get(f"/documents/{web_data.tp_doc}?q=ho+so").get_data(as_text=True)
    assert "<mark>Hồ</mark> <mark>sơ</mark>" in html
    pdf = client.get(f"/documents/{web_data.tp_doc}/archival.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    original = client.get(f"/documents/{web_data.tp_doc}/original")
    assert original.status_code == 200 and original.data.startswith(b"\x89PNG")
    image = client.get(f"/documents/{web_data.tp_doc}/pages/1.png")
    assert image.status_code == 200 and image.mimetype == "image/png"


def test_api_document_and_missing(client, web_data):  # noqa: F811
    doc = client.get(f"/api/v1/documents/{web_data.xd_doc}").get_json()
    assert doc["department"] == "XD" and "xây dựng" in doc["pages"][0]["text"].lower()
    assert client.get("/api/v1/documents/nope").status_code == 404
