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
from typing import Any, Protocol

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


class VersionPins(Protocol):
    """Where the version ids of manifests and revisions are recorded (the catalogue); the
    manifest records those of the files it names."""

    def pin(self, key: str, version_id: str, document_id: str) -> None: ...

    def pinned(self, key: str) -> str | None: ...

    def pins_of(self, document_id: str) -> dict[str, str]: ...


class Repository:
    """Store, load, revise and list documents in an ``ObjectStore``.

    Reads take the recorded version of every object (the manifest's files from the manifest,
    manifests and revisions from ``pins``), or the oldest where none is recorded: a version
    someone put on top of a record later is never what a document is loaded from."""

    def __init__(self, store: ObjectStore, pins: VersionPins | None = None) -> None:
        self.store = store
        self.pins = pins

    def _pin(self, key: str, version_id: str | None, doc_id: str) -> None:
        if self.pins is not None and version_id:
            self.pins.pin(key, version_id, doc_id)

    def pinned(self, key: str) -> str | None:
        """The recorded version of a manifest or revision key, if any."""
        return self.pins.pinned(key) if self.pins is not None else None

    def revision_keys(self, doc_id: str) -> list[str]:
        """The document's revisions that count. Once its manifest's version is recorded, only
        recorded revisions do: a revision key nobody recorded was not written by sohoa."""
        keys = list(self.store.list(document_key(doc_id, REVISIONS)))
        pins = self.pins.pins_of(doc_id) if self.pins is not None else {}
        if document_key(doc_id, MANIFEST_NAME) not in pins:
            return keys
        return [k for k in keys if k in pins]

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
        return StoredFile(
            key=key,
            sha256=info.sha256,
            size=info.size,
            content_type=content_type,
            version_id=info.version_id or "",
        )

    def save(self, doc: Document, original: Path, original_type: str, archival: Path | None) -> Document:
        """Store the original, the archival PDF/A, then the manifest (commit point)."""
        doc.original = self._put(document_key(doc.id, ORIGINAL_NAME), original, original_type, doc)
        if archival is not None:
            doc.archival = self._put(document_key(doc.id, ARCHIVAL_NAME), archival, "application/pdf", doc)
        manifest = self.store.put_bytes(
            document_key(doc.id, MANIFEST_NAME),
            doc.to_json(),
            retain_until=self._until(doc),
            legal_hold=doc.legal_hold,
            content_type="application/json",
        )
        self._pin(manifest.key, manifest.version_id, doc.id)
        return doc

    def exists(self, doc_id: str) -> bool:
        return self.store.exists(document_key(doc_id, MANIFEST_NAME))

    def load(self, doc_id: str) -> Document:
        """The document as it stands: manifest plus revisions; raises ``ObjectMissing``."""
        key = document_key(doc_id, MANIFEST_NAME)
        doc = Document.from_json(self.store.get_bytes(key, self.pinned(key)))
        for revision in self.revisions(doc_id):
            _apply(doc, revision["changes"])
        return doc

    def revisions(self, doc_id: str) -> list[dict[str, Any]]:
        """The document's revisions that count, in order: ``{changes, by, reason, at}``."""
        return [json.loads(self.store.get_bytes(k, self.pinned(k))) for k in self.revision_keys(doc_id)]

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
        hold = bool(changes.get("legal_hold", doc.legal_hold))  # held like the rest of the document
        for n in range(existing + 1, existing + 100):  # another writer may have taken n: try the next
            try:
                info = self.store.put_bytes(
                    document_key(doc_id, f"{REVISIONS}{n:06d}.json"),
                    body,
                    retain_until=until,
                    legal_hold=hold,
                    content_type="application/json",
                )
                self._pin(info.key, info.version_id, doc_id)
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
        """Every object of a document: manifest first, then its files, certified copies, revisions."""
        files = [f.key for f in (doc.original, doc.archival) if f]
        copies = [c["key"] for c in doc.certified_copies]
        return [document_key(doc.id, MANIFEST_NAME), *files, *copies, *self.revision_keys(doc.id)]

    def record_version(self, doc: Document, key: str) -> str | None:
        """The version of one of ``doc``'s objects that is the record (None: the oldest). The
        catalogue's record comes first: after a restore it names the rebuilt bucket's version."""
        pinned = self.pinned(key)
        if pinned:
            return pinned
        for stored in (doc.original, doc.archival):
            if stored is not None and stored.key == key:
                return stored.version_id or None
        for copy in doc.certified_copies:  # certified copies: their records carry the version
            if copy["key"] == key:
                return copy.get("version_id") or None
        return None

    def pin_document(self, doc: Document) -> None:
        """Record the versions of a document's manifest and revisions where none is recorded
        (``reindex`` after a lost state: the oldest version of each is the record)."""
        if self.pins is None:
            return
        for key in [document_key(doc.id, MANIFEST_NAME), *self.store.list(document_key(doc.id, REVISIONS))]:
            if self.pins.pinned(key) is None:
                self._pin(key, self.store.head(key).version_id, doc.id)

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
