"""Officials' accounts: named logins with a role and a department, argon2 password hashes,
and login throttling. Stored in the state DB (SQLite WAL) beside the jobs."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.sqlite_db import StateTables, transaction
from archive.state_store import StateStore, integrity_errors
from search_ui.passwords import MESSAGES as PASSWORD_MESSAGES
from search_ui.passwords import password_problem
from search_ui.roles import DEPARTMENT_ROLES, ROLES, Role
from search_ui.sessions import SessionStore

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MAX_FAILURES = 5  # per login in the window below
# Per address: higher, as the officials of one counter often share an address behind NAT.
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = timedelta(minutes=15)

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_users (
  login TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  granted TEXT NOT NULL DEFAULT '',      -- extra departments, comma separated
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_login_failures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  login TEXT NOT NULL,
  address TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_login_failures_at ON web_login_failures(at);
"""


class AccountError(ValueError):
    """A refused account operation; the message is for people (Vietnamese); ``code`` names a
    refused password's reason (``search_ui.passwords.MESSAGES``) for pages in other languages."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class Throttled(Exception):
    """Too many failed logins recently."""


@dataclass(frozen=True)
class User:
    login: str
    name: str
    role: Role
    department: str
    granted: tuple[str, ...] = ()
    disabled: bool = False

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        granted = tuple(g for g in row["granted"].split(",") if g)
        return cls(
            row["login"], row["name"], Role(row["role"]), row["department"], granted, bool(row["disabled"])
        )


def _check_role(role: str, department: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
    if role in DEPARTMENT_ROLES and not department.strip():
        raise AccountError("Cán bộ tiếp nhận và cán bộ xử lý phải thuộc một cơ quan, đơn vị.")


def _now() -> datetime:
    return datetime.now(UTC)


class Accounts(StateTables):
    """The accounts table and the login check."""

    schema = SCHEMA

    def __init__(self, db_path: StateStore | str | Path) -> None:
        super().__init__(db_path)
        self.sessions = SessionStore(db_path)
        self.hasher = PasswordHasher()
        # Verifying against this hash when the login is unknown keeps the timing of both cases alike.
        self._dummy = self.hasher.hash("sohoa-dummy-password")

    def add(
        self,
        login: str,
        password: str,
        role: str,
        department: str,
        name: str = "",
        granted: tuple[str, ...] = (),
    ) -> User:
        """Create an account; raises ``AccountError`` on bad input or a taken login."""
        login = login.strip().lower()
        if not LOGIN_RE.match(login):
            raise AccountError("Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch (2-40 ký tự).")
        _check_role(role, department)
        self._check_password(password, login, name)
        try:
            with transaction(self.db) as db:
                db.execute(
                    "INSERT INTO web_users (login, name, role, department, granted, password_hash,"
                    " created_at) VALUES (?,?,?,?,?,?,?)",
                    (
                        login,
                        name.strip(),
                        role,
                        department.strip(),
                        ",".join(granted),
                        self.hasher.hash(password),
                        _now().isoformat(timespec="seconds"),
                    ),
                )
        except integrity_errors() as exc:
            raise AccountError(f"Tên đăng nhập {login} đã tồn tại.") from exc
        user = self.get(login)
        assert user is not None  # inserted just above
        return user

    @staticmethod
    def _check_password(password: str, login: str, name: str) -> None:
        problem = password_problem(password, login, name)
        if problem is not None:
            raise AccountError(PASSWORD_MESSAGES[problem], problem)

    def set_password(self, login: str, password: str) -> None:
        """A new password; every session of the official ends (a stolen cookie with it)."""
        user = self.get(login)
        self._check_password(password, login, user.name if user else "")
        self._store_hash(login, password)
        self.sessions.end_all(login)

    def _store_hash(self, login: str, password: str) -> None:
        with transaction(self.db) as db:
            db.execute(
                "UPDATE web_users SET password_hash = ? WHERE login = ?", (self.hasher.hash(password), login)
            )

    def set_disabled(self, login: str, disabled: bool) -> None:
        """Disable (or enable) an account; disabling ends every session of the official."""
        with transaction(self.db) as db:
            db.execute("UPDATE web_users SET disabled = ? WHERE login = ?", (int(disabled), login))
        if disabled:
            self.sessions.end_all(login)

    def set_role(self, login: str, role: str, department: str, granted: tuple[str, ...] = ()) -> User:
        """Change role, department and granted departments; every session of the official ends
        (the next sign-in gets the new rights, nothing keeps the old ones)."""
        _check_role(role, department)
        with transaction(self.db) as db:
            cur = db.execute(
                "UPDATE web_users SET role = ?, department = ?, granted = ? WHERE login = ?",
                (role, department.strip(), ",".join(granted), login),
            )
        if cur.rowcount != 1:
            raise AccountError(f"Không có tài khoản {login}.")
        self.sessions.end_all(login)
        return self.get(login)  # type: ignore[return-value]

    def get(self, login: str) -> User | None:
        row = self.db.execute("SELECT * FROM web_users WHERE login = ?", (login,)).fetchone()
        return User.from_row(row) if row else None

    def all(self) -> list[User]:
        return [User.from_row(r) for r in self.db.execute("SELECT * FROM web_users ORDER BY login")]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM web_users").fetchone()[0]

    def _throttled(self, login: str, address: str) -> bool:
        since = (_now() - FAILURE_WINDOW).isoformat(timespec="seconds")
        row = self.db.execute(
            "SELECT SUM(CASE WHEN login = ? THEN 1 ELSE 0 END), SUM(CASE WHEN address = ? THEN 1 ELSE 0 END)"
            " FROM web_login_failures WHERE at >= ?",
            (login, address, since),
        ).fetchone()
        return (row[0] or 0) >= MAX_FAILURES or (row[1] or 0) >= MAX_FAILURES_PER_ADDRESS

    def authenticate(self, login: str, password: str, address: str) -> User | None:
        """The account for a correct login and password; ``None`` otherwise.

        Raises ``Throttled`` after too many recent failures for the login or the address, before
        even checking the password (so guessing gains nothing)."""
        login = login.strip().lower()
        if self._throttled(login, address):
            raise Throttled()
        row = self.db.execute("SELECT * FROM web_users WHERE login = ?", (login,)).fetchone()
        try:
            self.hasher.verify(row["password_hash"] if row else self._dummy, password)
            ok = row is not None and not row["disabled"]
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            with transaction(self.db) as db:
                db.execute(
                    "INSERT INTO web_login_failures (login, address, at) VALUES (?,?,?)",
                    (login, address, _now().isoformat(timespec="seconds")),
                )
            return None
        if self.hasher.check_needs_rehash(row["password_hash"]):
            self._store_hash(login, password)  # same password, stronger hash: sessions stay
        with transaction(self.db) as db:
            db.execute("DELETE FROM web_login_failures WHERE login = ?", (login,))
        return User.from_row(row)
