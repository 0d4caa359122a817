"""Documents in the object store: files first, manifest last; later changes as revisions.

The manifest is the commit point: a document exists once its manifest does. Objects are
write-once, so a change to a document (the officer confirming its metadata, a retention
extension, a legal hold) is stored as a numbered revision object beside the manifest; ``load``
applies them in order. Every step is idempotent (a re-put of the same bytes is a no-op), so a
job that crashed half-way simply runs again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from archive.model import MANIFEST_NAME, Document, DocumentMetadata, StoredFile, document_key
from archive.object_store import ObjectExists, ObjectMissing, ObjectStore

ARCHIVAL_NAME = "archival.pdf"
ORIGINAL_NAME = "original"
REVISIONS = "revisions/"
# Fields a revision may change; files, checksums, pages and identity never change.
REVISABLE = (
    "metadata",
    "valid_until",
    "retention_class",
    "retain_until",
    "legal_hold",
    "component_name",
    "certified_copies",
)
CERTIFIED = "certified/"


class Repository:
    """Store, load, revise and list documents in an ``ObjectStore``."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    @staticmethod
    def _until(doc: Document) -> date | None:
        return date.fromisoformat(doc.retain_until) if doc.retain_until else None

    def _put(self, key: str, path: Path, content_type: str, doc: Document) -> StoredFile:
        info = self.store.put_file(
            key,
            str(path),
            retain_until=self._until(doc),
            legal_hold=doc.legal_hold,
            content_type=content_type,
        )
        return StoredFile(key=key, sha256=info.sha256, size=info.size, content_type=content_type)

    def save(self, doc: Document, original: Path, original_type: str, archival: Path | None) -> Document:
        """Store the original, the archival PDF/A, then the manifest (commit point)."""
        doc.original = self._put(document_key(doc.id, ORIGINAL_NAME), original, original_type, doc)
        if archival is not None:
            doc.archival = self._put(document_key(doc.id, ARCHIVAL_NAME), archival, "application/pdf", doc)
        self.store.put_bytes(
            document_key(doc.id, MANIFEST_NAME),
            doc.to_json(),
            retain_until=self._until(doc),
            legal_hold=doc.legal_hold,
            content_type="application/json",
        )
        return doc

    def exists(self, doc_id: str) -> bool:
        return self.store.exists(document_key(doc_id, MANIFEST_NAME))

    def load(self, doc_id: str) -> Document:
        """The document as it stands: manifest plus revisions; raises ``ObjectMissing``."""
        doc = Document.from_json(self.store.get_bytes(document_key(doc_id, MANIFEST_NAME)))
        for key in self.store.list(document_key(doc_id, REVISIONS)):
            _apply(doc, json.loads(self.store.get_bytes(key))["changes"])
        return doc

    def revise(self, doc_id: str, changes: dict[str, Any], *, actor: str, reason: str = "") -> Document:
        """Record a change of revisable fields as the next revision; returns the revised document."""
        unknown = set(changes) - set(REVISABLE)
        if unknown:
            raise ValueError(f"not revisable: {sorted(unknown)}")
        if isinstance(changes.get("metadata"), DocumentMetadata):
            changes = {**changes, "metadata": asdict(changes["metadata"])}
        doc = self.load(doc_id)
        body = json.dumps(
            {
                "changes": changes,
                "by": actor,
                "reason": reason,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        ).encode()
        until = self._until(doc)
        if changes.get("retain_until") and (not until or date.fromisoformat(changes["retain_until"]) > until):
            until = date.fromisoformat(changes["retain_until"])
        existing = sum(1 for _ in self.store.list(document_key(doc_id, REVISIONS)))
        for n in range(existing + 1, existing + 100):  # another writer may have taken n: try the next
            try:
                self.store.put_bytes(
                    document_key(doc_id, f"{REVISIONS}{n:06d}.json"),
                    body,
                    retain_until=until,
                    content_type="application/json",
                )
                break
            except ObjectExists:
                continue
        _apply(doc, changes)
        return doc

    def iter_documents(self) -> Iterator[Document]:
        """Every complete document, one at a time (memory stays flat)."""
        for key in self.store.list("documents/"):
            if key.endswith("/" + MANIFEST_NAME):
                try:
                    yield self.load(key.split("/")[1])
                except (ObjectMissing, json.JSONDecodeError):
                    continue

    def object_keys(self, doc: Document) -> list[str]:
        """Every object of a document: manifest first, then its files and revisions."""
        files = [f.key for f in (doc.original, doc.archival) if f]
        return [
            document_key(doc.id, MANIFEST_NAME),
            *files,
            *self.store.list(document_key(doc.id, CERTIFIED)),
            *self.store.list(document_key(doc.id, REVISIONS)),
        ]

    def put_document_file(self, doc: Document, name: str, path: Path, content_type: str) -> StoredFile:
        """Store another write-once file of ``doc`` (a certified copy) under its retention and hold."""
        return self._put(document_key(doc.id, name), path, content_type, doc)

    def destroy(self, doc: Document) -> None:
        """Delete every object of a document. The manifest goes first, so the document stops
        existing at once; the store raises ``RetentionError`` while any object is retained."""
        for key in self.object_keys(doc):
            try:
                self.store.delete(key)
            except ObjectMissing:
                continue


def _apply(doc: Document, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name == "metadata":
            value = DocumentMetadata(**value)
        setattr(doc, name, value)
