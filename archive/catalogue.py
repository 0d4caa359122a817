"""The catalogue: a SQLite table of documents and dossiers for listings that the search
index does not answer well (by applicant, by dossier, by checksum). Derived from manifests
(rebuilt by ``reindex``), except dossier rows, which intake creates."""

from __future__ import annotations

from archive.model import Document
from archive.sqlite_db import StateTables, transaction
from archive.state_store import upsert_sql

DOCUMENTS_TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
  id TEXT PRIMARY KEY,
  dossier_code TEXT NOT NULL,
  role TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  doc_type TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  procedure_code TEXT NOT NULL DEFAULT '',
  owner_id TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL,
  archival_sha256 TEXT NOT NULL DEFAULT '',
  pages INTEGER NOT NULL DEFAULT 0,
  mean_confidence REAL,
  digitised_at TEXT NOT NULL DEFAULT '',
  valid_until TEXT NOT NULL DEFAULT '',
  retention_class TEXT NOT NULL DEFAULT '',
  retain_until TEXT NOT NULL DEFAULT '',
  legal_hold INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT ''
);
"""
DOCUMENT_INDEXES = """
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_owner ON documents(owner_id);
CREATE INDEX IF NOT EXISTS documents_dossier ON documents(dossier_code);
"""
# A reindex fills this table aside and swaps it in at the end (the live one serves meanwhile).
BUILD_TABLE = "documents_build"
SCHEMA = (
    DOCUMENTS_TABLE.format(name="documents")
    + DOCUMENT_INDEXES
    + """
CREATE TABLE IF NOT EXISTS dossiers (
  code TEXT PRIMARY KEY,
  procedure_code TEXT NOT NULL DEFAULT '',
  procedure_name TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  applicant_id TEXT NOT NULL DEFAULT '',
  applicant_name TEXT NOT NULL DEFAULT '',
  applicant_kind TEXT NOT NULL DEFAULT 'citizen',
  channel TEXT NOT NULL DEFAULT 'counter',
  received_at TEXT NOT NULL DEFAULT '',
  due_date TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'received'
);
CREATE INDEX IF NOT EXISTS dossiers_applicant ON dossiers(applicant_id);
CREATE TABLE IF NOT EXISTS object_versions (
  key TEXT PRIMARY KEY,                 -- a manifest or revision key
  version_id TEXT NOT NULL,             -- the version sohoa wrote: the record
  document_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS object_versions_doc ON object_versions(document_id);
"""
)

DOSSIER_FIELDS = (
    "procedure_code",
    "procedure_name",
    "department",
    "applicant_id",
    "applicant_name",
    "applicant_kind",
    "channel",
    "received_at",
    "due_date",
    "status",
)


def _mean_confidence(doc: Document) -> float | None:
    values = [p.confidence for p in doc.pages if p.confidence is not None]
    return sum(values) / len(values) if values else None


def document_row(doc: Document) -> dict:
    """The catalogue row of a document (no page text)."""
    return {
        "id": doc.id,
        "dossier_code": doc.dossier_code,
        "role": doc.role,
        "title": doc.title,
        "doc_type": doc.metadata.type_name,
        "department": doc.department,
        "procedure_code": doc.procedure_code,
        "owner_id": doc.applicant.id,
        "sha256": doc.original.sha256 if doc.original else "",
        "archival_sha256": doc.archival.sha256 if doc.archival else "",
        "pages": doc.page_count,
        "mean_confidence": _mean_confidence(doc),
        "digitised_at": doc.digitised_at,
        "valid_until": doc.valid_until,
        "retention_class": doc.retention_class,
        "retain_until": doc.retain_until,
        "legal_hold": int(doc.legal_hold),
        "source": doc.source,
    }


class Catalogue(StateTables):
    """Documents and dossiers in SQLite (WAL), safe to share between threads of one process."""

    schema = SCHEMA

    # -- documents ------------------------------------------------------------------------
    def upsert_document(self, doc: Document) -> None:
        self.upsert_rows([document_row(doc)])

    def upsert_rows(self, rows: list[dict], table: str = "documents") -> None:
        """Insert or replace ``document_row`` rows, all in one transaction (a reindex writes them
        in batches into ``BUILD_TABLE``; rows, not documents, so a batch holds no page text)."""
        if not rows:
            return
        if table not in ("documents", BUILD_TABLE):
            raise ValueError(table)
        cols = list(rows[0])
        with transaction(self.db) as db:
            db.executemany(upsert_sql(table, cols, ["id"]), [tuple(r[c] for c in cols) for r in rows])

    def begin_rebuild(self) -> None:
        """Start an empty build table (a killed earlier rebuild may have left one)."""
        with transaction(self.db) as db:
            db.execute(f"DROP TABLE IF EXISTS {BUILD_TABLE}")
            db.execute(DOCUMENTS_TABLE.format(name=BUILD_TABLE))

    def finish_rebuild(self) -> None:
        """Swap the build table in, in one transaction: readers see the old rows or the new."""
        with transaction(self.db) as db:
            db.execute("DROP TABLE documents")
            db.execute(f"ALTER TABLE {BUILD_TABLE} RENAME TO documents")
            for statement in DOCUMENT_INDEXES.strip().split(";"):
                if statement.strip():
                    db.execute(statement)

    def delete_document(self, doc_id: str) -> None:
        with transaction(self.db) as db:
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def document(self, doc_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def find_by_sha256(self, sha256: str) -> dict | None:
        row = self.db.execute(
            "SELECT * FROM documents WHERE sha256 = ? ORDER BY id LIMIT 1", (sha256,)
        ).fetchone()
        return dict(row) if row else None

    def documents_of_owner(self, owner_id: str) -> list[dict]:
        rows = self.db.execute(
            "SELECT * FROM documents WHERE owner_id = ? ORDER BY digitised_at DESC", (owner_id,)
        ).fetchall()
        return [dict(r) for r in rows]

    def documents_of_dossier(self, code: str) -> list[dict]:
        rows = self.db.execute("SELECT * FROM documents WHERE dossier_code = ? ORDER BY id", (code,))
        return [dict(r) for r in rows.fetchall()]

    def highest_seq(self, dossier_code: str) -> int:
        """The highest document sequence (``<code>.<seq>``) the catalogue holds for a dossier."""
        rows = self.db.execute("SELECT id FROM documents WHERE dossier_code = ?", (dossier_code,))
        tails = (r[0][len(dossier_code) + 1 :] for r in rows)
        return max((int(t) for t in tails if t.isdigit()), default=0)

    def due_documents(self, today: str, limit: int = 200) -> list[dict]:
        """Documents whose retain-until has passed (``today`` ISO) and that are not held."""
        rows = self.db.execute(
            "SELECT * FROM documents WHERE retain_until != '' AND retain_until < ? AND legal_hold = 0"
            " ORDER BY retain_until LIMIT ?",
            (today, limit),
        )
        return [dict(r) for r in rows]

    def dossier_summaries(self) -> list[dict]:
        """Per dossier with documents: its retention classes (comma-joined), first digitisation,
        number of documents and pages, and whether any is under legal hold; in code order."""
        rows = self.db.execute(
            "SELECT dossier_code AS code, GROUP_CONCAT(DISTINCT retention_class) AS classes,"
            " MIN(digitised_at) AS first_digitised, COUNT(*) AS documents, SUM(pages) AS pages,"
            " MAX(legal_hold) AS held FROM documents GROUP BY dossier_code ORDER BY dossier_code"
        )
        return [dict(r) for r in rows]

    def held_documents(self, limit: int = 200) -> list[dict]:
        """Documents under legal hold."""
        rows = self.db.execute("SELECT * FROM documents WHERE legal_hold = 1 ORDER BY id LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def clear_documents(self) -> None:
        with transaction(self.db) as db:
            db.execute("DELETE FROM documents")

    # -- version pins (archive.repository.VersionPins) ---------------------------------------
    def pin(self, key: str, version_id: str, document_id: str) -> None:
        """Record the version of ``key`` that sohoa wrote (the first one recorded stays)."""
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO object_versions (key, version_id, document_id) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                (key, version_id, document_id),
            )

    def repin(self, key: str, version_id: str, document_id: str) -> None:
        """Record a new version of ``key`` in place of the old one (a restored bucket)."""
        with transaction(self.db) as db:
            db.execute(
                upsert_sql("object_versions", ["key", "version_id", "document_id"], ["key"]),
                (key, version_id, document_id),
            )

    def pinned(self, key: str) -> str | None:
        row = self.db.execute("SELECT version_id FROM object_versions WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def pins_of(self, document_id: str) -> dict[str, str]:
        """Every recorded version of a document's manifest and revisions, by key."""
        rows = self.db.execute(
            "SELECT key, version_id FROM object_versions WHERE document_id = ?", (document_id,)
        )
        return {r[0]: r[1] for r in rows.fetchall()}

    # -- dossiers -------------------------------------------------------------------------
    def ensure_dossier(self, code: str, **fields: str) -> dict:
        """Create the dossier row if missing; fill empty fields from ``fields``."""
        unknown = set(fields) - set(DOSSIER_FIELDS)
        if unknown:
            raise ValueError(f"unknown dossier fields: {sorted(unknown)}")
        with transaction(self.db) as db:
            created = (
                db.execute("INSERT INTO dossiers (code) VALUES (?) ON CONFLICT DO NOTHING", (code,)).rowcount
                == 1
            )
            for key, value in fields.items():
                # A new row takes every given field (the column defaults, e.g. channel 'counter',
                # are not an officer's entry); an existing row only has its empty fields filled.
                only_empty = "" if created else f" AND {key} = ''"
                if value:
                    db.execute(f"UPDATE dossiers SET {key} = ? WHERE code = ?{only_empty}", (value, code))
        return self.dossier(code) or {}

    def update_dossier(self, code: str, **fields: str) -> None:
        unknown = set(fields) - set(DOSSIER_FIELDS)
        if unknown:
            raise ValueError(f"unknown dossier fields: {sorted(unknown)}")
        with transaction(self.db) as db:
            for key, value in fields.items():
                db.execute(f"UPDATE dossiers SET {key} = ? WHERE code = ?", (value, code))

    def recent_dossiers(self, limit: int = 200) -> list[dict]:
        """The latest dossiers received, newest first."""
        rows = self.db.execute("SELECT * FROM dossiers ORDER BY received_at DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def find_dossiers(self, text: str, limit: int = 500) -> list[dict]:
        """Dossiers whose code or applicant's name holds ``text``, or whose applicant id is it;
        newest first (all dossiers when ``text`` is empty)."""
        if not text:
            return self.recent_dossiers(limit)
        rows = self.db.execute(
            "SELECT * FROM dossiers WHERE code LIKE ? OR applicant_id = ? OR applicant_name LIKE ?"
            " ORDER BY received_at DESC LIMIT ?",
            (f"%{text}%", text, f"%{text}%", limit),
        )
        return [dict(r) for r in rows]

    def dossiers_of_applicant(self, applicant_id: str) -> list[dict]:
        """An applicant's dossiers, newest first."""
        rows = self.db.execute(
            "SELECT * FROM dossiers WHERE applicant_id = ? ORDER BY received_at DESC", (applicant_id,)
        )
        return [dict(r) for r in rows]

    def dossier(self, code: str) -> dict | None:
        row = self.db.execute("SELECT * FROM dossiers WHERE code = ?", (code,)).fetchone()
        return dict(row) if row else None
