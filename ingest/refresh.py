"""Documents to bring up to date after a change made outside the worker (the officer confirmed
the metadata, a hold was set): the worker re-applies the retention policy to the confirmed type
(extending, never shortening), re-indexes the document and updates its catalogue row. The web
process only asks; the worker, the one index writer, does it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from archive.model import local_day
from archive.object_store import ObjectMissing
from archive.retention import extend_retention
from archive.sqlite_db import StateTables, transaction
from archive.state_store import upsert_sql
from ingest.context import IngestContext

SCHEMA = """
CREATE TABLE IF NOT EXISTS refresh_requests (
  doc_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  requested_at TEXT NOT NULL
);
"""


class RefreshQueue(StateTables):
    """Pending refreshes; a repeated request for the same document is one refresh."""

    schema = SCHEMA

    def request(self, doc_id: str, reason: str, actor: str = "") -> None:
        with transaction(self.db) as db:
            db.execute(
                upsert_sql("refresh_requests", ["doc_id", "reason", "actor", "requested_at"], ["doc_id"]),
                (doc_id, reason, actor, datetime.now(UTC).isoformat()),
            )

    def pending(self) -> list[dict]:
        rows = self.db.execute("SELECT * FROM refresh_requests ORDER BY requested_at").fetchall()
        return [dict(r) for r in rows]

    def done(self, doc_id: str, requested_at: str) -> None:
        # Only the request that was served: one made meanwhile stays for the next round.
        with transaction(self.db) as db:
            db.execute(
                "DELETE FROM refresh_requests WHERE doc_id = ? AND requested_at = ?", (doc_id, requested_at)
            )


def refresh_document(ctx: IngestContext, doc_id: str, actor: str = "") -> None:
    """Retention for the confirmed type (extended only), then index and catalogue; a document
    that no longer exists (destroyed by disposal) leaves both."""
    try:
        doc = ctx.repository.load(doc_id)
    except ObjectMissing:
        ctx.index.delete(doc_id)
        ctx.index.commit()
        ctx.catalogue.delete_document(doc_id)
        return
    wanted = ctx.retention.class_for(doc.procedure_code, doc.metadata.type_name)
    if doc.received_on:
        received = date.fromisoformat(doc.received_on)
    else:  # manifests written before received_on: the instant, on the center's calendar
        received = local_day(doc.digitised_at, ctx.timezone) if doc.digitised_at else date.today()
    until = ctx.retention.retain_until(wanted, received)
    if not doc.retain_until or until > date.fromisoformat(doc.retain_until):
        ctx.repository.revise(
            doc_id,
            {"retention_class": wanted},
            actor="system",
            reason=f"loại văn bản đã xác nhận: {doc.metadata.type_name}",
        )
        extend_retention(
            ctx.repository,
            doc,
            until,
            actor=actor or "system",
            role="system",
            reason=f"thời hạn bảo quản theo loại văn bản {doc.metadata.type_name}",
            audit=ctx.audit,
        )
        doc = ctx.repository.load(doc_id)
    ctx.index.add(doc)
    ctx.index.commit()
    ctx.catalogue.upsert_document(doc)


def run_refreshes(ctx: IngestContext, queue: RefreshQueue) -> int:
    """Serve every pending request; returns how many were served."""
    served = 0
    for req in queue.pending():
        refresh_document(ctx, req["doc_id"], req["actor"])
        queue.done(req["doc_id"], req["requested_at"])
        served += 1
    return served
