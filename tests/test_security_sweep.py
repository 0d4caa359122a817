"""Security across every route the app has (enumerated from its URL map, so new routes are
covered without editing this file): sign-in required, CSRF on every state change, department
isolation, escaping of hostile OCR text / metadata / file names, no open redirect, path
traversal, session renewal, cookie flags, every read in the access log."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from archive.model import Applicant, Document, DocumentMetadata, PageText
from search_ui.app import create_app
from tests.support.archive_doc import store_document
from tests.web_fixtures import CITIZEN, csrf_of, login

pytestmark = pytest.mark.slow
pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
PUBLIC = {
    "/login",
    "/lang/<code>",
    "/api/v1/openapi.json",
    "/api/v1/session",
    "/static/<path:filename>",
    "/logout",
}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


FOREIGN = {"doc_id": "HS-XD-SWEEP.001", "code": "HS-XD-SWEEP", "applicant_id": "079188009999"}


@pytest.fixture()
def foreign_doc(web_data):
    """A construction (XD) document no other test reuses into a TP dossier (the shared session data
    changes as other tests run; a reuse would rightly open a document to the TP department)."""
    svc = web_data.services
    if svc.catalogue.document(FOREIGN["doc_id"]) is None:
        svc.catalogue.ensure_dossier(FOREIGN["code"], applicant_id=FOREIGN["applicant_id"], department="XD")
        doc = Document(
            id=FOREIGN["doc_id"],
            dossier_code=FOREIGN["code"],
            department="XD",
            role="result",
            applicant=Applicant(id=FOREIGN["applicant_id"]),
            retain_until="2046-12-31",
            digitised_at="2026-01-02T03:04:05+00:00",
            pages=[PageText(1, "giấy phép xây dựng")],
        )
        store_document(svc, doc)
    return FOREIGN["doc_id"]


def _fill(rule: str, web_data) -> str:
    values = {
        "doc_id": FOREIGN["doc_id"],
        "document_id": FOREIGN["doc_id"],
        "code": FOREIGN["code"],
        "applicant_id": FOREIGN["applicant_id"],
        "login": "bt.xd",
        "page": "1",
        "n": "1",
        "filename": "x",
    }

    def one(m: re.Match) -> str:
        return values.get(m.group(2), "1")

    return re.sub(r"<(?:(\w+):)?(\w+)>", one, rule)


def _rules(app, method: str):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.rule not in PUBLIC and not rule.rule.startswith("/static"):
            yield rule.rule


def test_every_route_needs_sign_in(app, web_data):
    client = app.test_client()
    checked = 0
    for method in ("GET", "POST"):
        for rule in _rules(app, method):
            resp = client.open(_fill(rule, web_data), method=method)
            assert resp.status_code in (302, 400, 401, 403), (method, rule, resp.status_code)
            if resp.status_code == 302:
                assert "/login" in resp.headers["Location"], (method, rule)
            checked += 1
    assert checked >= 20


def test_every_post_needs_the_csrf_token(app, web_data):
    client = app.test_client()
    login(client, "qt")
    for rule in _rules(app, "POST"):
        resp = client.post(_fill(rule, web_data), data={"login": "x", "purpose": "processing"})
        assert resp.status_code in (400, 403), (rule, resp.status_code)


def test_no_route_shows_another_departments_document(app, web_data, foreign_doc):
    client = app.test_client()
    login(client, "bt.tp")
    for rule in _rules(app, "GET"):
        if not any(p in rule for p in ("<doc_id>", "<document_id>", "<applicant_id>", "<code>")):
            continue
        resp = client.get(_fill(rule, web_data))
        assert resp.status_code in (403, 404), (rule, resp.status_code)
        assert foreign_doc.encode() not in resp.data
    own = app.test_client()
    login(own, "bt.xd")
    assert own.get(f"/documents/{foreign_doc}").status_code == 200, (
        "the document is real: only scope hides it"
    )


def test_no_open_redirect_after_login(app):
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
    ):
        client = app.test_client()
        token = csrf_of(client.get(f"/login?next={target}").get_data(as_text=True))
        resp = client.post(
            f"/login?next={target}",
            data={"login": "bt.tp", "password": "mat-khau-rat-dai-1", "csrf_token": token, "next": target},
        )
        location = resp.headers.get("Location", "")
        parts = urlsplit(location)
        # Werkzeug percent-encodes a backslash, so "/%5Cevil.example/" is a path here, not a host.
        assert parts.netloc in ("", "localhost") and not parts.scheme.startswith("javascript"), (
            target,
            location,
        )
        assert not location.startswith(("//", "/\\")) and "\\" not in location, (target, location)


def test_session_is_renewed_at_sign_in_and_cookies_are_locked_down(app):
    client = app.test_client()
    client.get("/login")
    before = client.get_cookie("sohoa_session")
    resp = login(client, "bt.tp", purpose=None)
    after = client.get_cookie("sohoa_session")
    assert after is not None and (before is None or before.value != after.value)
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite" in cookie


@pytest.mark.parametrize(
    "path",
    [
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/../../etc/passwd",
        "/documents/%00/archival.pdf",
        "/documents/x/pages/99999.png",
        "/api/v1/documents/..%2Fstate.sqlite3",
    ],
)
def test_path_traversal_finds_nothing(app, path):
    client = app.test_client()
    login(client, "qt")
    resp = client.get(path)
    assert resp.status_code in (400, 403, 404)
    assert b"root:" not in resp.data and b"SQLite format" not in resp.data


@pytest.fixture()
def hostile_doc(web_data):
    """A document whose OCR text, metadata and file name carry markup, as a hostile scan could."""
    svc = web_data.services
    doc = Document(
        id="HS-XSS.001",
        dossier_code="HS-XSS",
        department="TP",
        role="result",
        applicant=Applicant(id=CITIZEN, name=XSS),
        original_name=f"{XSS}.pdf",
        metadata=DocumentMetadata(type_name=XSS, subject=f"đăng ký {XSS}", number=XSS),
        digitised_at="2026-01-02T03:04:05+00:00",
        retain_until="2046-12-31",
        pages=[PageText(1, f"hồ sơ đăng ký kết hôn {XSS} kết thúc")],
    )
    return store_document(svc, doc)


def test_hostile_text_is_escaped_on_every_page(app, hostile_doc):
    client = app.test_client()
    login(client, "bt.tp")
    pages = [
        "/search?q=ket+hon",
        "/search?q=" + "%3Cscript%3E",
        f"/documents/{hostile_doc.id}",
        f"/applicants/{CITIZEN}",
        "/search?q=dang+ky&department=TP",
    ]
    for page in pages:
        resp = client.get(page)
        assert resp.status_code == 200, page
        html = resp.get_data(as_text=True)
        assert "<script>alert" not in html and "onerror=alert" not in html.replace(
            "onerror=alert(1)&gt;", ""
        ), page
        assert "<img src=x" not in html, page


def test_every_read_of_a_citizens_document_is_logged(app, web_data):
    from search_ui.access_log import AccessLog

    log = AccessLog(web_data.services.settings.state_db)
    before = len(log.of_document(web_data.tp_doc, limit=1000))
    client = app.test_client()
    login(client, "bt.tp")
    reads = [
        f"/documents/{web_data.tp_doc}",
        f"/documents/{web_data.tp_doc}/archival.pdf",
        f"/documents/{web_data.tp_doc}/original",
        f"/api/v1/documents/{web_data.tp_doc}?purpose=processing",
    ]
    for url in reads:
        assert client.get(url).status_code == 200, url
    rows = log.of_document(web_data.tp_doc, limit=1000)
    assert len(rows) - before >= len(reads)
    assert all(r["login"] == "bt.tp" for r in rows[: len(reads)])


# Values that once reached url_for's own keywords, or that are simply not what a route expects.
FUZZ = {
    "_method": "POST",
    "endpoint": "x",
    "_anchor": "1",
    "_external": "1",
    "_scheme": "javascript",
    "values": "x",
    "page": "-99999999999999999999999",
    "limit": "abc",
    "size": "thumb\x00",
    "month": "2026-99",
    "q": "\x00\u202e<>\"'",
    "sort": "../../",
    "from": "31/12/2026",
    "to": "9999-99-99",
    "next": "//evil.example",
    "purpose": "khong-co",
    "department": "\x00",
    "year": "-1",
    "until": "ngày mai",
    "reason": "x" * 5000,
    "document_id": "../../etc/passwd",
    "procedure": "..",
    "fields": "[]",
}


# Sign-out routes would end the fuzzing session; the password checks count failed logins (per login
# and per address), which would throttle the other tests' sign-ins. They have their own tests.
NOT_FUZZED = ("/logout", "/account/sessions/end-others", "/login", "/api/v1/session", "/account/password")


def _no_server_error(client, method: str, url: str, **kwargs) -> int:
    try:
        resp = client.open(url, method=method, **kwargs)
    except Exception as exc:  # TESTING propagates errors: an exception is the 500 we look for
        raise AssertionError(f"{method} {url}: {exc!r}") from exc
    assert resp.status_code < 500, (method, url, resp.status_code)
    return resp.status_code


@pytest.mark.parametrize("user", ["qt", "bt.tp", "tn.tp", "lt"])
def test_fuzzed_parameters_on_every_route_cause_no_server_error(app, web_data, foreign_doc, user):
    """Every route of the URL map, GET with the fuzz values as query string, POST with them as a
    form (with a valid CSRF token) and as JSON: never a 500."""
    client = app.test_client()
    login(client, user)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/static") or rule.rule in NOT_FUZZED:
            continue
        url = _fill(rule.rule, web_data)
        if "GET" in rule.methods:
            _no_server_error(client, "GET", url, query_string=FUZZ)
            checked += 1
        if "POST" in rule.methods:
            token = csrf_of(client.get("/account").get_data(as_text=True))
            _no_server_error(client, "POST", url, data={**FUZZ, "csrf_token": token})
            for body in (FUZZ, [FUZZ], "x", 5):  # JSON that is not an object where one is expected
                _no_server_error(client, "POST", url, json=body, headers={"X-CSRF-Token": token})
            checked += 1
        if client.get("/account").status_code != 200:  # a route signed us out: sign in again
            login(client, user)
    assert checked >= 40


class _Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *_):
        raise AssertionError("an anonymous request's body was read")

    readline = read


def test_no_route_reads_an_anonymous_body(app, web_data):
    """Sign-in is checked before any body is read, on every POST route but sign-in itself."""
    client = app.test_client()
    for rule in _rules(app, "POST"):
        if rule in ("/login", "/api/v1/session"):
            continue
        resp = client.post(
            _fill(rule, web_data),
            environ_overrides={
                "wsgi.input": _Unread(),
                "CONTENT_LENGTH": "100000",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
            },
        )
        assert resp.status_code == 401, (rule, resp.status_code)


def test_every_answer_but_static_files_is_no_store(app, web_data, foreign_doc):
    client = app.test_client()
    login(client, "qt")
    for rule in _rules(app, "GET"):
        resp = client.get(_fill(rule, web_data))
        assert resp.headers.get("Cache-Control") == "no-store", (rule, resp.headers.get("Cache-Control"))
        assert resp.headers.get("Pragma") == "no-cache", rule
        assert "Server" not in resp.headers


def test_the_session_route_refuses_json_that_is_not_an_object(app):
    client = app.test_client()
    # From an address of its own: the failed sign-ins must not throttle the other tests.
    for body in ([1], "x", 5, None):
        code = _no_server_error(
            client, "POST", "/api/v1/session", json=body, environ_base={"REMOTE_ADDR": "10.9.9.9"}
        )
        assert code in (401, 415), (body, code)
