"""The invisible text layer of a page, written in reading order.

Tesseract writes its text-only PDF in its own line order, which interleaves side-by-side blocks
(organ | motto, "Nơi nhận" | signature). Copying text from the archival PDF, screen readers and
extractors that follow the content stream read that order. Here the page's content is written again
from the same words in the order of ``ocr.reading_order`` (stamp ink and junk left out), with
Tesseract's own glyphless font and page size, so the layer still lies exactly over the image.
"""

from __future__ import annotations

from pathlib import Path
from statistics import median

import pikepdf

GLYPH_WIDTH = 0.5  # the glyphless font's /DW 500: every glyph is half the font size wide


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _line_ops(words: list[dict], sx: float, sy: float, page_h: float, font: str) -> list[str]:
    """One line of words on a common baseline (so extractors keep them on one line), each word
    stretched over its box."""
    size = max(1.0, median(int(w["height"]) for w in words) * sy)
    base = page_h - median(int(w["top"]) + int(w["height"]) for w in words) * sy
    ops = [f"{font} {size:.2f} Tf"]
    for i, w in enumerate(words):
        text = w["text"] + (" " if i < len(words) - 1 else "")
        width = max(1, int(w["width"])) * sx
        scale = 100.0 * width / (max(1, len(text)) * GLYPH_WIDTH * size)
        x = int(w["left"]) * sx
        ops.append(f"1 0 0 1 {x:.2f} {base:.2f} Tm {scale:.2f} Tz <{_hex(text)}> Tj")
    return ops


def write_in_reading_order(text_pdf: Path, lines: list[list[dict]], image_size: tuple[int, int]) -> None:
    """Replace the content of Tesseract's one-page text PDF with ``lines`` (words with pixel boxes
    of an image of ``image_size``), in that order."""
    with pikepdf.open(text_pdf, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        fonts = page.Resources.get("/Font")
        if not fonts or not lines:
            return  # nothing was read: Tesseract's (empty) page stays
        font = str(next(iter(fonts.keys())))
        _, _, w_pt, h_pt = (float(v) for v in page.MediaBox)
        sx, sy = w_pt / max(1, image_size[0]), h_pt / max(1, image_size[1])
        ops = ["BT", "3 Tr"]
        for words in lines:
            ops += _line_ops(words, sx, sy, h_pt, font)
        ops.append("ET")
        page.Contents = pdf.make_stream("\n".join(ops).encode("ascii"))
        pdf.save(text_pdf)
