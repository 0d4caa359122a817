"""Bounds on a package zip, checked on its central directory before one byte of it is inflated.

A package comes from outside (another center, a province archive, a backup found on a disk): it
may be a zip bomb (a few kilobytes inflating to terabytes, or many directory entries pointing at
the same data), or carry names that would escape a folder when extracted (``../``, ``/etc/...``,
``C:\\...``) or symlinks. Every such entry is refused with a Vietnamese reason naming it, before
validation reads anything. Python's ``zipfile`` stops inflating an entry at its declared size and
then fails its CRC, so the declared sizes checked here bound what is ever read.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from archive.packages.export import PackageError

# Entries smaller than this are not held to the ratio (tiny XML files compress very well).
RATIO_FLOOR = 1 << 20
_LOCAL_HEADER = 30  # fixed part of a zip local file header
_UNSAFE = re.compile(r"[\x00-\x1f\\]|^[A-Za-z]:")


class ZipLimitError(PackageError):
    """A package zip breaks a bound; the message (Vietnamese) names the entry and the bound."""


@dataclass(frozen=True)
class ZipLimits:
    """``[transfer] import_max_*``: what one package zip may hold."""

    max_entries: int
    max_entry_bytes: int  # one entry, uncompressed
    max_total_bytes: int  # every entry together, uncompressed
    max_ratio: int  # uncompressed / compressed, for an entry of at least RATIO_FLOOR bytes

    @classmethod
    def from_settings(cls, transfer: Mapping[str, Any]) -> ZipLimits:
        """The limits from the ``[transfer]`` section (as a dict)."""
        return cls(
            int(transfer["import_max_entries"]),
            int(transfer["import_max_entry_bytes"]),
            int(transfer["import_max_bytes"]),
            int(transfer["import_max_ratio"]),
        )


def _name_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = name.split("/")
    if name.startswith("/") or _UNSAFE.search(name):
        return f"{name!r}: tên mục không an toàn (đường dẫn tuyệt đối, ký tự điều khiển hoặc dấu \\)"
    if any(p in ("..", ".") for p in parts) or "" in parts[:-1]:
        return f"{name!r}: tên mục không an toàn (có '..' hoặc '.', có thể ghi ra ngoài thư mục gói)"
    mode = info.external_attr >> 16
    # Unix entries carry a file type; none (as Python's own zipfile writes) is a plain file.
    if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        kind = "liên kết tượng trưng (symlink)" if stat.S_ISLNK(mode) else "không phải tệp thường"
        return f"{name}: mục là {kind}, gói không được chứa loại này"
    if info.flag_bits & 0x1:
        return f"{name}: mục được mã hóa, sohoa không nhận gói có mật khẩu"
    return None


def _size_problem(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    if info.file_size > limits.max_entry_bytes:
        return (
            f"{info.filename}: {info.file_size} byte khi giải nén, "
            f"vượt giới hạn {limits.max_entry_bytes} byte của một tệp"
        )
    if info.file_size >= RATIO_FLOOR:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            return (
                f"{info.filename}: tỉ lệ nén {ratio:.0f}:1 vượt giới hạn {limits.max_ratio}:1 "
                "(nghi là bom zip)"
            )
    return None


def _overlap_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    """Two directory entries sharing bytes: the trick of the non-recursive zip bombs."""
    spans = sorted(infos, key=lambda i: i.header_offset)
    for a, b in zip(spans, spans[1:], strict=False):
        name = a.orig_filename.encode("utf-8" if a.flag_bits & 0x800 else "cp437", "replace")
        end = a.header_offset + _LOCAL_HEADER + len(name) + a.compress_size
        if end > b.header_offset:
            return f"{a.filename} và {b.filename}: hai mục dùng chung dữ liệu trong tệp zip (nghi là bom zip)"
    return None


def check_zip(zf: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Raise ``ZipLimitError`` for the first entry or total that breaks ``limits``."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise ZipLimitError(f"gói có {len(infos)} mục, vượt giới hạn {limits.max_entries} mục")
    total = 0
    for info in infos:
        problem = _name_problem(info) or _size_problem(info, limits)
        if problem:
            raise ZipLimitError(problem)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ZipLimitError(
                f"gói giải nén ra hơn {limits.max_total_bytes} byte, vượt giới hạn tổng dung lượng"
            )
    problem = _overlap_problem(infos)
    if problem:
        raise ZipLimitError(problem)
