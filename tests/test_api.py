"""The JSON API: session sign-in, CSRF on POST, reuse, dossiers, statistics, OpenAPI; the
``sohoa users`` command and the first administrator."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from search_ui.app import create_app
from search_ui.bootstrap import ensure_first_admin
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.web_fixtures import CITIZEN, PASSWORD, csrf_of, login, open_dossier_by_form

pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
pytestmark = pytest.mark.slow


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


def _api_session(app, user: str):
    client = app.test_client()
    resp = client.post("/api/v1/session", json={"login": user, "password": PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    return client, resp.get_json()["csrf_token"]


def _open_dossier(client, applicant: str = CITIZEN) -> str:
    return open_dossier_by_form(client, applicant_id=applicant, applicant_name="Nguyễn Văn Hùng")


def test_reuse_through_the_api_and_the_monthly_statistics(app, web_data):
    client, token = _api_session(app, "tn.tp")
    code = _open_dossier(client)
    body = {"document_id": web_data.tp_doc}
    assert client.post(f"/api/v1/dossiers/{code}/reuse", json=body).status_code == 400  # no CSRF header
    resp = client.post(f"/api/v1/dossiers/{code}/reuse", json=body, headers={"X-CSRF-Token": token})
    assert resp.get_json() == {"dossier": code, "document_id": web_data.tp_doc, "linked": True, "new": True}
    dossier = client.get(f"/api/v1/dossiers/{code}").get_json()
    assert dossier["documents"] == [] and dossier["reused"][0]["linked_by"] == "tn.tp"
    # The document of another applicant cannot be linked.
    other = client.post(
        f"/api/v1/dossiers/{code}/reuse",
        json={"document_id": web_data.xd_doc},
        headers={"X-CSRF-Token": token},
    )
    assert other.status_code == 422 and other.get_json()["error"] == "not_applicants_document"
    assert client.get(f"/api/v1/applicants/{CITIZEN}").status_code == 404  # IDs never in a URL
    store = client.post(
        "/api/v1/applicants", json={"applicant_id": CITIZEN}, headers={"X-CSRF-Token": token}
    ).get_json()
    assert client.get(f"/api/v1/applicants/{store['key']}").get_json()["id"] == CITIZEN
    assert code in next(d for d in store["documents"] if d["id"] == web_data.tp_doc)["reused_in"]

    records, _ = _api_session(app, "lt")
    month = dossier["received_at"][:7]
    rows = records.get(f"/api/v1/stats?month={month}").get_json()["rows"]
    tp = next(r for r in rows if r["department"] == "TP")
    assert tp["dossiers_received"] >= 1 and tp["dossiers_reusing"] >= 1 and tp["reuse_rate"] > 0
    csv_text = records.get(f"/reports.csv?month={month}").get_data(as_text=True)
    # Vietnamese CSV: ";" between cells, decimal comma (what a Vietnamese spreadsheet expects)
    assert csv_text.startswith("\ufeffCơ quan, đơn vị;Hồ sơ tiếp nhận") and "\nTP;" in csv_text
    assert client.get(f"/api/v1/stats?month={month}").status_code == 403  # intake: not their page


def test_a_reuse_made_by_mistake_is_undone_and_recorded(app, web_data):
    client, token = _api_session(app, "tn.tp")
    code = _open_dossier(client)
    body, headers = {"document_id": web_data.tp_doc}, {"X-CSRF-Token": token}
    assert client.post(f"/api/v1/dossiers/{code}/reuse", json=body, headers=headers).status_code == 200
    resp = client.delete(f"/api/v1/dossiers/{code}/reuse/{web_data.tp_doc}", headers=headers)
    assert resp.get_json() == {"dossier": code, "document_id": web_data.tp_doc, "linked": False}
    assert client.get(f"/api/v1/dossiers/{code}").get_json()["reused"] == []
    again = client.delete(f"/api/v1/dossiers/{code}/reuse/{web_data.tp_doc}", headers=headers)
    assert again.status_code == 422 and again.get_json()["error"] == "not_linked"
    undone = [e for e in web_data.services.audit.entries() if e["action"] == "reuse.undo"]
    assert any(e["subject"] == web_data.tp_doc and e["details"]["dossier"] == code for e in undone)
    # The page's button does the same.
    assert client.post(f"/api/v1/dossiers/{code}/reuse", json=body, headers=headers).status_code == 200
    page = client.get(f"/intake/dossiers/{code}").get_data(as_text=True)
    assert f"/intake/dossiers/{code}/reuse/{web_data.tp_doc}/undo" in page
    html = client.post(
        f"/intake/dossiers/{code}/reuse/{web_data.tp_doc}/undo",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"Đã bỏ liên kết tài liệu {web_data.tp_doc}" in html
    assert web_data.services.dossier_records.links_of_dossier(code) == []


def test_open_dossier_and_upload_through_the_api(app):
    client, token = _api_session(app, "tn.tp")
    headers = {"X-CSRF-Token": token}
    bad = client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.000894.000.00.00.H19", "applicant_id": "1"},
        headers=headers,
    )
    assert bad.status_code == 422 and bad.get_json()["error"] == "invalid_applicant_id"
    made = client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.000894.000.00.00.H19", "applicant_id": "079188001234"},
        headers=headers,
    )
    assert made.status_code == 201 and made.get_json()["department"] == "TP" and made.get_json()["due_date"]
    code = made.get_json()["code"]
    resp = client.post(
        f"/api/v1/dossiers/{code}/files",
        headers=headers,
        data={"files": [(io.BytesIO(b"khong phai ban quet"), "ghi-chu.txt")]},
    )
    assert resp.status_code == 202
    assert resp.get_json()["files"][0]["status"] == "rejected"
    assert resp.get_json()["files"][0]["reason_code"] == "unsupported_type"


def test_a_reused_document_of_another_department_is_readable_in_the_dossier(app, web_data):
    """An XD result reused into a TP dossier becomes part of it: TP reviewers may read it there."""
    reviewer = app.test_client()
    login(reviewer, "bt.tp")
    url = f"/api/v1/documents/{web_data.xd_doc}?purpose=processing"
    assert reviewer.get(url).status_code == 404
    client, token = _api_session(app, "tn.tp")
    code = _open_dossier(client, applicant="079188001234")  # the owner of the XD document
    resp = client.post(
        f"/api/v1/dossiers/{code}/reuse",
        json={"document_id": web_data.xd_doc},
        headers={"X-CSRF-Token": token},
    )
    assert resp.status_code == 200
    assert reviewer.get(url).status_code == 200
    page = reviewer.get(f"/dossiers/{code}").get_data(as_text=True)
    assert f'data-doc="{web_data.xd_doc}"' in page
    other = app.test_client()
    login(other, "bt.xd")
    assert other.get(f"/dossiers/{code}").status_code == 404  # the TP dossier stays TP's


def test_records_changes_and_confirmation_through_the_api(app, web_data):
    records, token = _api_session(app, "lt")
    headers, doc_id = {"X-CSRF-Token": token}, web_data.tp_doc
    no_reason = records.post(f"/api/v1/documents/{doc_id}/hold", json={"on": True}, headers=headers)
    assert no_reason.status_code == 422 and no_reason.get_json()["error"] == "reason_required"
    held = records.post(
        f"/api/v1/documents/{doc_id}/hold", json={"on": True, "reason": "Vụ việc 7/2026"}, headers=headers
    )
    assert held.status_code == 200 and held.get_json()["legal_hold"] == 1
    shorter = records.post(
        f"/api/v1/documents/{doc_id}/retention", json={"until": "2027-01-01", "reason": "x"}, headers=headers
    )
    assert shorter.status_code == 422
    released = records.post(
        f"/api/v1/documents/{doc_id}/hold", json={"on": False, "reason": "Xong"}, headers=headers
    )
    assert released.get_json()["legal_hold"] == 0
    assert records.post(f"/api/v1/documents/{doc_id}/confirm", json={}, headers=headers).status_code == 403
    intake, token = _api_session(app, "tn.tp")
    done = intake.post(
        f"/api/v1/documents/{doc_id}/confirm",
        headers={"X-CSRF-Token": token},
        json={"type_name": "Giấy chứng nhận", "subject": "Đăng ký kết hôn (API)"},
    )
    assert done.status_code == 200 and "Đăng ký kết hôn (API)" in done.get_json()["title"]
    other, token = _api_session(app, "bt.xd")
    assert (
        other.post(
            f"/api/v1/documents/{doc_id}/hold",
            json={"on": True, "reason": "x"},
            headers={"X-CSRF-Token": token},
        ).status_code
        == 403
    )


def test_openapi_describes_the_api(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}/files",
        "/api/v1/documents/{doc_id}/hold",
        "/api/v1/search",
        "/api/v1/documents/{doc_id}",
        "/api/v1/applicants/{key}",
        "/api/v1/applicants",
        "/api/v1/dossiers/{code}/reuse",
        "/api/v1/stats",
    ):
        assert path in spec["paths"]
    rules = {r.rule.replace("<", "{").replace(">", "}") for r in app.url_map.iter_rules()}
    for path in spec["paths"]:
        assert path in rules, path


def test_api_login_failure_and_json_errors(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"login": "lt", "password": "sai"}).status_code == 401
    assert client.post("/api/v1/session", data="x").status_code == 415
    login(client, "bt.tp")
    resp = client.get("/api/v1/documents/khong-co")
    assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"


def test_users_command_and_first_admin(tmp_path):
    data = tmp_path / "data"
    out = io.StringIO()
    svc = services(load_settings(data))
    assert ensure_first_admin(svc, out, env={}) == "admin"
    password = out.getvalue().rsplit(": ", 1)[1].strip()
    assert ensure_first_admin(svc, io.StringIO(), env={}) is None  # only once
    cmd = [sys.executable, "-m", "sohoa.cli", "--data-dir", str(data), "users"]
    added = subprocess.run(
        [
            *cmd,
            "add",
            "nv.tp",
            "--role",
            "reviewer",
            "--department",
            "TP",
            "--name",
            "Lê Quốc Bảo",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"login": "nv.tp", "role": "reviewer", "department": "TP"}
    short = subprocess.run(
        [*cmd, "add", "nv.xd", "--role", "reviewer", "--department", "XD", "--password-stdin"],
        input="ngan\n",
        capture_output=True,
        text=True,
    )
    assert short.returncode == 2 and "Mật khẩu" in short.stderr
    listed = [
        json.loads(line)
        for line in subprocess.run([*cmd, "list"], capture_output=True, text=True).stdout.splitlines()
    ]
    assert [u["login"] for u in listed] == ["admin", "nv.tp"]
    app = create_app(svc, config={"TESTING": True})
    client = app.test_client()
    assert client.post("/api/v1/session", json={"login": "admin", "password": password}).status_code == 200
    assert client.post("/api/v1/session", json={"login": "nv.tp", "password": PASSWORD}).status_code == 200


def test_first_admin_changes_the_printed_password(tmp_path):
    svc = services(load_settings(tmp_path / "data"))
    ensure_first_admin(svc, io.StringIO(), env={"SOHOA_ADMIN_PASSWORD": "mat-khau-ban-dau-1"})
    client = create_app(svc, config={"TESTING": True}).test_client()
    login(client, "admin", "mat-khau-ban-dau-1", purpose=None)
    assert client.get("/").headers["Location"].endswith("/admin/users")
    page = client.get("/account/password").get_data(as_text=True)
    form = {
        "current": "mat-khau-ban-dau-1",
        "new": "mat-khau-moi-dai-2",
        "repeat": "khac",
        "csrf_token": csrf_of(page),
    }
    assert "không khớp" in client.post("/account/password", data=form).get_data(as_text=True)
    resp = client.post("/account/password", data={**form, "repeat": "mat-khau-moi-dai-2"})
    assert resp.status_code == 302
    fresh = create_app(svc, config={"TESTING": True}).test_client()
    assert login(fresh, "admin", "mat-khau-ban-dau-1", purpose=None).status_code == 401
    assert login(fresh, "admin", "mat-khau-moi-dai-2", purpose=None).status_code == 302
