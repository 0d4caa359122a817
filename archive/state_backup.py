"""Copies of the SQLite state (users, sessions, jobs, access log, sequences) kept in the archive.

A backup is SQLite's online backup (a consistent snapshot while other processes write) stored
as a write-once object ``state-backups/<UTC time>-state.sqlite3``. A restore checks the copy's
integrity before it replaces the state file, and keeps the file it replaces beside it.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from archive.object_store import ObjectStore

PREFIX = "state-backups/"
SUFFIX = "-state.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StateFileError(Exception):
    """The state file is not a whole SQLite database (corrupt, truncated, not SQLite)."""


def backup_key(when: datetime) -> str:
    """Object key of a backup made at ``when`` (UTC; keys sort by time)."""
    return f"{PREFIX}{when.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}{SUFFIX}"


def backup_time(key: str) -> datetime:
    """The UTC time a backup key names."""
    stamp = key[len(PREFIX) : -len(SUFFIX)]
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def list_backups(store: ObjectStore) -> list[str]:
    """Backup keys, oldest first."""
    return sorted(k for k in store.list(PREFIX) if k.endswith(SUFFIX))


def backup_state(db_path: Path, store: ObjectStore, now: datetime | None = None) -> str:
    """Snapshot the state DB with the online backup API and store it; returns its key."""
    key = backup_key(now or datetime.now(UTC))
    fd, tmp = tempfile.mkstemp(prefix="sohoa-state-backup-", suffix=".sqlite3")
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        dest = sqlite3.connect(tmp)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
        store.put_file(key, tmp, content_type="application/vnd.sqlite3")
    finally:
        os.unlink(tmp)
    return key


def check_state_file(path: Path) -> None:
    """Raise ``StateFileError`` unless ``path`` looks like a whole SQLite file: the magic header,
    and at least as many bytes as the header's page count says (a truncated copy has fewer).
    Cheap: reads 100 bytes, so every command can afford it."""
    with open(path, "rb") as fh:
        header = fh.read(100)
    if not header:
        return  # an empty file is a new database
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StateFileError("not an SQLite database (wrong header)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    wal = Path(f"{path}-wal")
    # With frames in the WAL the file may legitimately be shorter than its header says (a
    # checkpoint cut short by a full disk: the WAL still holds those pages).
    pending = wal.exists() and wal.stat().st_size > 32
    if pages and valid_for == change_counter and not pending and path.stat().st_size < pages * page_size:
        raise StateFileError(f"truncated: {path.stat().st_size} of {pages * page_size} bytes")


def integrity_problem(path: Path, quick: bool = False) -> str:
    """SQLite's own check of a database file (``quick_check`` skips index contents): '' when
    it is sound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    result = "; ".join(r[0] for r in rows)
    return "" if result == "ok" else result


def restore_state(store: ObjectStore, key: str, db_path: Path) -> Path | None:
    """Replace the state file by backup ``key`` after checking the copy; returns where the
    replaced file was kept (None when there was none). The caller holds the worker lock."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=db_path.parent, prefix=".restore-", suffix=".sqlite3")
    try:
        with os.fdopen(fd, "wb") as out, store.open(key) as src:
            while chunk := src.read(1024 * 1024):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        problem = integrity_problem(Path(tmp))
        if problem:
            raise StateFileError(f"backup {key} fails SQLite's integrity check: {problem}")
        kept = None
        if db_path.exists():
            kept = db_path.with_name(f"{db_path.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
            os.replace(db_path, kept)
        for side in ("-wal", "-shm"):  # the old file's log goes with it, never into the copy
            old = Path(f"{db_path}{side}")
            if kept and old.exists():
                os.replace(old, f"{kept}{side}")
            old.unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return kept
