"""S3 object store (MinIO in production, Ceph RADOS Gateway in tests) with Object Lock.

Retention is enforced by the server, not by us: every object version is written with an Object
Lock retention (COMPLIANCE by default: nobody, not even the root account, can delete it or shorten
it) and, when asked, a legal hold. The checks made here before deleting or extending only turn the
server's refusal into a clear ``RetentionError`` before anything is touched.

Dates. The interface speaks in days: an object "retained until D" is kept through the whole of D,
so D maps to the lock date D+1 00:00 UTC. A ``datetime`` (a subclass of ``date``) is passed
through as an exact instant; tests use that to write objects whose lock expires in seconds.

Permanent records. ``archive.object_store.PERMANENT`` is 9999-12-31, but Ceph RGW keeps the lock
date as unsigned 32-bit seconds (last instant 2106-02-07T06:28:15Z) and silently wraps anything
later (9999-12-31 came back as 1992-06-27: not retained at all). So every date at or after
``permanent_until`` (default 2106-01-01) is written as that date and read back as ``PERMANENT``;
before then an operator extends it (extending is always allowed). On MinIO, which keeps full
dates, ``permanent_until = "9999-12-31"`` may be set. Every put reads the lock date back and
refuses to report success if the server kept anything else.

minio-py's ``get_object_retention`` parses dates with ``%Y-%m-%dT%H:%M:%SZ`` and chokes on RGW's
nine-digit fractional seconds (``2030-01-01T00:00:00.000000000Z``); lock dates are read here from
the HEAD response headers with ``parse_lock_date``, which takes any number of digits.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, BinaryIO, TypeVar

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE
from minio.datatypes import Object
from minio.error import S3Error
from minio.retention import Retention

from archive.object_store import (
    CHUNK,
    PERMANENT,
    ObjectExists,
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    ObjectVersion,
    RetentionError,
    StoreError,
)
from archive.stores.local import _check_key
from archive.stores.s3_errors import S3Unavailable, S3Unreachable
from archive.stores.s3_preflight import ensure_bucket

T = TypeVar("T")
__all__ = ["S3Store", "S3Unavailable", "S3Unreachable", "parse_lock_date"]
SHA_META = "sha256"  # user metadata written with every object (x-amz-meta-sha256)
_LOCK_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$")
_MISSING_CODES = {"NoSuchKey", "NoSuchVersion", "NoSuchObject", "ResourceNotFound"}


def parse_lock_date(value: str) -> datetime:
    """An ISO 8601 lock date with any number of fractional digits (RGW sends nine), as UTC."""
    m = _LOCK_DATE.match(value.strip())
    if not m:
        raise ValueError(f"not a lock date: {value!r}")
    day, hh, mm, ss, frac, zone = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    dt = datetime.fromisoformat(f"{day}T{hh}:{mm}:{ss}").replace(microsecond=micro)
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        return (dt - sign * timedelta(hours=hours, minutes=minutes)).replace(tzinfo=UTC)
    return dt.replace(tzinfo=UTC)


class _Body(io.RawIOBase):
    """A GET response as a readable stream whose close also returns the connection to the pool."""

    def __init__(self, response: Any) -> None:
        self._response = response

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._response.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._response.close()
            self._response.release_conn()
        super().close()


def _hash_file(path: str) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


class S3Store(ObjectStore):
    """Write-once objects in an S3 bucket with Object Lock (and so versioning)."""

    def __init__(
        self,
        endpoint: str,
        bucket: str = "sohoa-archive",
        access_key: str = "",
        secret_key: str = "",
        secure: bool = True,
        region: str = "",
        retention_mode: str = "COMPLIANCE",
        permanent_until: str = "2106-01-01",
        create_bucket: bool = True,
        records_access_key: str = "",
        records_secret_key: str = "",
    ) -> None:
        if not endpoint:
            raise StoreError("[store] endpoint is required for the s3 backend")
        mode = retention_mode.upper()
        if mode not in (COMPLIANCE, GOVERNANCE):
            raise StoreError(f"retention_mode must be COMPLIANCE or GOVERNANCE, not {retention_mode!r}")
        self.bucket = bucket
        self.mode = mode
        self.permanent_until = date.fromisoformat(permanent_until)
        self._create_bucket = create_bucket
        self._ready = False
        # Short connect timeout and few retries: an unreachable server should fail a job quickly
        # (the job is retried later) rather than hang it for minio-py's default five minutes.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120),
            maxsize=10,
            retries=urllib3.Retry(total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
        )
        self.client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=bool(secure),
            region=region or None,
            http_client=http,
        )
        # Holds and retention changes go with the records officer's credential when one is set,
        # so the service's own keys can be denied them (docs/production-minio.md).
        self.records_client = self.client
        if records_access_key:
            self.records_client = Minio(
                endpoint,
                access_key=records_access_key,
                secret_key=records_secret_key,
                secure=bool(secure),
                region=region or None,
                http_client=http,
            )

    # -- plumbing ---------------------------------------------------------------------------
    def _call(self, key: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one client call, translating S3 and network errors into store errors."""
        try:
            return fn(*args, **kwargs)
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise ObjectMissing(key) from exc
            if exc.code == "AccessDenied" and "lock" in (exc.message or "").lower():
                raise RetentionError(f"{key}: {exc.message}") from exc
            raise StoreError(f"{key}: {exc.code}: {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise S3Unavailable(f"S3 server unreachable ({key}): {exc}") from exc

    def _ensure_bucket(self) -> None:
        """Create the bucket with Object Lock if allowed, and refuse to run on one without it
        (or without versioning), with keys that do not work or a clock the server refuses."""
        if self._ready:
            return
        ensure_bucket(self, self._create_bucket)
        self._ready = True

    def check(self) -> None:
        ensure_bucket(self, self._create_bucket)
        self._ready = True

    def _lock_until(self, until: date) -> datetime:
        """The lock instant for a retain-until day (see the module docstring)."""
        if isinstance(until, datetime):
            return until.astimezone(UTC) if until.tzinfo else until.replace(tzinfo=UTC)
        day = min(until, self.permanent_until)
        return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)

    def _retain_day(self, lock: datetime) -> date:
        """The retain-until day reported for a lock instant."""
        if lock >= self._lock_until(self.permanent_until):
            return PERMANENT
        return (lock - timedelta(microseconds=1)).date()

    def _stat(self, key: str, version_id: str | None = None) -> Any:
        _check_key(key)
        self._ensure_bucket()
        version_id = version_id or self._record_version(key)
        return self._call(key, self.client.stat_object, self.bucket, key, version_id=version_id)

    def _record_version(self, key: str) -> str:
        """The version id of the record: the oldest version that is not a delete marker."""
        for v in self._versions(key):
            if not v.is_delete_marker and v.version_id:
                return v.version_id
        raise ObjectMissing(key)

    @staticmethod
    def _lock_of(stat: Any) -> tuple[datetime | None, bool]:
        meta = stat.metadata
        raw = meta.get("x-amz-object-lock-retain-until-date")
        return (
            parse_lock_date(raw) if raw else None,
            (meta.get("x-amz-object-lock-legal-hold") or "").upper() == "ON",
        )

    def _info(self, key: str, stat: Any) -> ObjectInfo:
        lock, hold = self._lock_of(stat)
        return ObjectInfo(
            key=key,
            size=stat.size,
            sha256=stat.metadata.get(f"x-amz-meta-{SHA_META}", ""),
            retain_until=self._retain_day(lock) if lock else None,
            legal_hold=hold,
            content_type=stat.content_type or "application/octet-stream",
            version_id=stat.version_id,
            lock_mode=(stat.metadata.get("x-amz-object-lock-mode") or "").upper(),
        )

    def _versions(self, key: str) -> list[Object]:
        """Every version and delete marker of exactly ``key``, oldest first."""
        self._ensure_bucket()
        listing = self.client.list_objects(self.bucket, prefix=key, include_version=True)
        everything: builtins.list[Object] = self._call(key, builtins.list, listing)
        found = [o for o in everything if o.object_name == key]
        # S3 lists a key versions newest first; reversed, then a stable sort by time, keeps
        # that order between versions written within the same clock tick.
        found.reverse()
        return sorted(found, key=lambda o: o.last_modified or datetime.min.replace(tzinfo=UTC))

    def versions(self, key: str) -> builtins.list[ObjectVersion]:
        _check_key(key)
        return [
            ObjectVersion(
                v.version_id,
                bool(v.is_delete_marker),
                v.last_modified.isoformat() if v.last_modified else "",
            )
            for v in self._versions(key)
        ]

    def expected_retain(self, until: date) -> date:
        return self._retain_day(self._lock_until(until))

    # -- interface ----------------------------------------------------------------------------
    def put_file(
        self, key, path, *, retain_until=None, legal_hold=False, content_type="application/octet-stream"
    ) -> ObjectInfo:
        sha, _size = _hash_file(path)
        try:
            existing = self.head(key)
        except ObjectMissing:
            existing = None
        if existing is not None:
            if existing.sha256 != sha:
                raise ObjectExists(f"{key} exists with other content")
            return existing
        retention = Retention(self.mode, self._lock_until(retain_until)) if retain_until else None
        result = self._call(
            key,
            self.client.fput_object,
            self.bucket,
            key,
            path,
            content_type=content_type,
            metadata={SHA_META: sha},
            retention=retention,
            legal_hold=legal_hold,
        )
        return self._check_written(key, result.version_id, sha, retention)

    def _check_written(
        self, key: str, version_id: str | None, sha: str, retention: Retention | None
    ) -> ObjectInfo:
        """Read the new version back: the server must have kept our lock date, and no other
        writer may have put different bytes under the key meanwhile (S3 would keep both)."""
        stat = self._stat(key, version_id)
        lock, _hold = self._lock_of(stat)
        asked = retention.retain_until_date if retention else None
        if asked is not None and (lock is None or abs((lock - asked).total_seconds()) >= 1):
            raise StoreError(f"{key}: server kept lock date {lock}, asked {asked}")
        for other in self._versions(key):
            if other.version_id != version_id and not other.is_delete_marker:
                other_sha = self._stat(key, other.version_id).metadata.get(f"x-amz-meta-{SHA_META}")
                if other_sha != sha:
                    raise ObjectExists(f"{key} was written concurrently with other content")
        return self._info(key, stat)

    def open(self, key: str, version_id: str | None = None) -> BinaryIO:
        _check_key(key)
        self._ensure_bucket()
        version_id = version_id or self._record_version(key)
        response = self._call(key, self.client.get_object, self.bucket, key, version_id=version_id)
        return io.BufferedReader(_Body(response), CHUNK)

    def head(self, key: str, version_id: str | None = None) -> ObjectInfo:
        return self._info(key, self._stat(key, version_id))

    def list(self, prefix: str = "") -> Iterator[str]:
        """Keys under ``prefix`` that have a live version, page by page: a key whose newest
        entry is a delete marker is still listed (its record is there, under the marker)."""
        self._ensure_bucket()
        listing = self.client.list_objects(
            self.bucket, prefix=prefix or None, recursive=True, include_version=True
        )
        last = None
        while True:
            try:
                obj = self._call(prefix, next, listing)
            except StopIteration:
                return
            if obj.is_delete_marker or obj.object_name == last:
                continue
            last = obj.object_name
            yield obj.object_name

    def _live_versions(self, key: str) -> builtins.list[Object]:
        live = [v for v in self._versions(key) if not v.is_delete_marker]
        if not live:
            raise ObjectMissing(key)
        return live

    def delete(self, key: str) -> None:
        """Destroy every version (and delete marker) of ``key``: nothing is left to restore."""
        _check_key(key)
        versions = self._versions(key)
        now = datetime.now(UTC)
        for v in versions:
            if v.is_delete_marker:
                continue
            lock, hold = self._lock_of(self._stat(key, v.version_id))
            if hold:
                raise RetentionError(f"{key} is under legal hold")
            if lock and lock > now:
                raise RetentionError(f"{key} is retained until {self._retain_day(lock).isoformat()}")
        if not any(not v.is_delete_marker for v in versions):
            raise ObjectMissing(key)
        for v in versions:
            self._call(key, self.client.remove_object, self.bucket, key, version_id=v.version_id)

    def set_legal_hold(self, key: str, on: bool) -> None:
        _check_key(key)
        for v in self._live_versions(key):
            fn = (
                self.records_client.enable_object_legal_hold
                if on
                else self.records_client.disable_object_legal_hold
            )
            self._call(key, fn, self.bucket, key, version_id=v.version_id)

    def extend_retention(self, key: str, retain_until: date) -> None:
        """Move every version's lock date later; refused (before any change) if any would shorten."""
        _check_key(key)
        new = self._lock_until(retain_until)
        versions = self._live_versions(key)
        for v in versions:
            lock, _hold = self._lock_of(self._stat(key, v.version_id))
            if lock and new < lock:
                raise RetentionError(
                    f"{key}: retain-until {self._retain_day(lock).isoformat()} cannot be shortened"
                )
        for v in versions:
            self._call(
                key,
                self.records_client.set_object_retention,
                self.bucket,
                key,
                Retention(self.mode, new),
                version_id=v.version_id,
            )
