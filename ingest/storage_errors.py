"""Storage errors (disk full, read-only, no permission, object store unreachable) are the
service's trouble, never the file's: they get their own reason code and a Vietnamese message,
the job waits and is tried again, and nothing blames or drops the file."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.object_store import ObjectExists, ObjectMissing, RetentionError, StoreError
from archive.state_store import loaded_psycopg
from ingest.reasons import Reason
from ingest.refusal import Refusal

REASON = Reason.STORAGE_ERROR
MESSAGES = {
    errno.ENOSPC: "Hết dung lượng lưu trữ",
    errno.EDQUOT: "Hết hạn mức dung lượng lưu trữ",
    errno.EROFS: "Nơi lưu trữ đang ở chế độ chỉ đọc",
    errno.EACCES: "Không có quyền ghi vào nơi lưu trữ",
    errno.EPERM: "Không có quyền ghi vào nơi lưu trữ",
    errno.EIO: "Lỗi đọc/ghi thiết bị lưu trữ",
}
SQLITE_WORDS = ("disk is full", "readonly", "read-only", "disk i/o", "unable to open")
# Libraries that wrap the OS error in their own (tantivy's ValueError, a tool's message) keep
# its words: errno names as strerror spells them.
OS_WORDS = {
    "no space left on device": errno.ENOSPC,
    "disk quota exceeded": errno.EDQUOT,
    "read-only file system": errno.EROFS,
    "permission denied": errno.EACCES,
}


class StorageFailure(Refusal):
    """A storage error met while taking or processing a file (the file is not at fault)."""

    def __init__(self, detail: str) -> None:
        super().__init__(REASON, f"{detail}; tệp không bị lỗi, hệ thống sẽ thử lại (báo bộ phận CNTT).")


def _causes(exc: BaseException):
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        yield current
        current = current.__cause__ or current.__context__
        seen += 1


def _postgres_unreachable() -> tuple[type[BaseException], ...]:
    """psycopg's connection errors (none while the PostgreSQL store has not loaded psycopg)."""
    psycopg = loaded_psycopg()
    if psycopg is None:
        return ()
    from psycopg_pool import PoolTimeout

    return (psycopg.OperationalError, PoolTimeout)


def storage_detail(exc: BaseException) -> str:
    """The Vietnamese name of the storage trouble behind ``exc``; '' when it is no storage error."""
    for cause in _causes(exc):
        if isinstance(cause, StorageFailure):
            return cause.message
        if isinstance(cause, OSError) and cause.errno in MESSAGES:
            return MESSAGES[cause.errno]
        if isinstance(cause, sqlite3.OperationalError) and any(w in str(cause).lower() for w in SQLITE_WORDS):
            return "Không ghi được cơ sở dữ liệu trạng thái (hết dung lượng hoặc chỉ đọc)"
        if isinstance(cause, _postgres_unreachable()):  # PostgreSQL unreachable or restarting
            return "Không kết nối được cơ sở dữ liệu trạng thái (PostgreSQL)"
        if isinstance(cause, StoreError) and not isinstance(
            cause, ObjectExists | ObjectMissing | RetentionError
        ):
            return "Kho lưu trữ không truy cập được hoặc từ chối ghi"
    return ""


def log_failure(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """Log ``exc``: a storage error in one line (the operator's to fix, no traceback on the
    console), anything else with its traceback (a bug to report)."""
    detail = storage_detail(exc)
    if detail:
        logger.error("%s: %s (%s)", what, detail, exc)
    else:
        logger.error("%s", what, exc_info=exc)


def as_storage_failure(exc: BaseException) -> StorageFailure | None:
    """``exc`` as a ``StorageFailure`` when it is a storage error, else None."""
    if isinstance(exc, StorageFailure):
        return exc
    detail = storage_detail(exc)
    return StorageFailure(detail) if detail else None


def probe_writable(folder: Path, size: int = 1024 * 1024) -> StorageFailure | None:
    """Write and remove ``size`` bytes in ``folder``: a full or read-only disk shows here, so a
    tool that failed for that reason is not taken to mean the file is bad."""
    path = folder / f".probe-{os.getpid()}"
    try:
        with open(path, "wb") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return as_storage_failure(exc) or StorageFailure(MESSAGES[errno.EIO])
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    return None


@contextmanager
def storage_guard() -> Iterator[None]:
    """Turn a storage error raised inside into a ``StorageFailure`` (other errors pass)."""
    try:
        yield
    except Refusal:
        raise
    except Exception as exc:
        failure = as_storage_failure(exc)
        if failure is None:
            raise
        raise failure from exc
