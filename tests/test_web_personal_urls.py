"""No citizen ID or name in any URL the service links or redirects to (issue 15, item 5): the
applicant page has an opaque key, lookup by ID is a POST, a refused new-dossier form is re-rendered,
and request logs mask ID-like digit runs in query strings."""

from __future__ import annotations

import logging
import re

import pytest

from search_ui import log_mask
from search_ui.app import create_app
from search_ui.log_mask import mask_query_ids
from tests.web_fixtures import CITIZEN, csrf_of, login

pytest_plugins = ["tests.web_fixtures"]
pytestmark = pytest.mark.slow
NAME = "Nguyễn Thị Bích Ngọc"


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


def test_refused_new_dossier_keeps_typed_fields_without_a_redirect(app):
    client = app.test_client()
    login(client, "tn.tp")
    page = client.get("/intake").get_data(as_text=True)
    resp = client.post(
        "/intake/dossiers",
        data={
            "procedure": "không có thủ tục này",
            "applicant_id": CITIZEN,
            "applicant_name": NAME,
            "channel": "counter",
            "csrf_token": csrf_of(page),
        },
    )
    assert resp.status_code == 422 and "Location" not in resp.headers
    html = resp.get_data(as_text=True)
    assert f'value="{CITIZEN}"' in html and f'value="{NAME}"' in html
    assert "Chọn một thủ tục trong danh mục" in html
    assert not any(CITIZEN in h for h in _hrefs(html))


def test_applicant_page_by_opaque_key_old_bookmark_redirects_once(app, web_data):
    client = app.test_client()
    login(client, "bt.tp")
    old = client.get(f"/applicants/{CITIZEN}")
    assert old.status_code == 301
    target = old.headers["Location"]
    assert CITIZEN not in target and target.startswith("/applicants/")
    page = client.get(target)
    assert page.status_code == 200 and CITIZEN in page.get_data(as_text=True)
    # The links the service shows carry the key, never the ID.
    doc_html = client.get(f"/documents/{web_data.tp_doc}").get_data(as_text=True)
    assert target in _hrefs(doc_html) and not any(CITIZEN in h for h in _hrefs(doc_html))
    listed = client.get("/dossiers").get_data(as_text=True)
    assert not any(CITIZEN in h for h in _hrefs(listed))
    # Lookup by ID is a POST whose answer points at the keyed page.
    token = csrf_of(client.get("/dossiers").get_data(as_text=True))
    found = client.post("/applicants/lookup", data={"applicant_id": CITIZEN, "csrf_token": token})
    assert found.status_code == 302 and found.headers["Location"] == target
    # A made-up key is simply not found.
    assert client.get("/applicants/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_request_logs_mask_id_runs_in_query_strings(caplog):
    line = f'127.0.0.1 - - "GET /dossiers?q={CITIZEN}&page=2 HTTP/1.1" 200 -'
    masked = mask_query_ids(line)
    assert CITIZEN not in masked and "q=************&page=2" in masked
    assert mask_query_ids("GET /documents/123456789012 HTTP/1.1") == "GET /documents/123456789012 HTTP/1.1"
    log_mask.install()  # as create_app does
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('"GET /search?q=%s HTTP/1.1" 200', CITIZEN)
    assert CITIZEN not in caplog.text and "q=************" in caplog.text
