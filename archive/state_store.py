"""The state store: where jobs, sequences, users, sessions, the access log and the catalogue
live. Two implementations behind one small interface, chosen by ``[state] backend``:

- ``SqliteState``: one SQLite file under the data directory (the embedded single-machine default);
- ``archive.pg_state.PostgresState``: a PostgreSQL database shared by any number of web and
  worker processes on any number of machines (a connection pool per process).

Components speak SQLite's dialect through ``connect()``'s connection (``execute`` with ``?``
placeholders, rows addressable by name and index, ``executescript`` for schemas, ``RETURNING``
instead of ``lastrowid``, ``ON CONFLICT`` instead of ``INSERT OR ...``); the PostgreSQL
connection translates the few differences.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any, Protocol

BACKENDS = ("sqlite", "postgresql")


def loaded_psycopg() -> Any:
    """psycopg when the PostgreSQL store has loaded it, else None: then none of its errors can have
    been raised, and a SQLite-only command never pays for its import just to name them."""
    return sys.modules.get("psycopg")


def integrity_errors() -> tuple[type[Exception], ...]:
    """Raised by either store when a UNIQUE or other constraint refuses a write."""
    psycopg = loaded_psycopg()
    return (sqlite3.IntegrityError, psycopg.IntegrityError) if psycopg else (sqlite3.IntegrityError,)


class StateError(Exception):
    """The state store cannot be opened as configured (bad backend, missing URL...)."""


class StateStore(Protocol):
    """What a component needs from the state store."""

    dialect: str  # "sqlite" or "postgresql"

    def connect(self) -> Any:
        """A connection for the calling thread (sqlite3-like: execute, executemany, executescript)."""
        ...

    def close(self) -> None:
        """Release what the store holds (pool, files)."""
        ...


def connect(path: str | Path) -> sqlite3.Connection:
    """A SQLite connection in autocommit mode with WAL; use ``transaction`` for writes."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class SqliteState:
    """The state in one SQLite file: a new connection per ``connect`` call."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def close(self) -> None:
        """Nothing to release: each connection belongs to its caller."""

    def __repr__(self) -> str:
        return f"SqliteState({str(self.path)!r})"


def as_state(state: StateStore | str | Path) -> StateStore:
    """A state store; a path stands for the SQLite file of a single machine."""
    if isinstance(state, str | Path):
        return SqliteState(state)
    return state


def open_state(
    backend: str,
    *,
    sqlite_path: Path,
    url: str = "",
    password: str | None = None,
    pool_size: int = 10,
) -> StateStore:
    """The store ``[state]`` names: ``sqlite`` (``sqlite_path``) or ``postgresql`` (``url``,
    with ``password`` from the environment variable the settings name)."""
    if backend == "sqlite":
        return SqliteState(sqlite_path)
    if backend == "postgresql":
        if not url:
            raise StateError(
                '[state] backend = "postgresql" needs [state] url (postgresql://USER@HOST:PORT/DB)'
            )
        from archive.pg_state import PostgresState

        return PostgresState(url, password=password, pool_size=pool_size)
    raise StateError(f"[state] backend must be one of {', '.join(BACKENDS)}, not {backend!r}")


def upsert_sql(table: str, cols: list[str], keys: list[str]) -> str:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE`` with ``?`` placeholders: replaces the row with
    the same keys (SQLite's ``INSERT OR REPLACE``, in words both stores understand)."""
    marks = ", ".join("?" * len(cols))
    sets = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keys)
    action = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks}) ON CONFLICT ({', '.join(keys)}) {action}"
    )
