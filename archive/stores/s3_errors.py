"""Errors of the S3 store, apart so the store and its first look (``s3_preflight``) share them."""

from __future__ import annotations

from archive.object_store import StoreError, StoreUnreachable


class S3Unavailable(StoreError):
    """The S3 server could not be reached; the operation may be retried later."""


class S3Unreachable(StoreUnreachable, S3Unavailable):
    """The S3 server did not answer the first look (``archive.stores.s3_preflight``)."""
