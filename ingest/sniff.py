"""Identify uploads by their content (magic bytes), never by name or extension."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ingest.refusal import Refusal

# (content type, extension, test on the first bytes)
_SIGNATURES: list[tuple[str, str, callable]] = [
    ("application/pdf", "pdf", lambda h: b"%PDF-" in h[:1024]),
    ("image/png", "png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", "jpg", lambda h: h.startswith(b"\xff\xd8\xff")),
    ("image/tiff", "tif", lambda h: h[:4] in (b"II*\x00", b"MM\x00*")),
]


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    size: int


def sniff(path: str | Path, *, max_bytes: int) -> Sniffed:
    """The file's type from its first bytes; raises ``Refusal`` for empty, oversized or unknown files."""
    size = os.path.getsize(path)
    if size == 0:
        raise Refusal("empty_file", "Tệp rỗng (0 byte).")
    if size > max_bytes:
        raise Refusal("file_too_large", f"Tệp quá lớn: {size} byte, tối đa {max_bytes} byte.")
    with open(path, "rb") as fh:
        head = fh.read(2048)
    for content_type, ext, test in _SIGNATURES:
        if test(head):
            return Sniffed(content_type, ext, size)
    raise Refusal("unsupported_type", "Định dạng tệp không được hỗ trợ (chỉ nhận PDF, PNG, JPEG, TIFF).")
