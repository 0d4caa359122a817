"""Who may do what: sign-in, CSRF, throttling, department isolation by page, URL and API, the
access log of reads, roles of the pages."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from search_ui.app import create_app
from search_ui.current import web
from tests.web_fixtures import CITIZEN, PASSWORD, csrf_of, login

pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
pytestmark = pytest.mark.slow


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


def test_everything_needs_sign_in(app, web_data):
    client = app.test_client()
    resp = client.get("/search?q=ho+so")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get(f"/api/v1/documents/{web_data.tp_doc}").status_code == 401
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_reviewer_of_another_department_is_refused_everywhere(app, web_data):
    client = app.test_client()
    login(client, "bt.xd")
    html = client.get("/search?q=ket+hon").get_data(as_text=True)
    assert web_data.tp_doc not in html
    assert client.get(f"/documents/{web_data.tp_doc}").status_code == 404
    assert client.get(f"/documents/{web_data.tp_doc}/archival.pdf").status_code == 404
    assert client.get(f"/documents/{web_data.tp_doc}/pages/1.png").status_code == 404
    assert client.get(f"/api/v1/documents/{web_data.tp_doc}?purpose=processing").status_code == 404
    # Other tests of the session may add XD documents that match: what counts is that the TP document
    # is neither shown nor counted (scoped totals, issue 21).
    found = client.get("/api/v1/search?q=ket+hon").get_json()
    assert web_data.tp_doc not in [h["document_id"] for h in found["hits"]]
    assert found["total"] == len(found["hits"])
    assert client.get("/api/v1/search?q=ket+hon&department=TP").get_json()["hits"] == []
    assert client.get(f"/applicants/{CITIZEN}", follow_redirects=True).status_code == 404
    listed = client.get("/dossiers").get_data(as_text=True)
    assert "000.00.12.H19-260101-0002" in listed and "000.00.12.H19-260101-0001" not in listed
    assert "000.00.12.H19-260101-0001" not in client.get("/dossiers?q=260101").get_data(as_text=True)
    # Their own department's document is readable.
    assert client.get(f"/api/v1/documents/{web_data.xd_doc}?purpose=processing").status_code == 200


def test_roles_limit_pages(app):
    client = app.test_client()
    login(client, "bt.tp")
    assert client.get("/intake").status_code == 403
    assert client.get("/records").status_code == 403
    assert client.get("/admin/users").status_code == 403
    records = app.test_client()
    login(records, "lt")
    assert records.get("/records").status_code == 200
    assert records.get("/admin/users").status_code == 403


def test_reads_are_logged_with_purpose(app, web_data):
    client = app.test_client()
    login(client, "bt.tp", purpose=None)
    resp = client.get(f"/documents/{web_data.tp_doc}")
    assert resp.status_code == 302 and "/purpose" in resp.headers["Location"]
    assert client.get(f"/api/v1/documents/{web_data.tp_doc}").status_code == 428
    page = client.get("/purpose").get_data(as_text=True)
    client.post("/purpose", data={"purpose": "citizen_request", "csrf_token": csrf_of(page)})
    assert client.get(f"/documents/{web_data.tp_doc}").status_code == 200
    assert client.get(f"/documents/{web_data.tp_doc}/original").status_code == 200
    with app.app_context():
        rows = web().access_log.of_document(web_data.tp_doc)
    mine = [r for r in rows if r["login"] == "bt.tp" and r["purpose"] == "citizen_request"]
    assert {r["action"] for r in mine} >= {"view", "download_original"}
    assert all(r["owner_id"] == CITIZEN and r["at"] for r in mine)
    # The reads are in the archive's hash-chained audit log too.
    audit = [
        e
        for e in web_data.services.audit.entries()
        if e["subject"] == web_data.tp_doc and e["actor"] == "bt.tp"
    ]
    assert {e["action"] for e in audit} >= {"read", "download"}
    assert {e["details"].get("via") for e in audit if e["details"].get("purpose") == "citizen_request"} >= {
        "view",
        "download_original",
    }


def test_forms_need_the_csrf_token(app):
    client = app.test_client()
    login(client, "qt")
    resp = client.post("/admin/users", data={"login": "x1", "password": PASSWORD, "role": "records"})
    assert resp.status_code == 400
    assert client.post("/logout").status_code == 400
    assert (
        client.post("/logout", data={"csrf_token": "mã-sai"}).status_code == 400
    )  # non-ASCII: refused, no 500
    page = client.get("/admin/users").get_data(as_text=True)
    resp = client.post(
        "/admin/users",
        data={"login": "nv.moi", "password": PASSWORD, "role": "records", "csrf_token": csrf_of(page)},
    )
    assert resp.status_code == 302


def test_login_is_throttled_and_cookie_is_hardened(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.9.9"  # keep other tests' address unthrottled
    for _ in range(5):
        assert login(client, "tn.khoa", "sai-mat-khau-123", purpose=None).status_code == 401
    # Even the right password is refused while throttled.
    assert login(client, "tn.khoa", purpose=None).status_code == 429
    other = app.test_client()
    resp = login(other, "lt", purpose=None)
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" in cookie  # loopback counts as secure for browsers
    assert "Content-Security-Policy" in other.get("/records").headers


def _rows(app, **where) -> list[dict]:
    with app.app_context():
        return web().access_log.search(**where)


def test_one_log_entry_per_view_own_upload_pages_out_and_log_filters(app, web_data):
    """Issue 15, item 7: reloads and the view's page images add no entries; the uploading
    officer's own page images are not reads; the records unit filters by person, document,
    applicant and day, without the applicant's ID in any URL."""
    from search_ui.accounts import Accounts

    doc = web_data.tp_doc
    before = len(_rows(app, login="bt.tp", document_id=doc))
    client = app.test_client()
    login(client, "bt.tp", purpose="inspection")
    for _ in range(3):  # the view, then reloads (e.g. after an action on the page)
        assert client.get(f"/documents/{doc}").status_code == 200
    assert client.get(f"/documents/{doc}/pages/1.png").status_code == 200
    assert client.get(f"/documents/{doc}/pages/1.png?size=thumb").status_code == 200
    mine = _rows(app, login="bt.tp", document_id=doc)[
        : len(_rows(app, login="bt.tp", document_id=doc)) - before
    ]
    assert [r["action"] for r in mine] == ["view"], mine
    page = client.get("/purpose").get_data(as_text=True)
    client.post("/purpose", data={"purpose": "citizen_request", "csrf_token": csrf_of(page)})
    client.get(f"/documents/{doc}")  # another purpose is another read
    assert len(_rows(app, login="bt.tp", document_id=doc)) == before + 2

    Accounts(web_data.services.settings.state_db).add("fixture", PASSWORD, "intake", "TP", name="Người quét")
    uploader = app.test_client()
    login(uploader, "fixture", purpose=None)  # the officer who uploaded it: no purpose asked
    assert uploader.get(f"/documents/{doc}/pages/1.png?size=thumb").status_code == 200
    assert _rows(app, login="fixture") == []
    colleague = app.test_client()
    login(colleague, "tn.khoa", purpose=None)  # not theirs: a read, which needs a purpose
    assert colleague.get(f"/documents/{doc}/pages/1.png?size=thumb").status_code in (302, 403)
    assert _rows(app, login="tn.khoa") == []

    records = app.test_client()
    login(records, "lt")
    token = csrf_of(records.get("/records/access-log").get_data(as_text=True))
    filtered = records.post(
        "/records/access-log", data={"csrf_token": token, "login": "bt.tp", "applicant_id": CITIZEN}
    ).get_data(as_text=True)
    assert filtered.count('data-login="bt.tp"') >= 2 and 'data-login="lt"' not in filtered
    assert "<td>Cán bộ bt.tp (bt.tp) (" in filtered  # who read it, by name and login
    assert f'data-doc="{web_data.xd_doc}"' not in filtered
    by_doc = records.post(
        "/records/access-log", data={"csrf_token": token, "document_id": web_data.xd_doc}
    ).get_data(as_text=True)
    assert f'data-doc="{doc}"' not in by_doc
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")  # the center's day
    days = {"csrf_token": token, "login": "bt.tp", "day_from": today, "day_to": today}
    assert 'data-login="bt.tp"' in records.post("/records/access-log", data=days).get_data(as_text=True)
    old = {**days, "day_from": "01/01/2020", "day_to": "02/01/2020"}
    assert 'data-login="bt.tp"' not in records.post("/records/access-log", data=old).get_data(as_text=True)


def test_the_users_form_keeps_what_was_typed_and_says_who_needs_a_department(app):
    client = app.test_client()
    login(client, "qt")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Bắt buộc với cán bộ tiếp nhận và cán bộ xử lý" in page
    data = {"csrf_token": csrf_of(page), "login": "tn.moi", "name": "Lê Văn Mới", "role": "intake",
            "department": "", "password": "mat-khau-rat-dai-2"}  # fmt: skip
    resp = client.post("/admin/users", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'class="flash error"' in html
    form = html.split('id="add-user"')[1]
    assert 'value="tn.moi"' in form and 'value="Lê Văn Mới"' in form and "mat-khau-rat-dai-2" not in form
    assert '<option value="intake" selected>' in form


def test_the_admin_resets_a_lost_password_on_the_web(app, web_data):
    from search_ui.accounts import Accounts

    Accounts(web_data.services.settings.state_db).add("bt.quen", PASSWORD, "reviewer", "XD", name="Lê Quên")
    official = app.test_client()
    login(official, "bt.quen")
    admin = app.test_client()
    login(admin, "qt")
    token = csrf_of(admin.get("/admin/users").get_data(as_text=True))
    weak = admin.post("/admin/users/bt.quen/password", data={"csrf_token": token, "password": "123"})
    assert 'class="flash error"' in admin.get(weak.headers["Location"]).get_data(as_text=True)
    new = "mua-thu-ha-noi-2026-xanh"
    done = admin.post("/admin/users/bt.quen/password", data={"csrf_token": token, "password": new})
    assert "Đã đặt mật khẩu mới cho bt.quen" in admin.get(done.headers["Location"]).get_data(as_text=True)
    assert official.get("/search").status_code in (302, 303)  # the old session ended
    fresh = app.test_client()
    login(fresh, "bt.quen", password=new)
    assert fresh.get("/search").status_code == 200
    entries = [e for e in web_data.services.audit.entries() if e["action"] == "user.password"]
    assert entries and new not in json.dumps(entries, ensure_ascii=False)
    assert admin.post("/admin/users/bt.quen/password", data={"password": new}).status_code in (400, 403)
