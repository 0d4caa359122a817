"""The access log of citizens' documents: every view and download, with who, when and why.

Kept in the state DB; also appended to the archive's audit log when one is wired in
(``archive.audit``), so the tamper-evident trail has the reads too.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from archive.sqlite_db import StateTables, transaction
from archive.state_store import StateStore

log = logging.getLogger(__name__)

ACTIONS = ("view", "download_archival", "download_original", "page_image", "api_view")
PURPOSES = ("processing", "citizen_request", "inspection", "other")

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_access_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  login TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  document_id TEXT NOT NULL,
  owner_id TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS web_access_log_doc ON web_access_log(document_id);
CREATE INDEX IF NOT EXISTS web_access_log_at ON web_access_log(at);
"""


class AccessLog(StateTables):
    """Append-only rows of document reads."""

    schema = SCHEMA

    def __init__(self, db_path: StateStore | str | Path, audit=None) -> None:
        super().__init__(db_path)
        self.audit = audit  # callable(action, actor, subject, details) or None

    def record(
        self,
        *,
        login: str,
        role: str,
        department: str,
        action: str,
        document_id: str,
        owner_id: str,
        purpose: str,
        note: str = "",
        address: str = "",
    ) -> None:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO web_access_log (at, login, role, department, action, document_id, owner_id,"
                " purpose, note, address) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (at, login, role, department, action, document_id, owner_id, purpose, note, address),
            )
        if self.audit is not None:
            try:
                # The audit log's vocabulary: "download" for downloads, "read" for every other view.
                kind = "download" if action.startswith("download") else "read"
                self.audit(
                    kind,
                    login,
                    document_id,
                    {"owner_id": owner_id, "purpose": purpose, "note": note, "role": role, "via": action},
                )
            except Exception:  # noqa: BLE001 - the access row is written; the audit copy is best effort
                log.exception("could not append the read of %s to the audit log", document_id)

    def of_document(self, document_id: str, limit: int = 50) -> list[dict]:
        rows = self.db.execute(
            "SELECT * FROM web_access_log WHERE document_id = ? ORDER BY id DESC LIMIT ?",
            (document_id, limit),
        )
        return [dict(r) for r in rows]

    def recent(self, limit: int = 100) -> list[dict]:
        rows = self.db.execute("SELECT * FROM web_access_log ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]
