"""Unaccented queries on the search page and in the API: "Kết quả cho: ..." with the restored
query, a link to search exactly as typed, and no word learnt from another department."""

from __future__ import annotations

import pytest

from archive.model import Applicant, Document, DocumentMetadata, PageText
from search_ui.app import create_app
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.archive_doc import store_document
from tests.web_fixtures import add_officials, login

PAGES = {
    "TP": ["đăng ký tạm trú tại phường", "xác nhận tạm trú của công dân", "tâm trụ tâm trụ"],
    "XD": ["biên bản hiện trạng công trình", "kiểm tra hiện trạng nhà ở"],
}


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    svc = services(load_settings(tmp_path_factory.mktemp("unaccented") / "data"))
    n = 0
    for department, texts in PAGES.items():
        for text in texts:
            n += 1
            store_document(
                svc,
                Document(
                    id=f"UA.{n:03d}",
                    dossier_code=f"000.00.12.H19-260201-{n:04d}",
                    role="result",
                    department=department,
                    applicant=Applicant(id=f"07520000{n:04d}", name="Công dân"),
                    metadata=DocumentMetadata(type_name="Giấy xác nhận", subject=text),
                    pages=[PageText(1, text)],
                ),
            )
    add_officials(svc)
    return svc


def client_of(svc, user: str):
    client = create_app(svc, config={"TESTING": True}).test_client()
    login(client, user)
    return client


def test_search_page_shows_the_restored_query_and_an_exact_link(svc):
    client = client_of(svc, "bt.tp")
    html = client.get("/search?q=tam+tru").get_data(as_text=True)
    assert "Kết quả cho:" in html and '<strong lang="vi">tạm trú</strong>' in html
    assert 'href="/search?q=tam+tru&amp;exact=1"' in html
    # The restored form ranks first: the first hit is a "tạm trú" page, not the repeated "tâm trụ".
    first = html.index('class="hit"')
    assert "UA.003" not in html[first : html.index("</article>", first)]
    exact = client.get("/search?q=tam+tru&exact=1").get_data(as_text=True)
    assert "Kết quả cho:" not in exact and 'name="exact" value="1"' in exact


def test_api_gives_the_restored_query_and_exact_turns_it_off(svc):
    client = client_of(svc, "bt.tp")
    data = client.get("/api/v1/search?q=tam+tru").get_json()
    assert data["restored_query"] == "tạm trú" and data["exact"] is False
    assert data["hits"][0]["document_id"] in {"UA.001", "UA.002"} and data["total"] == 3
    exact = client.get("/api/v1/search?q=tam+tru&exact=1").get_json()
    assert exact["restored_query"] == "" and exact["exact"] is True and exact["total"] == 3
    assert "exact" in str(client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/search"])


def test_no_word_of_another_department_is_suggested(svc):
    # "hiện trạng" is only in XD's documents: a TP reviewer's query is not restored into it.
    assert client_of(svc, "bt.tp").get("/api/v1/search?q=hien+trang").get_json()["restored_query"] == ""
    html = client_of(svc, "bt.tp").get("/search?q=hien+trang").get_data(as_text=True)
    assert "hiện trạng" not in html
    assert (
        client_of(svc, "bt.xd").get("/api/v1/search?q=hien+trang").get_json()["restored_query"]
        == "hiện trạng"
    )
    assert (
        client_of(svc, "lt").get("/api/v1/search?q=hien+trang").get_json()["restored_query"] == "hiện trạng"
    )
