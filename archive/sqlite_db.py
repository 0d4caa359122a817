"""State-store connections: SQLite (WAL, busy timeout) or PostgreSQL (``archive.pg_state``),
one transaction helper, and the base class of every component that owns state tables."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.state_store import SqliteState, StateStore, as_state, connect

__all__ = ["StateTables", "connect", "transaction"]


@contextmanager
def transaction(conn: Any, *, serial: bool = True) -> Iterator[Any]:
    """A write transaction. SQLite: BEGIN IMMEDIATE ... COMMIT, which takes the write lock up
    front, so racing writers serialise. PostgreSQL: the same when ``serial`` (a transaction-wide
    advisory lock), else a plain transaction whose rows are locked by its own statements
    (``FOR UPDATE SKIP LOCKED`` claims, single-row updates)."""
    if not isinstance(conn, sqlite3.Connection):
        with conn.transaction(serial=serial) as held:
            yield held
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class StateTables:
    """Base of a component that owns tables in the state store: ``schema`` (SQLite's dialect;
    the PostgreSQL store translates it) is created on first use, ``db`` is this thread's
    connection (sqlite3 connections must not cross threads). Takes a ``StateStore`` or, for a
    single machine, the path of the SQLite file."""

    schema = ""

    def __init__(self, state: StateStore | str | Path) -> None:
        self.state = as_state(state)
        self.dialect = self.state.dialect
        self.path = self.state.path if isinstance(self.state, SqliteState) else None
        self._local = threading.local()
        self.db.executescript(self.schema)

    @property
    def db(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self.state.connect()
        return conn
