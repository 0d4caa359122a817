"""Start-up chores of the web app: the first administrator account.

When the data directory has no account yet, ``sohoa serve`` creates the administrator ``admin``:
with the password in ``$SOHOA_ADMIN_PASSWORD`` when set, else with a random one printed once on
the console. Further accounts come from the Users page or ``sohoa users add``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import TextIO

from search_ui.accounts import AccountError, Role
from search_ui.passwords import password_problem

FIRST_ADMIN = "admin"


def _random_password() -> str:
    """A random password the password rule accepts (16 URL-safe characters)."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password, FIRST_ADMIN, "Quản trị hệ thống") is None:
            return password


def ensure_first_admin(services, out: TextIO, env: Mapping[str, str] | None = None) -> str | None:
    """Create the first administrator if there is no account; returns its login (None if not made)."""
    if env is None:
        env = os.environ
    accounts = services.accounts
    if accounts.count():
        return None
    given = env.get("SOHOA_ADMIN_PASSWORD", "")
    password = given or _random_password()
    try:
        accounts.add(FIRST_ADMIN, password, Role.ADMIN, "", name="Quản trị hệ thống")
    except AccountError as exc:
        raise SystemExit(f"sohoa: $SOHOA_ADMIN_PASSWORD refused: {exc}") from exc
    if given:
        print(
            f"sohoa: created the first administrator '{FIRST_ADMIN}' with the password from "
            "$SOHOA_ADMIN_PASSWORD.",
            file=out,
            flush=True,
        )
    else:
        print(
            f"sohoa: created the first administrator '{FIRST_ADMIN}'. Password (shown only now, "
            f"change it or add named accounts): {password}",
            file=out,
            flush=True,
        )
    return FIRST_ADMIN
