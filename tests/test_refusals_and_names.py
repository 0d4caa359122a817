"""Issue 21, third part: refusals name nothing outside the official's scope; odd upload names
get a generated name; user parameters never reach ``url_for``'s own keywords."""

from __future__ import annotations

import io

import pytest

from search_ui.app import create_app
from tests.web_fixtures import OTHER_CITIZEN, PASSWORD

pytestmark = pytest.mark.slow
pytest_plugins = ["tests.web_fixtures"]


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


def _api_session(app, user: str):
    client = app.test_client()
    resp = client.post("/api/v1/session", json={"login": user, "password": PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    return client, {"X-CSRF-Token": resp.get_json()["csrf_token"]}


def _tp_dossier(client, headers) -> str:
    made = client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.000894.000.00.00.H19", "applicant_id": OTHER_CITIZEN},
        headers=headers,
    )
    assert made.status_code == 201, made.get_json()
    return made.get_json()["code"]


def _original(web_data, doc_id: str) -> bytes:
    svc = web_data.services
    doc = svc.repository.load(doc_id)
    with svc.store.open(doc.original.key) as fh:
        return fh.read()


def _upload(client, headers, code: str, data: bytes, name: str) -> dict:
    resp = client.post(
        f"/api/v1/dossiers/{code}/files", headers=headers, data={"files": [(io.BytesIO(data), name)]}
    )
    assert resp.status_code == 202, resp.get_data(as_text=True)
    return resp.get_json()["files"][0]


def test_a_duplicate_of_another_departments_document_is_not_named(app, web_data):
    client, headers = _api_session(app, "tn.tp")
    code = _tp_dossier(client, headers)
    foreign = _upload(client, headers, code, _original(web_data, web_data.xd_doc), "scan.png")
    assert foreign["reason_code"] == "duplicate"
    assert web_data.xd_doc not in str(foreign) and foreign["document_id"] == ""
    assert "đã có trong kho lưu trữ" in foreign["message"] and "bộ phận lưu trữ" in foreign["message"]
    own = _upload(client, headers, code, _original(web_data, web_data.tp_doc), "scan.png")
    assert own["reason_code"] == "duplicate" and web_data.tp_doc in own["message"], (
        "inside the scope the earlier document is named (it can be reused)"
    )


@pytest.mark.parametrize("name", [".", "..", "...", " . ", ".. ..", "\u00a0"])
def test_odd_upload_names_get_a_generated_name(app, web_data, name):
    client, headers = _api_session(app, "tn.tp")
    code = _tp_dossier(client, headers)
    body = f"ghi chu {name!r} khong phai ban quet".encode()
    out = _upload(client, headers, code, body, name)
    assert out["status"] in ("rejected", "accepted", "quarantined"), out
    jobs = client.get(f"/api/v1/dossiers/{code}/jobs").get_json()["jobs"]
    assert all(j["file_name"].startswith("tep-khong-ten-") for j in jobs), jobs


def test_odd_names_on_the_upload_page_cause_no_error(app, web_data):
    from tests.web_fixtures import csrf_of, login

    client = app.test_client()
    login(client, "tn.tp")
    api, headers = _api_session(app, "tn.tp")
    code = _tp_dossier(api, headers)
    page = client.get(f"/intake/dossiers/{code}").get_data(as_text=True)
    for name in (".", ".."):
        resp = client.post(
            f"/intake/dossiers/{code}/files",
            data={"files": [(io.BytesIO(b"x" + name.encode()), name)], "csrf_token": csrf_of(page)},
        )
        assert resp.status_code == 302, (name, resp.status_code)


KEYWORD_SINKS = {
    "_method": "POST",
    "endpoint": "x",
    "_anchor": "1",
    "_external": "1",
    "_scheme": "javascript",
}


def test_url_for_keywords_in_search_parameters_cause_no_error(app):
    from tests.web_fixtures import login

    client = app.test_client()
    login(client, "bt.tp")
    for name, value in KEYWORD_SINKS.items():
        for extra in ({}, {"department": "TP"}, {"doc_type": "x", "page": "2"}):
            resp = client.get("/search", query_string={"q": "giấy", name: value, **extra})
            assert resp.status_code == 200, (name, extra)
            assert "javascript:" not in resp.get_data(as_text=True)


def test_url_for_keywords_in_the_new_dossier_form_cause_no_error(app):
    from tests.web_fixtures import csrf_of, login

    client = app.test_client()
    login(client, "tn.tp")
    page = client.get("/intake").get_data(as_text=True)
    resp = client.post(
        "/intake/dossiers",
        data={"procedure": "khong-co", **KEYWORD_SINKS, "csrf_token": csrf_of(page)},
    )
    # The refused form is shown again in the same answer (no personal data in a redirect URL, issue
    # 15): the keyword sinks end as plain fields, never as url_for keywords (no 500).
    assert resp.status_code == 422 and "Location" not in resp.headers
    assert "khong-co" in resp.get_data(as_text=True)
