"""Where the diacritics statistics (``archive.diacritics``) live for the embedded index: a small
SQLite file beside each tantivy generation, so a rebuild swaps index and statistics together.

One row per (department, form): the number of documents of that department holding the form
(a syllable, or two separated by a space). One writer (the process that writes the index);
readers in other processes see committed rows (WAL).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection
from pathlib import Path

from archive.diacritics import VocabularyDelta

SCHEMA = """
CREATE TABLE IF NOT EXISTS terms (
    department TEXT NOT NULL,
    form TEXT NOT NULL,
    folded TEXT NOT NULL,
    docs INTEGER NOT NULL,
    PRIMARY KEY (department, form)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS terms_by_fold ON terms (folded, department);
"""


class SqliteVocabulary:
    """Per-department document frequencies of accented forms, looked up by their fold."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)

    def apply(self, delta: VocabularyDelta) -> None:
        """Add the changes of ``delta`` (and empty it) in one transaction; forms that no
        document holds any more are removed."""
        rows = delta.take()
        if not rows:
            return
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO terms (department, form, folded, docs) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (department, form) DO UPDATE SET docs = docs + excluded.docs",
                    rows,
                )
                gone = [(dep, form) for dep, form, _, n in rows if n < 0]
                self._db.executemany(
                    "DELETE FROM terms WHERE department = ? AND form = ? AND docs <= 0", gone
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM terms")

    def lookup(
        self, folded: Collection[str], departments: Collection[str] | None, min_documents: int
    ) -> dict[str, dict[str, int]]:
        """{fold: {form: documents}} for the given folds, summed over ``departments`` (``None``:
        every department), keeping forms held by at least ``min_documents`` documents."""
        if not folded or (departments is not None and not departments):
            return {}
        keys = sorted(folded)
        sql = f"SELECT folded, form, SUM(docs) FROM terms WHERE folded IN ({','.join('?' * len(keys))})"
        args: list = list(keys)
        if departments is not None:
            sql += f" AND department IN ({','.join('?' * len(departments))})"
            args += sorted(departments)
        sql += " GROUP BY folded, form HAVING SUM(docs) >= ?"
        args.append(max(1, min_documents))
        out: dict[str, dict[str, int]] = {}
        with self._lock:
            for key, form, docs in self._db.execute(sql, args):
                out.setdefault(key, {})[form] = int(docs)
        return out

    def documents(self, form: str, department: str) -> int:
        """How many documents of ``department`` hold ``form`` (tests and diagnostics)."""
        with self._lock:
            row = self._db.execute(
                "SELECT docs FROM terms WHERE department = ? AND form = ?", (department, form)
            ).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
