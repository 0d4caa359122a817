"""Rebuild a lost primary bucket from the replica (``sohoa restore --from-replica``).

Every object the replica holds and the primary does not is copied back with the replica's lock
(retain-until, legal hold) after its SHA-256 is checked against the replica's record; an object
whose copy does not match is reported and not copied. The primary writes new versions, so the
restored objects' version ids are recorded again (replacing the lost bucket's) for fixity and
reads. The caller then rebuilds the index and catalogue (``archive.reindex``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from archive.object_store import CHUNK, ObjectStore


@dataclass
class RestoreReport:
    copied: int = 0
    present: int = 0
    bytes: int = 0
    damaged: list[str] = field(default_factory=list)


def _copy(replica: ObjectStore, primary: ObjectStore, key: str, today: date) -> tuple[str | None, int] | None:
    """Copy one object; returns (new version id, size), or None when the replica's copy is damaged."""
    info = replica.head(key)
    fd, tmp = tempfile.mkstemp(prefix="sohoa-restore-")
    try:
        h, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out, replica.open(key) as src:
            while chunk := src.read(CHUNK):
                h.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if h.hexdigest() != info.sha256:
            return None
        # A lock that has lapsed cannot be set again (S3 refuses a date in the past).
        until = info.retain_until if info.retain_until and info.retain_until >= today else None
        written = primary.put_file(
            key, tmp, retain_until=until, legal_hold=info.legal_hold, content_type=info.content_type
        )
        return written.version_id, size
    finally:
        os.unlink(tmp)


def restore_from_replica(
    replica: ObjectStore,
    primary: ObjectStore,
    repin: Callable[[str, str, str], None] | None = None,
    *,
    today: date | None = None,
) -> RestoreReport:
    """Copy back whatever the primary lacks; ``repin(key, version_id, document_id)`` records the
    new version of each copied object."""
    report, today = RestoreReport(), today or date.today()
    for key in replica.list(""):
        if primary.exists(key):
            report.present += 1
            continue
        copied = _copy(replica, primary, key, today)
        if copied is None:
            report.damaged.append(key)
            continue
        version_id, size = copied
        report.copied += 1
        report.bytes += size
        if repin is not None and version_id and key.startswith("documents/"):
            repin(key, version_id, key.split("/")[1])
    return report
