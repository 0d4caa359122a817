"""Moving a single machine's SQLite state into PostgreSQL (``sohoa migrate-state``).

Every table the components own is created in the target first (their own schemas), then every
row of the SQLite file is copied in one PostgreSQL transaction: all or nothing. Identity
sequences continue after the highest id copied, dossier-code scopes get PostgreSQL's sequence
mark, and the copy is checked (row counts and every row of each table compared) before it is
reported."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from archive.catalogue import Catalogue
from archive.pg_state import PgConnection, PostgresState
from archive.sqlite_db import StateTables, transaction
from archive.state_store import StateStore
from ingest.dossier_code import _SEQ_MARK, PG_SEQ_MARK, DossierCodes
from ingest.dossiers.records import DossierRecords
from ingest.jobs import JobStore
from ingest.notices.registry import NoticeRegistry
from ingest.refresh import RefreshQueue
from ingest.signing_queue import SigningQueue
from search_ui.access_log import AccessLog
from search_ui.accounts import Accounts
from search_ui.web_secret import WebSecret

BATCH = 500
# Tables a rebuild leaves half-made, never data: not copied.
SKIPPED = ("documents_build",)
OWNERS: tuple[type[StateTables], ...] = (
    Catalogue,
    JobStore,
    RefreshQueue,
    SigningQueue,
    Accounts,
    AccessLog,
    DossierRecords,
    WebSecret,
)


class MigrationError(Exception):
    """The move cannot be made without loss (the message says why); nothing was written."""


def create_schemas(state: StateStore) -> None:
    """Every state table, created by the component that owns it."""
    for owner in OWNERS:
        owner(state)
    NoticeRegistry(state).close()
    DossierCodes(state, "schema-only").close()


def _tables(src: sqlite3.Connection) -> list[str]:
    rows = src.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(r[0] for r in rows if r[0] not in SKIPPED)


def _pg_columns(db: PgConnection, table: str) -> list[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = ? ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [r[0] for r in rows]


def _plan(src: sqlite3.Connection, db: PgConnection) -> dict[str, list[str]]:
    """Each table's columns to copy; refuses a table or column the target would lose, or a
    target that already holds state."""
    plan: dict[str, list[str]] = {}
    for table in _tables(src):
        have = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
        target = _pg_columns(db, table)
        if not target:
            raise MigrationError(f"table {table} of the SQLite state has no place in PostgreSQL")
        lost = [c for c in have if c not in target]
        if lost:
            raise MigrationError(f"columns {', '.join(lost)} of {table} have no place in PostgreSQL")
        if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            raise MigrationError(f"PostgreSQL already holds rows in {table}: migrate into an empty database")
        plan[table] = have
    return plan


def _value(value: Any) -> Any:
    # The only text holding NUL is a dossier-code scope's sequence mark (PostgreSQL refuses NUL).
    return value.replace(_SEQ_MARK, PG_SEQ_MARK) if isinstance(value, str) else value


def _copy(src: sqlite3.Connection, db: PgConnection, table: str, cols: list[str]) -> int:
    names = ", ".join(cols)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
    cur = src.execute(f"SELECT {names} FROM {table}")
    count = 0
    while batch := cur.fetchmany(BATCH):
        db.executemany(sql, [tuple(_value(v) for v in row) for row in batch])
        count += len(batch)
    sequence = (
        db.execute("SELECT pg_get_serial_sequence(?, 'id')", (table,)).fetchone() if "id" in cols else None
    )
    if sequence is not None and sequence[0]:  # an identity column: new rows continue after the highest id
        db.execute(
            f"SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1,"
            " false)",
            (table,),
        )
    return count


def _check(src: sqlite3.Connection, db: PgConnection, table: str, cols: list[str]) -> None:
    """Every row of the source is in the target, the same (both sides sorted alike)."""
    names = ", ".join(cols)
    theirs = [tuple(_value(v) for v in r) for r in src.execute(f"SELECT {names} FROM {table}")]
    ours = [tuple(r) for r in db.execute(f"SELECT {names} FROM {table}")]
    if sorted(theirs, key=_row_key) != sorted(ours, key=_row_key):
        raise MigrationError(f"{table}: the rows read back from PostgreSQL differ from the SQLite state")


def _row_key(row: tuple) -> tuple:
    """A sort key for rows mixing None, numbers and text."""
    return tuple((v is None, type(v).__name__, v if v is not None else 0) for v in row)


def migrate_state(sqlite_path: Path, target: PostgresState) -> dict[str, int]:
    """Copy the SQLite state at ``sqlite_path`` into ``target``; returns rows copied per table."""
    if not sqlite_path.exists():
        raise MigrationError(f"no SQLite state at {sqlite_path}")
    create_schemas(target)
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True, timeout=30)
    try:
        conn = target.connect()
        with transaction(conn) as db:
            plan = _plan(src, db)
            counts = {table: _copy(src, db, table, cols) for table, cols in plan.items()}
            for table, cols in plan.items():
                _check(src, db, table, cols)
    finally:
        src.close()
    key = sqlite_path.parent / "web-secret.key"
    if key.exists():  # applicant-page addresses stay the same after the move
        counts["web_secret"] = int(WebSecret(target).get(key.read_bytes()) == key.read_bytes())
    return counts
