"""Two web servers (separate data directories, one PostgreSQL state) behind one proxy: a session
made on one is valid on the other, a CSRF token from one is accepted by the other, logging out on
one ends the session on both, failed logins on one lock the login on the other, and applicant
addresses are the same on both."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_ui.app import create_app
from search_ui.sessions import COOKIE
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.web_fixtures import PASSWORD, csrf_of, login

pytest_plugins = ["tests.pg_fixtures"]
pytestmark = pytest.mark.postgresql
USER = "lan.tp"


def _apps(tmp_path: Path, url: str):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[state]\nbackend = "postgresql"\nurl = "{url}"\n', encoding="utf-8")
    nodes = [services(load_settings(tmp_path / name, settings)) for name in ("web-1", "web-2")]
    nodes[0].accounts.add(USER, PASSWORD, "reviewer", "TP", name="Lan")
    return [create_app(node, config={"TESTING": True}) for node in nodes]


def test_sessions_csrf_and_lockout_are_shared_between_web_servers(tmp_path, pg_database) -> None:
    one, two = _apps(tmp_path, pg_database)
    assert one.config["SECRET_KEY"] == two.config["SECRET_KEY"]  # same applicant addresses
    first = one.test_client()
    assert login(first, USER).status_code == 302
    second = two.test_client()
    second.set_cookie(COOKIE, first.get_cookie(COOKIE).value)  # the proxy sent the next request to web-2
    assert second.get("/search").status_code == 200
    token = csrf_of(first.get("/account").get_data(as_text=True))
    assert second.post("/logout", data={"csrf_token": token}).status_code == 302
    assert first.get("/search").status_code == 302  # the session ended on web-1 too

    for _ in range(5):
        assert login(one.test_client(), USER, "sai-mat-khau-dai-1").status_code != 302
    refused = login(two.test_client(), USER)
    assert refused.status_code != 302  # the lockout counted on web-1 holds on web-2
