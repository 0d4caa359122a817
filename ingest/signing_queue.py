"""Documents waiting to be signed as certified copies: the officer confirmed the metadata, or a
result issued by the center was archived. The web process only asks; the worker signs. A failure
(token absent, wrong PIN, TSA down, signing not set up) keeps the request with its error and the
time of the next try, so the document stays unsigned, visible and queued, never lost."""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.repository import Repository
from archive.signing import SigningConfig, SigningError
from archive.sqlite_db import StateTables, transaction

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)

SCHEMA = """
CREATE TABLE IF NOT EXISTS signing_requests (
  doc_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  requested_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  error_code TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  next_try TEXT NOT NULL DEFAULT ''
);
"""


def _now() -> datetime:
    return datetime.now(UTC)


class SigningQueue(StateTables):
    """Pending signatures; a repeated request for the same document is one request."""

    schema = SCHEMA

    def request(self, doc_id: str, reason: str, actor: str = "") -> None:
        with transaction(self.db) as db:
            db.execute(
                "INSERT INTO signing_requests (doc_id, reason, actor, requested_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(doc_id) DO UPDATE SET reason = excluded.reason, actor = excluded.actor,"
                " requested_at = excluded.requested_at, next_try = ''",
                (doc_id, reason, actor, _now().isoformat()),
            )

    def due(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """Requests whose next try has come, oldest first."""
        at = (now or _now()).isoformat()
        rows = self.db.execute(
            "SELECT * FROM signing_requests WHERE next_try = '' OR next_try <= ? ORDER BY requested_at", (at,)
        ).fetchall()
        return [dict(r) for r in rows]

    def all(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM signing_requests ORDER BY requested_at")]

    def get(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM signing_requests WHERE doc_id = ?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def failed(self, doc_id: str, code: str, message: str) -> None:
        """Keep the request, with the error and a later next try (doubling, at most an hour)."""
        row = self.get(doc_id)
        attempts = (row["attempts"] if row else 0) + 1
        wait = min(timedelta(seconds=30 * 2 ** (attempts - 1)), MAX_BACKOFF)
        with transaction(self.db) as db:
            db.execute(
                "UPDATE signing_requests SET attempts = ?, error_code = ?, error = ?, next_try = ? WHERE doc_id = ?",
                (attempts, code, message[:500], (_now() + wait).isoformat(), doc_id),
            )

    def retry(self, doc_id: str | None = None) -> int:
        """Make failed requests (one, or all) due now, e.g. once the token is plugged back in."""
        with transaction(self.db) as db:
            cur = db.execute(
                "UPDATE signing_requests SET next_try = '' WHERE ? IS NULL OR doc_id = ?", (doc_id, doc_id)
            )
            return cur.rowcount

    def done(self, doc_id: str, requested_at: str) -> None:
        # Only the request that was served: one made meanwhile stays for the next round.
        with transaction(self.db) as db:
            db.execute(
                "DELETE FROM signing_requests WHERE doc_id = ? AND requested_at = ?", (doc_id, requested_at)
            )


def sign_requested(repository: Repository, config: SigningConfig, req: dict[str, Any]) -> None:
    """Certify one requested document (a stored valid copy counts as done)."""
    from archive.signing.certify import certify_document  # pyHanko loads slowly: only when signing

    with tempfile.TemporaryDirectory(prefix="sohoa-certify-") as tmp:
        certify_document(repository, config, req["doc_id"], Path(tmp) / "copy.pdf", actor=req["actor"])


def run_signings(repository: Repository, config: SigningConfig, queue: SigningQueue, audit=None) -> int:
    """Serve every due request; returns how many were tried. Failures stay queued."""
    tried = 0
    for req in queue.due():
        tried += 1
        try:
            sign_requested(repository, config, req)
        except SigningError as exc:
            queue.failed(req["doc_id"], exc.code, exc.message)
            log.warning("signing %s failed: %s", req["doc_id"], exc.message)
            continue
        except Exception as exc:  # kept queued: an internal error must not lose the request
            log.exception("signing %s: internal error", req["doc_id"])
            queue.failed(req["doc_id"], "internal_error", f"{type(exc).__name__}: {exc}")
            continue
        queue.done(req["doc_id"], req["requested_at"])
        if audit is not None:
            audit("document.certify", req["actor"] or "system", req["doc_id"], {"reason": req["reason"]})
    return tried
