"""Officials named as people read them: "Lê Thị Lưu (lt)" rather than the bare login, wherever a
page says who did something (records, handover and disposal records, batches, access logs)."""

from __future__ import annotations

from flask import g

from search_ui.current import web


def person(login: str | None) -> str:
    """``login`` as "Name (login)" when the account has a name; the login alone otherwise (a
    removed account, a command-line actor). Looked up once per login and request."""
    if not login:
        return ""
    names: dict[str, str] = g.setdefault("people_names", {})
    if login not in names:
        user = web().accounts.get(login)
        names[login] = f"{user.name} ({login})" if user is not None and user.name else login
    return names[login]
