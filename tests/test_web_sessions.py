"""Server-side sessions (issue 21): a session ends for real at logout, at a password, role or
department change and when the account is disabled; it ends after the idle timeout and after the
absolute lifetime however much it is used; the account page lists one's sessions and ends the
others. Copying the cookie to another client stands for a stolen cookie."""

from __future__ import annotations

import itertools
import time

import pytest

from search_ui.accounts import Accounts
from search_ui.app import create_app
from search_ui.sessions import COOKIE, token_id
from tests.web_fixtures import PASSWORD, csrf_of, login

pytestmark = pytest.mark.slow
pytest_plugins = ["tests.web_fixtures"]
_numbers = itertools.count(1)


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


@pytest.fixture()
def official(web_data) -> str:
    """A fresh reviewer of TP (tests here change passwords and roles, not the shared accounts)."""
    name = f"phien.{time.time_ns() % 10**9}.{next(_numbers)}"
    Accounts(web_data.services.settings.state_db).add(name, PASSWORD, "reviewer", "TP", name="Phiên")
    return name


def _signed_in(app, user: str):
    client = app.test_client()
    assert login(client, user).status_code == 302
    assert client.get("/search").status_code == 200
    return client


def _thief(app, victim):
    """Another client holding a copy of ``victim``'s session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, victim.get_cookie(COOKIE).value)
    return other


def _post(client, path: str, data: dict | None = None):
    token = csrf_of(client.get("/account").get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


def _is_signed_in(client) -> bool:
    return client.get("/search").status_code == 200


def test_a_copied_cookie_dies_at_logout(app, official):
    client = _signed_in(app, official)
    thief = _thief(app, client)
    assert _is_signed_in(thief), "the copy works while the session lives (that is what a cookie is)"
    _post(client, "/logout")
    assert not _is_signed_in(thief)
    assert not _is_signed_in(client)


def test_logout_ends_every_session_of_the_official(app, official):
    first, second = _signed_in(app, official), _signed_in(app, official)
    _post(first, "/logout")
    assert not _is_signed_in(second)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, official):
    client, other = _signed_in(app, official), _signed_in(app, official)
    thief = _thief(app, client)
    page = client.get("/account/password").get_data(as_text=True)
    new = "ngay-mai-troi-lai-sang-42"
    resp = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": new, "repeat": new, "csrf_token": csrf_of(page)},
    )
    assert resp.status_code == 302
    assert _is_signed_in(client), "the official who changed the password stays signed in"
    assert not _is_signed_in(other) and not _is_signed_in(thief)


def test_a_role_or_department_change_and_disabling_end_every_session(app, official):
    accounts = Accounts(app.extensions["sohoa"].settings.state_db)
    for change in (
        lambda: accounts.set_role(official, "reviewer", "XD"),
        lambda: accounts.set_role(official, "intake", "XD"),
        lambda: accounts.set_disabled(official, True),
    ):
        client = _signed_in(app, official)
        change()
        assert not _is_signed_in(client)
    accounts.set_disabled(official, False)


def test_admin_role_change_through_the_users_page_ends_sessions(app, official):
    victim = _signed_in(app, official)
    admin = _signed_in(app, "qt")
    page = admin.get("/admin/users").get_data(as_text=True)
    resp = admin.post(
        f"/admin/users/{official}/role",
        data={"role": "reviewer", "department": "XD", "granted": "", "csrf_token": csrf_of(page)},
    )
    assert resp.status_code == 302
    assert Accounts(app.extensions["sohoa"].settings.state_db).get(official).department == "XD"
    assert not _is_signed_in(victim)


def _age(app, client, column: str, seconds: float) -> None:
    sid = token_id(client.get_cookie(COOKIE).value)
    store = app.extensions["sohoa_web"].accounts.sessions
    with store.db:
        store.db.execute(f"UPDATE web_sessions SET {column} = {column} - ? WHERE id = ?", (seconds, sid))


def test_idle_timeout_ends_a_session(app, official):
    client = _signed_in(app, official)
    idle = app.session_interface.life.idle
    _age(app, client, "seen_at", idle - 60)
    assert _is_signed_in(client), "used within the idle timeout: still alive"
    _age(app, client, "seen_at", idle + 60)
    assert not _is_signed_in(client)


def test_use_does_not_extend_the_absolute_lifetime(app, official):
    client = _signed_in(app, official)
    absolute = app.session_interface.life.absolute
    _age(app, client, "created_at", absolute - 120)
    assert _is_signed_in(client)
    _age(app, client, "created_at", 240)  # now past the lifetime, though used a moment ago
    assert not _is_signed_in(client)


def test_the_cookie_is_an_opaque_token_and_the_table_keeps_only_its_hash(app, official):
    client = _signed_in(app, official)
    token = client.get_cookie(COOKIE).value
    assert official not in token and "." not in token  # no signed data in the cookie
    store = app.extensions["sohoa_web"].accounts.sessions
    ids = [r["id"] for r in store.db.execute("SELECT id FROM web_sessions WHERE login = ?", (official,))]
    assert token_id(token) in ids and token not in ids


def test_the_account_page_lists_ones_sessions_and_ends_the_others(app, official):
    here, there = _signed_in(app, official), _signed_in(app, official)
    page = here.get("/account").get_data(as_text=True)
    assert page.count("<tr") - 1 == 2, "two sessions listed (and no one else's)"
    resp = _post(here, "/account/sessions/end-others")
    assert resp.status_code == 302
    assert _is_signed_in(here) and not _is_signed_in(there)
    page = here.get("/account").get_data(as_text=True)
    assert page.count("<tr") - 1 == 1
