"""The first look at an S3 store: can sohoa reach it, do its keys work, and is the bucket one that
keeps records (versioning and Object Lock)? Each failure becomes one ``StoreConfigError`` line, in
Vietnamese, that names the setting to fix, so a misconfigured store is refused at the start of a
command (never reported as "accepted, will be retried")."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from typing import Any

from minio import time as minio_time

from archive.object_store import StoreConfigError, StoreError
from archive.stores.s3_errors import S3Unavailable, S3Unreachable

# The store is passed in duck-typed (``archive.stores.s3.S3Store``): importing it here would
# make a cycle with the store, which calls ``ensure_bucket``.
S3Store = Any

KEY_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "AccessDenied"}
SKEW_CODES = {"RequestTimeTooSkewed"}
MAX_SKEW_SECONDS = 15 * 60  # what S3 servers accept


def _skewed(cause: BaseException | None) -> bool:
    """Whether the server's Date differs from the clock requests are signed with by more than S3
    allows: a HEAD refused for skew comes back as a bare 403, without the error's code."""
    response = getattr(cause, "response", None)
    served = response.headers.get("Date") if response is not None else None
    if not served:
        return False
    try:
        server = parsedate_to_datetime(served)
    except (TypeError, ValueError):
        return False
    return abs((minio_time.utcnow() - server).total_seconds()) > MAX_SKEW_SECONDS


def refusal(store: S3Store, exc: BaseException) -> StoreConfigError | None:
    """The clear refusal for an error met on the first look, or None when it is not a set-up fault."""
    code = getattr(exc.__cause__, "code", "") if isinstance(exc, StoreError) else ""
    endpoint = store.client._base_url.host  # noqa: SLF001 - the configured endpoint, for the message
    if code in KEY_CODES and _skewed(exc.__cause__):
        code = "RequestTimeTooSkewed"
    if code in KEY_CODES:
        return StoreConfigError(
            f"Kho lưu trữ S3 {endpoint} từ chối khóa truy cập ({code}): kiểm tra [store] access_key và secret_key."
        )
    if code in SKEW_CODES:
        return StoreConfigError(
            f"Đồng hồ máy này lệch quá xa so với kho lưu trữ S3 {endpoint} ({code}): hãy đồng bộ giờ (NTP)."
        )
    if isinstance(exc, S3Unavailable):
        why = re.search(r"\[Errno -?\d+\] ([^\"')]+)|(Name or service not known|timed out)", str(exc))
        reason = (why.group(1) or why.group(2)) if why else "không có trả lời"
        return S3Unreachable(
            f"Không kết nối được kho lưu trữ S3 tại {endpoint}: kiểm tra [store] endpoint và mạng ({reason})."
        )
    return None


def _versioning_on(store: S3Store) -> bool:
    config = store._call(store.bucket, store.client.get_bucket_versioning, store.bucket)  # noqa: SLF001
    return (config.status or "").lower() == "enabled"


def _has_object_lock(store: S3Store) -> bool:
    try:
        store._call(store.bucket, store.client.get_object_lock_config, store.bucket)  # noqa: SLF001
    except StoreError as exc:
        if refusal(store, exc):
            raise
        return False
    return True


def ensure_bucket(store: S3Store, create: bool) -> None:
    """Create the bucket with Object Lock when allowed; refuse one without versioning or lock."""
    try:
        if not store._call(store.bucket, store.client.bucket_exists, store.bucket):  # noqa: SLF001
            if not create:
                raise StoreConfigError(f"Bucket {store.bucket} không tồn tại: kiểm tra [store] bucket.")
            try:
                store._call(store.bucket, store.client.make_bucket, store.bucket, object_lock=True)  # noqa: SLF001
            except StoreError as exc:  # another process created it first
                if "BucketAlreadyOwnedByYou" not in str(exc) and "BucketAlreadyExists" not in str(exc):
                    raise
        if not _versioning_on(store):
            raise StoreConfigError(
                f"Bucket {store.bucket} không bật versioning: không giữ được bản ghi gốc; "
                "hãy dùng bucket tạo với Object Lock."
            )
        if not _has_object_lock(store):
            raise StoreConfigError(
                f"Bucket {store.bucket} không bật Object Lock: hồ sơ có thể bị xóa; "
                "hãy dùng bucket tạo với Object Lock."
            )
    except StoreConfigError:
        raise
    except StoreError as exc:
        clear = refusal(store, exc)
        if clear is None:
            raise
        raise clear from exc
