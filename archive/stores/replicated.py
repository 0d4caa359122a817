"""A second copy: every write goes to the primary store, then to the replica, with the same lock.

Write-through, not a background copy: a put returns only once both sides hold the object, so a
job is not done (and its document not visible) until the second copy exists; if the replica is
down, the put raises a ``StoreError`` and the job waits like any storage outage, and its re-run
re-puts nothing on the primary (same bytes are a no-op) and completes the replica. Holds and
extensions go to both sides; reads, listings and versions come from the primary (the replica is
read by fixity and by ``sohoa restore --from-replica``).
"""

from __future__ import annotations

import builtins
import contextlib
import time
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from archive.object_store import ObjectInfo, ObjectMissing, ObjectStore, ObjectVersion


class ReplicatedStore(ObjectStore):
    """``primary`` with every write repeated on ``replica``."""

    def __init__(self, primary: ObjectStore, replica: ObjectStore) -> None:
        self.primary, self.replica = primary, replica
        self.lag_seconds: list[float] = []  # time from the primary's write to the replica's, per put

    def __getattr__(self, name: str):  # ``mode``, ``bucket``, ``client``... of the primary
        return getattr(self.primary, name)

    def put_file(
        self, key, path, *, retain_until=None, legal_hold=False, content_type="application/octet-stream"
    ) -> ObjectInfo:
        info = self.primary.put_file(
            key, path, retain_until=retain_until, legal_hold=legal_hold, content_type=content_type
        )
        written = time.monotonic()
        self.replica.put_file(
            key, path, retain_until=retain_until, legal_hold=legal_hold, content_type=content_type
        )
        self.lag_seconds.append(time.monotonic() - written)
        return info

    def open(self, key: str, version_id: str | None = None) -> BinaryIO:
        return self.primary.open(key, version_id)

    def head(self, key: str, version_id: str | None = None) -> ObjectInfo:
        return self.primary.head(key, version_id)

    def list(self, prefix: str = "") -> Iterator[str]:
        return self.primary.list(prefix)

    def versions(self, key: str) -> builtins.list[ObjectVersion]:
        return self.primary.versions(key)

    def expected_retain(self, until: date) -> date:
        return self.primary.expected_retain(until)

    def check(self) -> None:
        self.primary.check()
        self.replica.check()

    def delete(self, key: str) -> None:
        self.primary.delete(key)
        with contextlib.suppress(ObjectMissing):  # never copied: nothing to destroy there
            self.replica.delete(key)

    def set_legal_hold(self, key: str, on: bool) -> None:
        self.primary.set_legal_hold(key, on)
        self.replica.set_legal_hold(key, on)

    def extend_retention(self, key: str, retain_until: date) -> None:
        self.primary.extend_retention(key, retain_until)
        self.replica.extend_retention(key, retain_until)
