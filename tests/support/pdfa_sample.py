"""A small archival PDF/A-2b made the way the OCR pipeline writes one (page image, no OCR), for
tests about what happens to the archival file afterwards (signing)."""

from __future__ import annotations

from pathlib import Path

from ocr.inputs import encode_jpeg
from ocr.pdfa import ImagePage, write_pdfa
from tests.support.render import render_page


def make_pdfa(lines: list[str], out: Path, dpi: int = 100) -> Path:
    """One scanned-looking page of ``lines`` as PDF/A-2b at ``out``."""
    img = render_page(lines, dpi=dpi).convert("L")
    page = ImagePage(
        jpeg=encode_jpeg(img, 80), width=img.width, height=img.height, grey=True, dpi=dpi, text_pdf=None
    )
    write_pdfa([page], out)
    return out
