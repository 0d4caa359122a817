"""Documents in the object store: files first, manifest last.

The manifest is the commit point: a document exists once its manifest does. Every step is
idempotent (objects are write-once and a re-put of the same bytes is a no-op), so a job that
crashed half-way simply runs again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from archive.model import MANIFEST_NAME, Document, StoredFile, document_key
from archive.object_store import ObjectMissing, ObjectStore

ARCHIVAL_NAME = "archival.pdf"
ORIGINAL_NAME = "original"


class Repository:
    """Store, load and list documents in an ``ObjectStore``."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    def _put(self, key: str, path: Path, content_type: str, doc: Document) -> StoredFile:
        until = date.fromisoformat(doc.retain_until) if doc.retain_until else None
        info = self.store.put_file(key, str(path), retain_until=until, legal_hold=doc.legal_hold,
                                   content_type=content_type)
        return StoredFile(key=key, sha256=info.sha256, size=info.size, content_type=content_type)

    def save(self, doc: Document, original: Path, original_type: str, archival: Path | None) -> Document:
        """Store the original, the archival PDF/A, then the manifest (commit point)."""
        doc.original = self._put(document_key(doc.id, ORIGINAL_NAME), original, original_type, doc)
        if archival is not None:
            doc.archival = self._put(document_key(doc.id, ARCHIVAL_NAME), archival, "application/pdf", doc)
        until = date.fromisoformat(doc.retain_until) if doc.retain_until else None
        self.store.put_bytes(document_key(doc.id, MANIFEST_NAME), doc.to_json(), retain_until=until,
                             legal_hold=doc.legal_hold, content_type="application/json")
        return doc

    def exists(self, doc_id: str) -> bool:
        return self.store.exists(document_key(doc_id, MANIFEST_NAME))

    def load(self, doc_id: str) -> Document:
        """The document's manifest; raises ``ObjectMissing`` if it was never completed."""
        return Document.from_json(self.store.get_bytes(document_key(doc_id, MANIFEST_NAME)))

    def iter_documents(self) -> Iterator[Document]:
        """Every complete document, one manifest at a time (memory stays flat)."""
        for key in self.store.list("documents/"):
            if key.endswith("/" + MANIFEST_NAME):
                try:
                    yield Document.from_json(self.store.get_bytes(key))
                except (ObjectMissing, json.JSONDecodeError):
                    continue

    def destroy(self, doc: Document) -> None:
        """Delete every object of a document. The manifest goes first, so the document stops
        existing at once; the store raises ``RetentionError`` while any object is retained."""
        keys = [document_key(doc.id, MANIFEST_NAME)] + [f.key for f in (doc.original, doc.archival) if f]
        for key in keys:
            try:
                self.store.delete(key)
            except ObjectMissing:
                continue
