"""Officials' accounts: named logins with a role and a department, argon2 password hashes,
and login throttling. Stored in the state DB (SQLite WAL) beside the jobs."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.sqlite_db import StateTables, transaction


class Role(StrEnum):
    """An official's role; the values are what the state DB and the JSON output hold."""

    INTAKE = "intake"  # counter staff
    REVIEWER = "reviewer"  # department reviewers
    RECORDS = "records"  # the records unit
    ADMIN = "admin"


ROLES = tuple(Role)
# Roles whose officials belong to one department (the others see every department).
DEPARTMENT_ROLES = frozenset({Role.INTAKE, Role.REVIEWER})
LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
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
    """A refused account operation; ``message`` is for people (Vietnamese)."""


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


def _now() -> datetime:
    return datetime.now(UTC)


class Accounts(StateTables):
    """The accounts table and the login check."""

    schema = SCHEMA

    def __init__(self, db_path: str | Path) -> None:
        super().__init__(db_path)
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
        if role not in ROLES:
            raise AccountError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
        if role in DEPARTMENT_ROLES and not department.strip():
            raise AccountError("Cán bộ tiếp nhận và người duyệt phải thuộc một cơ quan, đơn vị.")
        self._check_password(password)
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
        except sqlite3.IntegrityError as exc:
            raise AccountError(f"Tên đăng nhập {login} đã tồn tại.") from exc
        user = self.get(login)
        assert user is not None  # inserted just above
        return user

    def _check_password(self, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")

    def set_password(self, login: str, password: str) -> None:
        self._check_password(password)
        with transaction(self.db) as db:
            db.execute(
                "UPDATE web_users SET password_hash = ? WHERE login = ?", (self.hasher.hash(password), login)
            )

    def set_disabled(self, login: str, disabled: bool) -> None:
        with transaction(self.db) as db:
            db.execute("UPDATE web_users SET disabled = ? WHERE login = ?", (int(disabled), login))

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
            "SELECT SUM(login = ?), SUM(address = ?) FROM web_login_failures WHERE at >= ?",
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
            self.set_password(login, password)
        with transaction(self.db) as db:
            db.execute("DELETE FROM web_login_failures WHERE login = ?", (login,))
        return User.from_row(row)
