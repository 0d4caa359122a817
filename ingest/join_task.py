"""What runs inside the sandbox for a join (``ingest.join``): inspect every part from its header
and structure, then write the pages in order as one PDF. Module-level so the spawned child
imports it, and light: the child imports no more than inspection and page copying need."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf

from ingest.batch.pages import PageRef, write_part
from ingest.inspection import inspect_file
from ingest.pdf_safety import PdfRefused
from ingest.reasons import Reason, message_vi
from ocr.errors import OcrError
from ocr.imagefile import count_frames

NOTHING_KEPT = "Không tệp nào được lưu; hãy bỏ hoặc thay tệp này rồi tải lên lại."


class PartRefused(Exception):
    """A part refused in the sandbox: ``code`` of the closed list, ``message`` names the file."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def part_message(name: str, number: int, total: int, message: str) -> str:
    """A part's refusal, naming the file and saying nothing was stored."""
    return f"Tệp «{name}» (tệp thứ {number}/{total} cần gộp): {message} {NOTHING_KEPT}"


def _refs(src: str, is_pdf: bool, limit: int) -> list[PageRef]:
    """The part's pages in order (numbers are filled in by the caller's position)."""
    if is_pdf:
        with pikepdf.open(src) as pdf:
            count = len(pdf.pages)
    else:
        count, _ = count_frames(Path(src), limit)
    return [PageRef(0, Path(src), i, is_pdf) for i in range(count)]


def join_parts(
    parts: list[list[str]], out: str, max_pages: int, max_pixels: int, max_decoded_bytes: int
) -> dict:
    """Sandbox target: ``parts`` are [path, content_type, name]; inspect each, then write their
    pages in order to ``out``. {"quarantine": [kinds], "part": i} for active content, else
    {"pages": n}; a refused part raises ``PartRefused``."""
    refs: list[PageRef] = []
    for i, (src, content_type, name) in enumerate(parts):
        try:
            found = inspect_file(src, content_type, max_pages, max_pixels, max_decoded_bytes)
            if found.get("quarantine"):
                return {"quarantine": found["quarantine"], "part": i}
            refs.extend(_refs(src, content_type == "application/pdf", max_pages))
        except (OcrError, PdfRefused) as exc:
            raise PartRefused(exc.code, part_message(name, i + 1, len(parts), exc.message)) from exc
        if len(refs) > max_pages:
            text = message_vi(Reason.TOO_MANY_PAGES)
            raise PartRefused(Reason.TOO_MANY_PAGES, part_message(name, i + 1, len(parts), text))
    partial = f"{out}.part"
    write_part(refs, Path(partial), deterministic=True)
    os.replace(partial, out)
    return {"pages": len(refs)}
