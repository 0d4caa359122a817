"""The dossier records intake keeps beside the catalogue: reuse links, confirmed metadata and
re-scans (which document replaces which). The tables keep their first names (``web_*``): they
were the web app's before the dossier use cases moved below it, and installations hold them.

Reuse (Art. 21a): linking an already digitised document into a new dossier stores no second
copy; the link itself is the record (who, when, into which dossier). Confirmed metadata: the
manifest in the archive is write-once, so the officer's confirmation is kept here and shown over
the proposed values.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from archive.sqlite_db import StateTables, transaction
from archive.state_store import upsert_sql

CONFIRM_FIELDS = (
    "component_name",
    "type_name",
    "number",
    "issued_date",
    "issuing_organ",
    "subject",
    "signer",
    "valid_until",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_reuse_links (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL,
  dossier_code TEXT NOT NULL,
  linked_by TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  UNIQUE (document_id, dossier_code)
);
CREATE INDEX IF NOT EXISTS web_reuse_dossier ON web_reuse_links(dossier_code);
CREATE TABLE IF NOT EXISTS web_replacements (
  old_id TEXT PRIMARY KEY,
  new_id TEXT NOT NULL,
  page INTEGER NOT NULL DEFAULT 0,       -- 0: the whole document was re-scanned
  replaced_by TEXT NOT NULL,
  replaced_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_confirmations (
  document_id TEXT PRIMARY KEY,
  fields TEXT NOT NULL,
  confirmed_by TEXT NOT NULL,
  confirmed_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DossierRecords(StateTables):
    """Reuse links, replacements and metadata confirmations."""

    schema = SCHEMA

    def link(self, document_id: str, dossier_code: str, actor: str) -> bool:
        """Link ``document_id`` into ``dossier_code``; False if it was linked already."""
        with transaction(self.db) as db:
            cur = db.execute(
                "INSERT INTO web_reuse_links (document_id, dossier_code, linked_by,"
                " linked_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                (document_id, dossier_code, actor, _now()),
            )
        return cur.rowcount == 1

    def links_of_dossier(self, dossier_code: str) -> list[dict]:
        rows = self.db.execute(
            "SELECT * FROM web_reuse_links WHERE dossier_code = ? ORDER BY id", (dossier_code,)
        )
        return [dict(r) for r in rows]

    def links_of_document(self, document_id: str) -> list[dict]:
        rows = self.db.execute(
            "SELECT * FROM web_reuse_links WHERE document_id = ? ORDER BY id", (document_id,)
        )
        return [dict(r) for r in rows]

    def unlink(self, document_id: str, dossier_code: str) -> dict | None:
        """Remove the link of ``document_id`` into ``dossier_code`` (a reuse made by mistake); the
        removed link, or None when there was none."""
        with transaction(self.db) as db:
            row = db.execute(
                "SELECT * FROM web_reuse_links WHERE document_id = ? AND dossier_code = ?",
                (document_id, dossier_code),
            ).fetchone()
            if row is not None:
                db.execute("DELETE FROM web_reuse_links WHERE id = ?", (row["id"],))
        return dict(row) if row else None

    def replace(self, old_id: str, new_id: str, page: int, actor: str) -> None:
        """Record that ``new_id`` (a re-scan) replaces ``old_id`` in its dossier."""
        with transaction(self.db) as db:
            db.execute(
                upsert_sql(
                    "web_replacements", ["old_id", "new_id", "page", "replaced_by", "replaced_at"], ["old_id"]
                ),
                (old_id, new_id, page, actor, _now()),
            )

    def replacements(self, doc_ids: list[str]) -> dict[str, dict]:
        """Replacement rows by old and by new id, for the given documents."""
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self.db.execute(
            f"SELECT * FROM web_replacements WHERE old_id IN ({marks}) OR new_id IN ({marks})",
            (*doc_ids, *doc_ids),
        ).fetchall()
        out: dict[str, dict] = {}
        for r in rows:
            out.setdefault(r["old_id"], {})["replaced_by"] = dict(r)
            out.setdefault(r["new_id"], {})["replaces"] = dict(r)
        return out

    def dossiers_linking(self, document_id: str) -> list[str]:
        """Codes of the dossiers ``document_id`` was linked into."""
        return [link["dossier_code"] for link in self.links_of_document(document_id)]

    def confirm(self, document_id: str, fields: dict[str, str], actor: str) -> None:
        clean = {k: str(fields.get(k, "")).strip() for k in CONFIRM_FIELDS}
        with transaction(self.db) as db:
            db.execute(
                upsert_sql(
                    "web_confirmations",
                    ["document_id", "fields", "confirmed_by", "confirmed_at"],
                    ["document_id"],
                ),
                (document_id, json.dumps(clean, ensure_ascii=False), actor, _now()),
            )

    def restore(self, table: str, row: dict[str, object]) -> None:
        """Put back a row rebuilt from the archive (``reindex``); a row already here wins."""
        if table not in ("web_reuse_links", "web_replacements", "web_confirmations"):
            raise ValueError(table)
        cols = ", ".join(row)
        with transaction(self.db) as db:
            db.execute(
                f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))}) ON CONFLICT DO NOTHING",
                (*row.values(),),
            )

    def confirmation(self, document_id: str) -> dict | None:
        row = self.db.execute(
            "SELECT * FROM web_confirmations WHERE document_id = ?", (document_id,)
        ).fetchone()
        if row is None:
            return None
        return {
            "fields": json.loads(row["fields"]),
            "confirmed_by": row["confirmed_by"],
            "confirmed_at": row["confirmed_at"],
        }
