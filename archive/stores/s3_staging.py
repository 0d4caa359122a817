"""The staging bucket of a several-machine set-up (``[staging]`` S3 settings): a plain S3 bucket,
without Object Lock, where a file accepted on one machine waits until a worker on any machine
takes its job. Never the archive bucket: staged files are deleted once their job has ended."""

from __future__ import annotations

import os
from pathlib import Path

from minio import Minio
from minio.error import S3Error

from archive.object_store import StoreError

PREFIX = "staging/"


class S3Staging:
    """put, fetch and delete of staged files; S3 and network errors are ``StoreError``s (the job
    waits and is tried again, as for the archive)."""

    def __init__(
        self,
        endpoint: str,
        bucket: str,
        access_key: str = "",
        secret_key: str = "",
        secure: bool = True,
        region: str = "",
    ) -> None:
        self.bucket = bucket
        self.client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region or None
        )
        self._ready = False

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            if not self._ready:
                if not self.client.bucket_exists(self.bucket):
                    try:
                        self.client.make_bucket(self.bucket)
                    except S3Error as exc:  # another machine made it meanwhile
                        if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                            raise
                self._ready = True
            return fn(*args, **kwargs)
        except (S3Error, OSError, ValueError) as exc:
            raise StoreError(f"staging bucket {self.bucket}: {what} failed: {exc}") from exc

    def put(self, name: str, path: Path) -> str:
        """Stage the file at ``path``; returns its key."""
        key = PREFIX + name
        self._call("put", self.client.fput_object, self.bucket, key, str(path))
        return key

    def fetch(self, key: str, dest: Path) -> Path:
        """Download a staged file to ``dest`` (whole or not at all)."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.part")
        self._call("get", self.client.fget_object, self.bucket, key, str(tmp))
        os.replace(tmp, dest)
        return dest

    def delete(self, key: str) -> None:
        self._call("delete", self.client.remove_object, self.bucket, key)
