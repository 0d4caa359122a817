"""Server-side sessions in the state DB, so that every web node shares them and they can end.

The cookie holds only a random token; the table keeps its SHA-256 (a copy of the table gives no
usable cookie), the session's data, its official, when it began and when it was last used. A
session ends after ``[web] session_idle_minutes`` without a request and in any case
``[web] session_minutes`` after sign-in. Logout, a password change, a role or department change
and disabling the account delete every session of the official (``end_all``), so a copied
cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from archive.sqlite_db import StateTables, transaction

COOKIE = "sohoa_session"
TOUCH_EVERY = 30.0  # seconds: last-use times are written at most this often per session

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_sessions (
  id TEXT PRIMARY KEY,                 -- SHA-256 of the cookie's token
  login TEXT NOT NULL DEFAULT '',      -- '' before sign-in
  data TEXT NOT NULL DEFAULT '{}',
  created_at REAL NOT NULL,
  seen_at REAL NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS web_sessions_login ON web_sessions(login);
CREATE INDEX IF NOT EXISTS web_sessions_seen ON web_sessions(seen_at);
"""


def token_id(token: str) -> str:
    """The stored id of a cookie token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Lifetimes:
    """Idle timeout and absolute lifetime of a session, in seconds."""

    idle: float
    absolute: float


class SessionStore(StateTables):
    """The sessions table."""

    schema = SCHEMA

    def load(self, sid: str, life: Lifetimes, now: float | None = None) -> dict | None:
        """The live session ``sid`` (its row as a dict), or ``None``; an expired one is deleted."""
        now = time.time() if now is None else now
        row = self.db.execute("SELECT * FROM web_sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return None
        if now - row["seen_at"] > life.idle or now - row["created_at"] > life.absolute:
            self.delete(sid)
            return None
        return dict(row)

    def create(self, sid: str, login: str, data: dict, address: str, agent: str) -> float:
        """Insert a new session; also clears out sessions that expired long ago. Returns its start."""
        now = time.time()
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO web_sessions (id, login, data, created_at, seen_at, address, agent)"
                " VALUES (?,?,?,?,?,?,?)",
                (sid, login, json.dumps(data), now, now, address[:64], agent[:200]),
            )
        return now

    def update(self, sid: str, login: str, data: dict) -> None:
        """Store changed data; an ended session stays ended (UPDATE only, never re-created)."""
        with transaction(self.db) as db:
            db.execute(
                "UPDATE web_sessions SET login = ?, data = ?, seen_at = ? WHERE id = ?",
                (login, json.dumps(data), time.time(), sid),
            )

    def touch(self, sid: str) -> None:
        with transaction(self.db) as db:
            db.execute("UPDATE web_sessions SET seen_at = ? WHERE id = ?", (time.time(), sid))

    def delete(self, sid: str) -> None:
        with transaction(self.db) as db:
            db.execute("DELETE FROM web_sessions WHERE id = ?", (sid,))

    def end_all(self, login: str, keep: str | None = None) -> int:
        """End every session of ``login`` (except ``keep``); how many ended."""
        with transaction(self.db) as db:
            cur = db.execute("DELETE FROM web_sessions WHERE login = ? AND id != ?", (login, keep or ""))
        return cur.rowcount

    def of_login(self, login: str, life: Lifetimes) -> list[dict]:
        """The live sessions of ``login``, most recently used first."""
        now = time.time()
        rows = self.db.execute(
            "SELECT id, created_at, seen_at, address, agent FROM web_sessions"
            " WHERE login = ? AND seen_at >= ? AND created_at >= ? ORDER BY seen_at DESC",
            (login, now - life.idle, now - life.absolute),
        )
        return [dict(r) for r in rows]

    def prune(self, life: Lifetimes) -> int:
        """Delete expired sessions (anonymous ones pile up from login pages)."""
        now = time.time()
        with transaction(self.db) as db:
            cur = db.execute(
                "DELETE FROM web_sessions WHERE seen_at < ? OR created_at < ?",
                (now - life.idle, now - life.absolute),
            )
        return cur.rowcount


class ServerSession(CallbackDict, SessionMixin):
    """The session's data; ``sid`` is ``None`` until it is stored. ``renew()`` asks for a new
    token when the response is saved (sign-in, credential change: no session fixation)."""

    def __init__(
        self, initial: dict | None = None, sid: str | None = None, created: float = 0.0, seen: float = 0.0
    ):
        def on_update(_self) -> None:
            _self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.created, self.seen = created, seen
        self.modified = False
        self.renewed = False

    def renew(self) -> None:
        self.renewed = True
        self.modified = True


class ServerSessionInterface(SessionInterface):
    """Flask's session backed by ``SessionStore``; cookies marked Secure as ``secure`` says."""

    def __init__(self, store: SessionStore, life: Lifetimes, secure) -> None:
        self.store, self.life, self.secure = store, life, secure
        self._created = 0

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(COOKIE, "")
        if token and len(token) < 200:
            row = self.store.load(token_id(token), self.life)
            if row is not None:
                return ServerSession(json.loads(row["data"]), row["id"], row["created_at"], row["seen_at"])
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        path, domain = self.get_cookie_path(app), self.get_cookie_domain(app)
        if session.sid is not None and (session.renewed or not session):
            self.store.delete(session.sid)
            if not session:
                response.delete_cookie(COOKIE, path=path, domain=domain)
                return
            session.sid = None
        if session.sid is None:
            if session:
                self._new(app, session, response)
            return
        if session.modified:
            self.store.update(session.sid, session.get("login", ""), dict(session))
        elif time.time() - session.seen > TOUCH_EVERY:
            # Each request counts as use; written at most every TOUCH_EVERY seconds per session.
            self.store.touch(session.sid)

    def _new(self, app: Flask, session: ServerSession, response: Response) -> None:
        from flask import request

        token = secrets.token_urlsafe(32)
        session.sid = token_id(token)
        session.created = self.store.create(
            session.sid,
            session.get("login", ""),
            dict(session),
            request.remote_addr or "",
            request.headers.get("User-Agent", ""),
        )
        self._created += 1
        if self._created % 200 == 0:
            self.store.prune(self.life)
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(self.life.absolute),
            path=self.get_cookie_path(app),
            domain=self.get_cookie_domain(app),
            secure=self.secure(app),
            httponly=True,
            samesite="Lax",
        )
