"""What the records unit did to a document, from its revisions in the archive (the source of
truth): legal holds set and released and retention extensions, each with reason, person and time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from archive.object_store import ObjectMissing


def records_events(repository, doc_id: str) -> list[dict[str, Any]]:
    """``{kind: hold_on|hold_off|extend, at, by, reason, until}`` per revision, oldest first."""
    try:
        revisions = repository.revisions(doc_id)
    except ObjectMissing:
        return []
    out = []
    for rev in revisions:
        changes = rev.get("changes") or {}
        base = {"at": rev.get("at", ""), "by": rev.get("by", ""), "reason": rev.get("reason", "")}
        if "legal_hold" in changes:
            out.append({**base, "kind": "hold_on" if changes["legal_hold"] else "hold_off", "until": ""})
        if "retain_until" in changes and "metadata" not in changes:
            out.append({**base, "kind": "extend", "until": changes["retain_until"]})
    return out


def current_hold(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The event that set the hold now in force (None when the last hold event released it)."""
    holds = [e for e in events if e["kind"] in ("hold_on", "hold_off")]
    return holds[-1] if holds and holds[-1]["kind"] == "hold_on" else None


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def timeline(job: Any, records: list[dict], reuse: list[dict], reads: list[dict]) -> list[tuple[str, Any]]:
    """The document's history as one list in time order: ``(kind, item)`` with kind ``job``,
    ``records``, ``reuse`` or ``read`` (the page shows them as one story, not four groups)."""
    items: list[tuple[datetime, str, Any]] = []
    if job is not None:
        items.append((_moment(job.created_at), "job", job))
    items += [(_moment(e["at"]), "records", e) for e in records]
    items += [(_moment(link["linked_at"]), "reuse", link) for link in reuse]
    items += [(_moment(r["at"]), "read", r) for r in reads]
    items.sort(key=lambda item: item[0])
    return [(kind, item) for _, kind, item in items]
