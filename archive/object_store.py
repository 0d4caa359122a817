"""The object store interface: one contract, one class per storage protocol (local, S3).

Rules every backend keeps:
- an object, once written, is never overwritten (a put of the same key with the same bytes is a
  no-op that returns the existing object; with other bytes it raises ``ObjectExists``);
- a put is atomic: readers see the whole object or nothing;
- the SHA-256 of every object is recorded at write time;
- retention is enforced by the store: delete before retain-until or under legal hold raises
  ``RetentionError``; retain-until may be extended, never shortened;
- versions: a put returns the version id of what it wrote (None where the backend keeps no
  versions); reads take a version id, and without one read the *oldest* live version, which is
  the record (on S3 anyone holding the keys can put a newer version or a delete marker on top:
  that is tampering, which ``versions`` shows and fixity reports, never what sohoa reads).
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

CHUNK = 1024 * 1024
PERMANENT = date(9999, 12, 31)


class StoreError(Exception):
    """Base class of object-store errors."""


class StoreConfigError(StoreError):
    """The store is set up so sohoa must not use it (keys, endpoint, bucket, clock): one line
    that names what to fix."""


class StoreUnreachable(StoreConfigError):
    """The store did not answer: a wrong endpoint, or an outage of one that worked before."""


class ObjectExists(StoreError):
    """A different object already exists under that key (objects are never overwritten)."""


class ObjectMissing(StoreError):
    """No object under that key."""


class RetentionError(StoreError):
    """The operation would cut retention short or delete a held or retained object."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str
    retain_until: date | None
    legal_hold: bool
    content_type: str = "application/octet-stream"
    version_id: str | None = None
    lock_mode: str = ""  # COMPLIANCE | GOVERNANCE on S3; "" where the store enforces it itself


@dataclass(frozen=True)
class ObjectVersion:
    """One version (or delete marker) of a key, as the store lists it."""

    version_id: str | None
    is_delete_marker: bool = False
    last_modified: str = ""


def sha256_file(path: str) -> str:
    """SHA-256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


class ObjectStore(abc.ABC):
    """Write-once object storage with retention and legal hold."""

    @abc.abstractmethod
    def put_file(
        self,
        key: str,
        path: str,
        *,
        retain_until: date | None = None,
        legal_hold: bool = False,
        content_type: str = "application/octet-stream",
    ) -> ObjectInfo:
        """Store the file at ``path`` under ``key`` (atomic, never overwriting)."""

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        retain_until: date | None = None,
        legal_hold: bool = False,
        content_type: str = "application/octet-stream",
    ) -> ObjectInfo:
        """Store ``data`` under ``key``; same rules as ``put_file``."""
        import os
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix="sohoa-put-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            return self.put_file(
                key, tmp, retain_until=retain_until, legal_hold=legal_hold, content_type=content_type
            )
        finally:
            os.unlink(tmp)

    @abc.abstractmethod
    def open(self, key: str, version_id: str | None = None) -> BinaryIO:
        """A readable binary stream of the object's version (default: the oldest live one, the
        record); the caller closes it."""

    def get_bytes(self, key: str, version_id: str | None = None) -> bytes:
        with self.open(key, version_id) as fh:
            return fh.read()

    @abc.abstractmethod
    def head(self, key: str, version_id: str | None = None) -> ObjectInfo:
        """The recorded info of the object's version (default: the record); ``ObjectMissing``."""

    def check(self) -> None:
        """Look at the store before a command uses it; ``StoreConfigError`` names what is wrong."""
        return None  # a local store has nothing to look at before use

    def versions(self, key: str) -> list[ObjectVersion]:
        """Every version and delete marker of exactly ``key``, oldest first ([] if none). A
        store without versions answers one version with id None."""
        return [ObjectVersion(None)] if self.exists(key) else []

    def expected_retain(self, until: date) -> date:
        """The retain-until ``head`` reports for an object written with ``until`` (a backend
        that caps far dates reports them capped)."""
        return until

    def exists(self, key: str) -> bool:
        try:
            self.head(key)
        except ObjectMissing:
            return False
        return True

    @abc.abstractmethod
    def list(self, prefix: str = "") -> Iterator[str]:
        """Keys under ``prefix``, streamed (never loaded all at once), in key order."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Destroy every version of the object; refused while retained or held."""

    @abc.abstractmethod
    def set_legal_hold(self, key: str, on: bool) -> None:
        """Set or release the legal hold of the object."""

    @abc.abstractmethod
    def extend_retention(self, key: str, retain_until: date) -> None:
        """Move retain-until later; an earlier date raises ``RetentionError``."""

    def verify(self, key: str, version_id: str | None = None) -> bool:
        """Stream the object and compare its SHA-256 with the one recorded at write time."""
        info = self.head(key, version_id)
        h = hashlib.sha256()
        with self.open(key, version_id) as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
        return h.hexdigest() == info.sha256
