"""The state file is checked before any command uses it: a corrupt or truncated state ends
with the next step named (restore-state or reindex), never with a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.state_backup import StateFileError, check_state_file, integrity_problem

# Commands that do not open the state (or, for restore-state, replace it).
NO_STATE = ("ocr", "tag", "restore-state")
# Long-running commands (and the backup, which must not copy a damaged file) afford SQLite's
# full page check at start; the others check the header and size only.
FULL_CHECK = ("serve", "worker", "reindex", "backup-state")


def corrupt_state_message(path: Path, detail: str) -> str:
    """The operator's next step, in Vietnamese with the commands spelled out."""
    return (
        f"sohoa: tệp trạng thái {path} bị hỏng hoặc bị cắt ({detail}).\n"
        "Bước tiếp theo: dừng `sohoa serve`/`sohoa worker`, rồi chạy `sohoa restore-state` (khôi phục "
        "bản sao lưu mới nhất trong kho lưu trữ) và sau đó `sohoa reindex`.\n"
        f"Nếu kho không có bản sao lưu (`sohoa restore-state --list` trống): đổi tên {path.name} "
        "sang tên khác và chạy `sohoa reindex` (hồ sơ, tài liệu được dựng lại từ kho; tài khoản phải tạo lại)."
    )


def state_problem(command: str, path: Path) -> str:
    """'' when the command may go on; otherwise the message to print."""
    if command in NO_STATE or not path.exists():
        return ""
    try:
        check_state_file(path)
        problem = integrity_problem(path, quick=True) if command in FULL_CHECK else ""
    except StateFileError as exc:
        return corrupt_state_message(path, str(exc))
    except OSError as exc:
        return f"sohoa: không đọc được tệp trạng thái {path}: {exc.strerror or exc}"
    return corrupt_state_message(path, problem) if problem else ""


def is_corruption(exc: BaseException) -> bool:
    """SQLite's word for a damaged file (not a lock or a full disk)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text)
