"""Dossiers in the archive: a write-once dossier object, later changes and links as revisions.

The state DB's dossier rows, reuse links and sequences can be lost with the data directory; the
archive cannot. So every dossier opened is written as ``dossiers/<code>/dossier.json`` (applicant,
procedure, department, dates, channel, receipt reference), and what happens to it later (a field
changed, a document reused into it, a re-scan replacing a document) is a numbered revision
``dossiers/<code>/revisions/NNNNNN.json``. ``reindex`` reads them back.

The same module answers "was this id ever used?" straight from the archive, the check made before
an id is issued where the state could be behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from archive.model import document_key
from archive.object_store import ObjectExists, ObjectMissing, ObjectStore

DOSSIERS = "dossiers/"
DOSSIER_NAME = "dossier.json"
REVISIONS = "revisions/"


def dossier_key(code: str, name: str) -> str:
    """Object key of one of a dossier's records (a code with a slash stays one folder)."""
    return f"{DOSSIERS}{quote(code, safe='')}/{name}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


@dataclass
class DossierRecord:
    """A dossier as the archive knows it: its fields, reuse links and replacements."""

    code: str
    fields: dict[str, str] = field(default_factory=dict)
    links: list[dict[str, str]] = field(default_factory=list)
    replacements: list[dict[str, Any]] = field(default_factory=list)


class DossierArchive:
    """Write and read dossier objects in an ``ObjectStore``."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    def _any(self, prefix: str) -> bool:
        return next(iter(self.store.list(prefix)), None) is not None

    def document_id_used(self, doc_id: str) -> bool:
        """True when any object of document ``doc_id`` exists (a manifest, or files of a job that
        crashed before its manifest): such an id is never issued again."""
        return self._any(document_key(doc_id, ""))

    def code_used(self, code: str) -> bool:
        """True when the archive holds the dossier object or the first document of ``code``."""
        return self._any(dossier_key(code, "")) or self.document_id_used(f"{code}.001")

    def record_open(self, code: str, fields: dict[str, str], *, actor: str = "") -> None:
        """Write the dossier object once. A dossier already on record keeps its object; fields it
        lacked (or that differ) are recorded as a revision, so nothing an officer entered is lost."""
        body = {"code": code, "fields": dict(fields), "by": actor, "at": _now()}
        key = dossier_key(code, DOSSIER_NAME)
        try:
            current = self.load(code).fields
        except ObjectMissing:
            try:
                self.store.put_bytes(key, _json(body), content_type="application/json")
                return
            except ObjectExists:  # another process opened it a moment ago
                current = self.load(code).fields
        changes = {k: v for k, v in fields.items() if v and current.get(k) != v}
        if changes:
            self.revise(code, {"kind": "update", "changes": changes}, actor=actor)

    def revise(self, code: str, entry: dict[str, Any], *, actor: str = "") -> None:
        """Append ``entry`` (``kind`` update | reuse | unlink | replace) as the next revision."""
        body = _json({**entry, "by": actor, "at": _now()})
        existing = sum(1 for _ in self.store.list(dossier_key(code, REVISIONS)))
        for n in range(existing + 1, existing + 100):  # another writer may have taken n
            try:
                self.store.put_bytes(
                    dossier_key(code, f"{REVISIONS}{n:06d}.json"), body, content_type="application/json"
                )
                return
            except ObjectExists:
                continue
        raise ObjectExists(f"no free revision number for dossier {code}")

    def record_reuse(self, code: str, document_id: str, *, actor: str) -> None:
        """Record that ``document_id`` was linked into dossier ``code`` (Art. 21a reuse)."""
        self.revise(code, {"kind": "reuse", "document_id": document_id}, actor=actor)

    def record_unlink(self, code: str, document_id: str, *, actor: str) -> None:
        """Record that the reuse link of ``document_id`` into ``code`` was undone."""
        self.revise(code, {"kind": "unlink", "document_id": document_id}, actor=actor)

    def record_replacement(self, code: str, old_id: str, new_id: str, page: int, *, actor: str) -> None:
        """Record that ``new_id`` (a re-scan) replaces ``old_id`` in dossier ``code``."""
        self.revise(code, {"kind": "replace", "old_id": old_id, "new_id": new_id, "page": page}, actor=actor)

    def load(self, code: str) -> DossierRecord:
        """The dossier with its revisions applied; raises ``ObjectMissing``."""
        head = json.loads(self.store.get_bytes(dossier_key(code, DOSSIER_NAME)))
        record = DossierRecord(code=code, fields=dict(head.get("fields", {})))
        for key in self.store.list(dossier_key(code, REVISIONS)):
            _apply(record, json.loads(self.store.get_bytes(key)))
        return record

    def iter_dossiers(self) -> Iterator[DossierRecord]:
        """Every dossier on record, one at a time."""
        for key in self.store.list(DOSSIERS):
            if key.endswith("/" + DOSSIER_NAME) and key.count("/") == 2:
                try:
                    yield self.load(unquote(key.split("/")[1]))
                except (ObjectMissing, json.JSONDecodeError):
                    continue


def record_dossier(store: ObjectStore, row: dict[str, Any], actor: str = "") -> None:
    """Put a catalogue dossier row (``code`` and its fields) on record in the archive: the one
    call intake makes when a dossier is opened or first used."""
    fields = {k: str(v) for k, v in row.items() if k != "code" and v not in (None, "")}
    DossierArchive(store).record_open(str(row["code"]), fields, actor=actor)


def _apply(record: DossierRecord, entry: dict[str, Any]) -> None:
    kind = entry.get("kind")
    if kind == "update":
        record.fields.update(entry.get("changes", {}))
    elif kind == "reuse":
        link = {
            "document_id": entry["document_id"],
            "linked_by": entry.get("by", ""),
            "linked_at": entry["at"],
        }
        record.links.append(link)
    elif kind == "unlink":
        record.links = [link for link in record.links if link["document_id"] != entry["document_id"]]
    elif kind == "replace":
        record.replacements.append({k: entry.get(k) for k in ("old_id", "new_id", "page", "by", "at")})
