"""A base for the web app's tables in the state DB: one SQLite connection per thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from archive.sqlite_db import connect


class StateTables:
    """Owns a schema in the state DB; ``db`` is this thread's connection (WAL, busy timeout)."""

    schema = ""

    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(db_path)
        self._local = threading.local()
        self.db.executescript(self.schema)

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path)
        return conn
