"""Issue 21, passwords: at least 12 characters, not common or trivial, not containing the login
or the official's name; the refusal says why, in Vietnamese (English when chosen)."""

from __future__ import annotations

import io

import pytest

from search_ui.accounts import AccountError, Accounts
from search_ui.app import create_app
from search_ui.bootstrap import ensure_first_admin
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.web_fixtures import csrf_of, login

GOOD = "mua-thu-ha-noi-lang-gio-7"


@pytest.fixture()
def accounts(tmp_path) -> Accounts:
    return Accounts(tmp_path / "state.sqlite3")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "ít nhất 12 ký tự"),  # accepted before (10 characters was the only rule)
        ("1234567890", "ít nhất 12 ký tự"),
        ("aaaaaaaaaaaa", "phổ biến hoặc dễ đoán"),
        ("123456789012", "phổ biến hoặc dễ đoán"),
        ("password1234", "phổ biến hoặc dễ đoán"),
        ("matkhau12345", "phổ biến hoặc dễ đoán"),
        ("qwertyuiop12", "phổ biến hoặc dễ đoán"),
        ("nv.hung-mua-thu-ha-noi", "tên đăng nhập"),
        ("NguyenVanHung-mua-thu-7", "họ tên"),
        ("nguyễn văn hùng mùa thu 7", "họ tên"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(accounts, password, why):
    with pytest.raises(AccountError) as err:
        accounts.add("nv.hung", password, "reviewer", "TP", name="Nguyễn Văn Hùng")
    assert why in str(err.value), str(err.value)
    assert accounts.get("nv.hung") is None


def test_a_good_password_is_taken_and_the_rule_holds_for_changes(accounts):
    accounts.add("nv.hung", GOOD, "reviewer", "TP", name="Nguyễn Văn Hùng")
    with pytest.raises(AccountError, match="họ tên"):
        accounts.set_password("nv.hung", "nguyenvanhung-2026-thu")
    accounts.set_password("nv.hung", "song-hong-chieu-tim-" + "9")


def test_first_administrator_gets_an_acceptable_random_password(tmp_path):
    svc = services(load_settings(tmp_path / "data"))
    out = io.StringIO()
    assert ensure_first_admin(svc, out, env={}) == "admin"
    printed = out.getvalue().rsplit(": ", 1)[1].strip()
    assert len(printed) >= 12
    assert Accounts(svc.settings.state_db).authenticate("admin", printed, "x") is not None


def test_a_weak_first_administrator_password_stops_the_start_with_the_reason(tmp_path):
    svc = services(load_settings(tmp_path / "data"))
    with pytest.raises(SystemExit, match="ít nhất 12"):
        ensure_first_admin(svc, io.StringIO(), env={"SOHOA_ADMIN_PASSWORD": "1234567890"})
    assert Accounts(svc.settings.state_db).count() == 0


def test_the_password_page_says_why_in_the_chosen_language(tmp_path):
    svc = services(load_settings(tmp_path / "data"))
    Accounts(svc.settings.state_db).add("nv.an", GOOD, "reviewer", "TP", name="Trần An")
    client = create_app(svc, config={"TESTING": True}).test_client()
    login(client, "nv.an", GOOD, purpose=None)
    for lang, words in (("vi", "phổ biến hoặc dễ đoán"), ("en", "too common or easy to guess")):
        page = client.get(f"/account/password?lang={lang}").get_data(as_text=True)
        form = {"current": GOOD, "new": "123456789012", "repeat": "123456789012", "csrf_token": csrf_of(page)}
        html = client.post("/account/password", data=form).get_data(as_text=True)
        assert words in html, lang
