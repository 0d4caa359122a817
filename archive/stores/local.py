"""Local filesystem object store: the embedded default.

Layout under the root: ``data/<key>`` holds the bytes, ``meta/<key>.json`` the recorded SHA-256,
size, retention and hold. Data files are made read-only and published with ``os.link``, which
fails if the name exists: that is how "never overwritten" holds even across processes.
Retention is enforced in software here (on S3 by Object Lock).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import BinaryIO

from archive.object_store import (
    CHUNK,
    ObjectExists,
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    RetentionError,
    StoreError,
)

LOCK_STRIPES = 64


def _check_key(key: str) -> None:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\x00" in key:
        raise StoreError(f"invalid object key: {key!r}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStore(ObjectStore):
    """Write-once files on a local (or mounted) filesystem."""

    def __init__(self, root: str | Path, *, today: Callable[[], date] = date.today) -> None:
        self.root = Path(root)
        self._data = self.root / "data"
        self._meta = self.root / "meta"
        self._tmp = self.root / "tmp"
        for d in (self._data, self._meta, self._tmp):
            d.mkdir(parents=True, exist_ok=True)
        self._today = today

    # -- paths and metadata -------------------------------------------------------------
    def _data_path(self, key: str) -> Path:
        _check_key(key)
        return self._data / key

    def _meta_path(self, key: str) -> Path:
        _check_key(key)
        return self._meta / f"{key}.json"

    @contextmanager
    def _key_lock(self, key: str) -> Iterator[None]:
        # A fixed set of striped lock files, so locks do not leave a file per object behind.
        stripe = hashlib.sha1(key.encode()).digest()[0] % LOCK_STRIPES
        lock_path = self._tmp / f"stripe-{stripe:02d}.lock"
        with open(lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _write_meta(self, key: str, meta: dict) -> None:
        path = self._meta_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._tmp)
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(meta, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:  # a full disk must not leave half a metadata file behind
            if os.path.exists(tmp):
                os.unlink(tmp)

    def _read_meta(self, key: str) -> dict:
        if not self._data_path(key).exists():
            raise ObjectMissing(key)
        try:
            return json.loads(self._meta_path(key).read_text())
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    @staticmethod
    def _info(key: str, meta: dict) -> ObjectInfo:
        until = meta.get("retain_until")
        return ObjectInfo(
            key=key,
            size=meta["size"],
            sha256=meta["sha256"],
            retain_until=date.fromisoformat(until) if until else None,
            legal_hold=bool(meta.get("legal_hold")),
            content_type=meta.get("content_type", "application/octet-stream"),
        )

    # -- interface ------------------------------------------------------------------------
    def put_file(
        self, key, path, *, retain_until=None, legal_hold=False, content_type="application/octet-stream"
    ) -> ObjectInfo:
        target = self._data_path(key)
        fd, tmp = tempfile.mkstemp(dir=self._tmp)
        h, size = hashlib.sha256(), 0
        try:
            with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    h.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            os.chmod(tmp, 0o444)
            meta = {
                "size": size,
                "sha256": h.hexdigest(),
                "content_type": content_type,
                "retain_until": retain_until.isoformat() if retain_until else None,
                "legal_hold": legal_hold,
            }
            with self._key_lock(key):
                if target.exists():
                    existing = self._read_meta(key)
                    if existing["sha256"] != meta["sha256"]:
                        raise ObjectExists(f"{key} exists with other content")
                    return self._info(key, existing)
                self._write_meta(key, meta)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(tmp, target)
                _fsync_dir(target.parent)
            return self._info(key, meta)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def open(self, key: str, version_id: str | None = None) -> BinaryIO:
        """The file (a local store keeps one version: ``version_id`` is not used)."""
        try:
            return open(self._data_path(key), "rb")
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    def head(self, key: str, version_id: str | None = None) -> ObjectInfo:
        return self._info(key, self._read_meta(key))

    def list(self, prefix: str = "") -> Iterator[str]:
        # Start in the deepest folder the prefix names, so listing one document's revisions
        # costs a few directory reads, not a walk over the whole archive.
        folder = prefix.rsplit("/", 1)[0] + "/" if "/" in prefix else ""
        if folder and any(p in ("", ".", "..") for p in folder[:-1].split("/")):
            return
        yield from self._walk(self._data / folder, folder, prefix)

    def _walk(self, directory: Path, rel: str, prefix: str) -> Iterator[str]:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except FileNotFoundError:
            return
        for entry in entries:
            key = f"{rel}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if prefix.startswith(key + "/") or (key + "/").startswith(prefix):
                    yield from self._walk(Path(entry.path), key + "/", prefix)
            elif key.startswith(prefix):
                yield key

    def delete(self, key: str) -> None:
        with self._key_lock(key):
            info = self.head(key)
            if info.legal_hold:
                raise RetentionError(f"{key} is under legal hold")
            if info.retain_until and self._today() <= info.retain_until:
                raise RetentionError(f"{key} is retained until {info.retain_until.isoformat()}")
            path = self._data_path(key)
            os.chmod(path, 0o644)
            os.unlink(path)
            self._meta_path(key).unlink(missing_ok=True)
            self._prune(path.parent)

    def _prune(self, directory: Path) -> None:
        while directory != self._data:
            try:
                directory.rmdir()
            except OSError:
                return  # not empty
            directory = directory.parent

    def set_legal_hold(self, key: str, on: bool) -> None:
        with self._key_lock(key):
            meta = self._read_meta(key)
            meta["legal_hold"] = bool(on)
            self._write_meta(key, meta)

    def extend_retention(self, key: str, retain_until: date) -> None:
        with self._key_lock(key):
            meta = self._read_meta(key)
            current = meta.get("retain_until")
            if current and retain_until < date.fromisoformat(current):
                raise RetentionError(f"{key}: retain-until {current} cannot be shortened")
            meta["retain_until"] = retain_until.isoformat()
            self._write_meta(key, meta)
