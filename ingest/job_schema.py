"""The jobs table in the state store (SQLite's dialect; the PostgreSQL store translates it), and
the columns added since the first release, which an older state gets when it is opened."""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL UNIQUE,
  dossier_code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  spool_path TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'queued',  -- a JobState value
  step TEXT NOT NULL DEFAULT '',         -- last step completed
  attempts INTEGER NOT NULL DEFAULT 0,   -- tries since the last success or manual retry
  faults INTEGER NOT NULL DEFAULT 0,     -- tries that ended in an internal (non-transient) error
  next_try_at TEXT NOT NULL DEFAULT '',  -- waiting: not before this UTC instant
  last_error TEXT NOT NULL DEFAULT '',
  reason_code TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  progress REAL NOT NULL DEFAULT 0,
  page INTEGER NOT NULL DEFAULT 0,       -- OCR: the page being read now, of ``pages``
  pages INTEGER NOT NULL DEFAULT 0,
  idempotency_key TEXT UNIQUE,
  lease_owner TEXT NOT NULL DEFAULT '',  -- the runner that holds a running job
  lease_until TEXT NOT NULL DEFAULT '',  -- shared state: another runner takes the job after this instant
  staged_key TEXT NOT NULL DEFAULT '',   -- the accepted file's copy in the staging bucket, if any
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (dossier_code, seq)
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
CREATE INDEX IF NOT EXISTS jobs_sha ON jobs(sha256);
CREATE INDEX IF NOT EXISTS jobs_spool ON jobs(spool_path);
"""


# Columns added after the first release: added to an older state DB when it is opened.
ADDED_COLUMNS = {
    "faults": "INTEGER NOT NULL DEFAULT 0",
    "next_try_at": "TEXT NOT NULL DEFAULT ''",
    "last_error": "TEXT NOT NULL DEFAULT ''",
    "lease_owner": "TEXT NOT NULL DEFAULT ''",
    "lease_until": "TEXT NOT NULL DEFAULT ''",
    "staged_key": "TEXT NOT NULL DEFAULT ''",
    "page": "INTEGER NOT NULL DEFAULT 0",
    "pages": "INTEGER NOT NULL DEFAULT 0",
}
# Added since shared (PostgreSQL) state exists: a state made before gets them when opened.
ADDED_SHARED = ("page", "pages")
