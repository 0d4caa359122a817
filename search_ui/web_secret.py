"""The web secret (applicant-page keys, cookie signing) in the shared state: every web machine of
a PostgreSQL set-up must derive the same applicant addresses, so the key lives in the state store,
made once by whichever machine starts first. On SQLite (one machine) it stays a file in the data
directory, as before; ``migrate-state`` copies that file's key here, so addresses stay stable."""

from __future__ import annotations

import secrets

from archive.sqlite_db import StateTables, transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_secret (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret TEXT NOT NULL                 -- hex of 32 random bytes
);
"""


class WebSecret(StateTables):
    """The one row of ``web_secret``."""

    schema = SCHEMA

    def get(self, new: bytes | None = None) -> bytes:
        """The installation's web secret; made from ``new`` (else random bytes) when there is none
        yet. Racing first starts agree: the first insert wins, the others read it."""
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO web_secret (id, secret) VALUES (1, ?) ON CONFLICT DO NOTHING",
                ((new or secrets.token_bytes(32)).hex(),),
            )
        return bytes.fromhex(self.db.execute("SELECT secret FROM web_secret WHERE id = 1").fetchone()[0])
