"""Identify uploads by their content (magic bytes), never by name or extension, and set aside
polyglots (files that are valid as two formats at once, a classic way to smuggle content)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.refusal import Refusal

IMAGE_MAGIC: list[tuple[str, str, Callable[[bytes], bool]]] = [
    ("image/png", "png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", "jpg", lambda h: h.startswith(b"\xff\xd8\xff")),
    # classic TIFF and BigTIFF (the variant large-format scanners write past 4 GB offsets)
    ("image/tiff", "tif", lambda h: h[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")),
]
# Formats that must not hide in front of or behind a PDF: magic numbers long enough not to turn up by chance inside a PDF's compressed streams (a JPEG's
# or a gzip's few bytes would: PDFs carry JPEG images).
FOREIGN_MAGIC = re.compile(
    rb"PK\x03\x04|MZ\x90\x00|<html|<script|<svg|\x7fELF|GIF8[79]a|Rar!|7z\xbc\xaf\x27\x1c"
    rb"|\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    re.I,
)
# What follows an earlier %%EOF in a linearized or updated PDF: its own objects. Cut off in
# transfer, such a tail has no final %%EOF; it is damage, not a second format.
PDF_BODY = re.compile(rb"\d+\s+\d+\s+obj\b|\bendobj\b|\bxref\b|\btrailer\b|\bendstream\b")
PDF_TAIL_SLACK = 1024  # some scanners pad after %%EOF; more than this is suspicious
TAIL_READ = 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    size: int


def _polyglot() -> Refusal:
    return Refusal("polyglot", status="quarantined")


def _check_pdf_edges(path: Path, head: bytes, size: int) -> None:
    """Bytes before %PDF- or after the last %%EOF that form another file."""
    start = head.find(b"%PDF-")
    if start > 0 and (FOREIGN_MAGIC.search(head[:start]) or head[:start].strip(b"\x00\r\n\t ")):
        raise _polyglot()
    with open(path, "rb") as fh:
        fh.seek(max(0, size - TAIL_READ))
        tail = fh.read()
    eof = tail.rfind(b"%%EOF")
    if eof < 0:
        return  # truncated or odd: the PDF parser decides (unreadable)
    trailing = tail[eof + 5 :]
    if FOREIGN_MAGIC.search(trailing):
        raise _polyglot()
    rest = trailing.strip(b"\x00\r\n\t\x0c ")
    if len(rest) > PDF_TAIL_SLACK and not PDF_BODY.search(rest[:65536]):
        raise _polyglot()


def sniff(path: str | Path, *, max_bytes: int) -> Sniffed:
    """The file's type from its content; raises ``Refusal`` for empty, oversized, unknown or
    polyglot files."""
    path = Path(path)
    size = os.path.getsize(path)
    if size == 0:
        raise Refusal("empty_file")
    if size > max_bytes:
        raise Refusal("file_too_large", f"Tệp quá lớn: {size} byte, tối đa {max_bytes} byte.")
    with open(path, "rb") as fh:
        head = fh.read(2048)
    for content_type, ext, test in IMAGE_MAGIC:
        if test(head):
            if b"%PDF-" in head[:1024]:
                raise _polyglot()
            return Sniffed(content_type, ext, size)
    if b"%PDF-" in head[:1024]:
        _check_pdf_edges(path, head, size)
        return Sniffed("application/pdf", "pdf", size)
    raise Refusal("unsupported_type")
