"""Fixity of one object: its recorded version, the versions on top of it, its content and its lock.

On S3 anyone with the service's keys can put a newer version or a delete marker on a write-once
key, or lift a legal hold. The record is the version sohoa wrote (recorded in the manifest or
the catalogue; the oldest where none is recorded). A check reads that version, compares its
SHA-256 with the manifest's and with the store's record, lists every other version or delete
marker as tampering, and compares the lock the store holds with what the records say it must be.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from archive.object_store import CHUNK, ObjectInfo, ObjectMissing, ObjectStore, ObjectVersion, StoreError

# Most severe first: a check reports the worst status it found and every finding in its message.
STATUSES = ("missing", "mismatch", "tampered", "drift", "orphan", "error", "ok")


@dataclass
class Check:
    """The outcome for one object."""

    key: str
    status: str  # ok | mismatch | missing | tampered | drift | orphan | error
    expected: str = ""
    actual: str = ""
    size: int = 0
    document_id: str = ""
    message: str = ""
    version_id: str = ""
    store: str = "primary"  # primary | replica


@dataclass(frozen=True)
class Expected:
    """What the records say about an object: its SHA-256 and version, and its lock."""

    sha256: str | None = None
    version_id: str | None = None
    retain_until: date | None = None
    legal_hold: bool | None = None  # None: lock not checked (objects no document owns)
    lock_mode: str = ""


def stream_sha256(store: ObjectStore, key: str, version_id: str | None = None) -> tuple[str, int]:
    """SHA-256 and size of an object's version, read in chunks."""
    h, size = hashlib.sha256(), 0
    with store.open(key, version_id) as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _record(versions: list[ObjectVersion], pinned: str | None) -> ObjectVersion | None:
    live = [v for v in versions if not v.is_delete_marker]
    if pinned:
        return next((v for v in live if v.version_id == pinned), None)
    return live[0] if live else None


def _intruders(
    store: ObjectStore, key: str, versions: list[ObjectVersion], record: ObjectVersion
) -> list[str]:
    """Every version other than the record, described (delete markers, other contents)."""
    found = []
    for v in versions:
        if v.version_id == record.version_id:
            continue
        if v.is_delete_marker:
            found.append(f"delete marker {v.version_id} ({v.last_modified})")
            continue
        try:
            sha = store.head(key, v.version_id).sha256
        except StoreError:
            sha = "?"
        found.append(f"version {v.version_id} ({v.last_modified}, sha256 {sha[:12]})")
    return found


def _lock_findings(store: ObjectStore, info: ObjectInfo, want: Expected) -> list[str]:
    """Where the store's lock differs from what the records say."""
    if want.legal_hold is None:
        return []
    found = []
    until = store.expected_retain(want.retain_until) if want.retain_until else None
    if info.retain_until != until:
        have = info.retain_until.isoformat() if info.retain_until else "none"
        found.append(f"retain-until {have}, records say {until.isoformat() if until else 'none'}")
    if info.legal_hold != want.legal_hold:
        found.append(
            f"legal hold {'on' if info.legal_hold else 'off'}, records say {'on' if want.legal_hold else 'off'}"
        )
    if want.lock_mode and info.lock_mode != want.lock_mode:
        found.append(f"lock mode {info.lock_mode or 'none'}, expected {want.lock_mode}")
    return found


def check_object(
    store: ObjectStore, key: str, expected: str | Expected | None = None, document_id: str = ""
) -> Check:
    """Check one object's recorded version against the records and the store's own record."""
    want = expected if isinstance(expected, Expected) else Expected(sha256=expected)
    try:
        versions = store.versions(key)
        record = _record(versions, want.version_id)
        if record is None:
            what = f"recorded version {want.version_id} not found" if versions else "object not found"
            return Check(key, "missing", want.sha256 or "", document_id=document_id, message=what)
        info = store.head(key, record.version_id)
        actual, size = stream_sha256(store, key, record.version_id)
        intruders = _intruders(store, key, versions, record)
        lock = _lock_findings(store, info, want)
    except ObjectMissing:
        return Check(key, "missing", want.sha256 or "", document_id=document_id, message="object not found")
    except StoreError as exc:
        return Check(key, "error", want.sha256 or "", document_id=document_id, message=str(exc))
    sha_want = want.sha256 or info.sha256
    findings, status = [], "ok"
    if actual != sha_want or (info.sha256 and actual != info.sha256):
        status = "mismatch"
        findings.append(f"manifest {sha_want[:12]}, store record {info.sha256[:12]}, content {actual[:12]}")
    if intruders:
        status = status if status != "ok" else "tampered"
        findings.append("not written by sohoa: " + "; ".join(intruders))
    if lock:
        status = status if status != "ok" else "drift"
        findings.append("lock differs: " + "; ".join(lock))
    return Check(
        key, status, sha_want, actual, size, document_id, " | ".join(findings), record.version_id or ""
    )
