"""The pages of a scanned stack, in order, from PDFs and (multi-page) images; blank-page detection;
and a part's pages written as one PDF (PDF pages copied as they are, images embedded)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
import pypdfium2
from PIL import Image, ImageFilter, ImageOps, ImageSequence

# Rendering for the QR reader and the blank test only; the part keeps the scanner's own pixels.
READ_DPI = 150
# A page is blank when fewer than this share of its pixels are ink once specks are filtered out (one
# short word is about 0.0003 at 150 dpi; scanner noise and dust stay far under).
BLANK_INK_SHARE = 0.00005


@dataclass(frozen=True)
class PageRef:
    """One page of the stack: ``number`` counts from 1 over all the files of the batch."""

    number: int
    source: Path
    index: int  # in its file, from 0
    is_pdf: bool


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as f:
        return b"%PDF-" in f.read(1024)


class UnreadableStack(Exception):
    """A file of the stack that is neither a readable PDF nor an image."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path


def iter_pages(files: list[Path]) -> Iterator[tuple[PageRef, Image.Image]]:
    """Every page of ``files`` in order, with a greyscale image of it at about ``READ_DPI``;
    raises ``UnreadableStack`` naming the first file that cannot be read."""
    number = 0
    for path in files:
        try:
            for ref, image in _pages_of(path, number):
                number = ref.number
                yield ref, image
        # PIL's UnidentifiedImageError is an OSError.
        except (OSError, ValueError, pypdfium2.PdfiumError) as exc:
            raise UnreadableStack(path, str(exc)) from exc


def _pages_of(path: Path, number: int) -> Iterator[tuple[PageRef, Image.Image]]:
    """The pages of one file, numbered on from ``number``."""
    if _is_pdf(path):
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                number += 1
                image = pdf[i].render(scale=READ_DPI / 72, grayscale=True).to_pil()
                yield PageRef(number, path, i, True), image
        finally:
            pdf.close()
        return
    with Image.open(path) as img:
        for i, frame in enumerate(ImageSequence.Iterator(img)):
            number += 1
            yield PageRef(number, path, i, False), ImageOps.grayscale(frame.copy())


def is_blank(image: Image.Image) -> bool:
    """Whether a page has (almost) no ink: the blank back of a duplex scan."""
    # The median filter removes dust and noise specks, not the strokes of letters.
    # A 3% band at the edges is left out: the scanner's shadow of the sheet's edge is not ink.
    w, h = image.size
    inner = image.crop((w * 3 // 100, h * 3 // 100, w - w * 3 // 100, h - h * 3 // 100))
    grey = np.asarray(ImageOps.grayscale(inner).filter(ImageFilter.MedianFilter(3)), dtype=np.uint8)
    return float((grey < 140).mean()) < BLANK_INK_SHARE


def _image_page_pdf(ref: PageRef) -> pikepdf.Pdf:
    """One image page as a one-page PDF, losslessly (img2pdf): a JPEG or PNG file's own bytes are
    embedded as they are, any other frame as a PNG. Pillow's PDF writer would re-encode the page
    as JPEG, and the kept original would no longer be the scan the officer handed in."""
    with Image.open(ref.source) as img:
        dpi = float(img.info.get("dpi", (300, 300))[0] or 300)
        layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
        if img.format in ("JPEG", "PNG") and getattr(img, "n_frames", 1) == 1:
            try:
                return pikepdf.open(io.BytesIO(img2pdf.convert(str(ref.source), layout_fun=layout)))
            except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError):
                pass  # an alpha channel or 16-bit samples: written as an 8-bit PNG below
        img.seek(ref.index)
        frame = img.copy()
    if frame.mode not in ("1", "L", "RGB"):
        frame = frame.convert("RGB")
    buf = io.BytesIO()
    frame.save(buf, "PNG")
    return pikepdf.open(io.BytesIO(img2pdf.convert(buf.getvalue(), layout_fun=layout)))


def write_part(pages: list[PageRef], out: Path, *, deterministic: bool = False) -> Path:
    """Write ``pages`` (in order) as one PDF at ``out``; ``deterministic``: the same pages give
    the same bytes (so the same files joined twice are one file to duplicate detection)."""
    result = pikepdf.new()
    opened: dict[Path, pikepdf.Pdf] = {}
    singles: list[pikepdf.Pdf] = []  # kept open until the result is saved (its pages refer to them)
    try:
        for ref in pages:
            if ref.is_pdf:
                src = opened.setdefault(ref.source, pikepdf.open(ref.source))
                result.pages.append(src.pages[ref.index])
            else:
                singles.append(_image_page_pdf(ref))
                result.pages.append(singles[-1].pages[0])
        result.save(out, deterministic_id=deterministic)
    finally:
        for pdf in [*opened.values(), *singles]:
            pdf.close()
    return out
