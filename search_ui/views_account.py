"""The official's own account page: active sessions (where and when) with "end the others"."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, g, redirect, render_template, session, url_for

from search_ui.current import web
from search_ui.i18n import translate as t

bp = Blueprint("account", __name__, url_prefix="/account")


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _current_sid() -> str:
    return getattr(session, "sid", None) or ""


@bp.get("")
def overview():
    """The signed-in official's live sessions, this one marked."""
    life = current_app.session_interface.life  # type: ignore[attr-defined]
    rows = web().accounts.sessions.of_login(g.user.login, life)
    mine = _current_sid()
    sessions = [
        {
            "current": r["id"] == mine,
            "created_at": _iso(r["created_at"]),
            "seen_at": _iso(r["seen_at"]),
            "address": r["address"],
            "agent": r["agent"],
        }
        for r in rows
    ]
    return render_template("account.html", sessions=sessions)


@bp.post("/sessions/end-others")
def end_others():
    """End every other session of this official (another computer, a lost phone...)."""
    ended = web().accounts.sessions.end_all(g.user.login, keep=_current_sid())
    flash(t("sessions_ended", n=ended), "ok")
    return redirect(url_for("account.overview"))
