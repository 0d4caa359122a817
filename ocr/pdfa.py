"""Assemble the archival PDF/A-2b: the colour page image, Tesseract's invisible text on top, pikepdf's
PDF/A preparation and validation. No Ghostscript, no re-rendering: this is most of the speed-up over ocrmypdf.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Name

from ocr.errors import OcrError


@dataclass
class ImagePage:
    """A scanned page: JPEG bytes drawn full page, plus the text layer recognised on the cleaned image."""

    jpeg: bytes
    width: int
    height: int
    grey: bool
    dpi: float
    text_pdf: Path | None
    skew: float = 0.0  # degrees the cleaned image was turned counter-clockwise before recognition


@dataclass
class VectorPage:
    """A born-digital page copied as it is (its fonts are embedded, its text layer is good)."""

    pdf_bytes: bytes
    index: int


def _rotation_about(cx: float, cy: float, degrees: float) -> list[float]:
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    return [c, s, -s, c, cx - c * cx + s * cy, cy - s * cx - c * cy]


def _fmt(values: list[float]) -> str:
    return " ".join(f"{v:.6f}" for v in values)


def _image_page(out: pikepdf.Pdf, page: ImagePage) -> pikepdf.Dictionary:
    w_pt, h_pt = page.width / page.dpi * 72, page.height / page.dpi * 72
    image = pikepdf.Stream(out, page.jpeg, Type=Name.XObject, Subtype=Name.Image, Width=page.width,
                           Height=page.height, BitsPerComponent=8, Filter=Name.DCTDecode,
                           ColorSpace=Name.DeviceGray if page.grey else Name.DeviceRGB)
    xobjects = pikepdf.Dictionary(Im0=image)
    content = f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q\n"
    if page.text_pdf is not None:
        with pikepdf.open(page.text_pdf) as text_pdf:
            src = text_pdf.pages[0]
            box = [float(v) for v in src.mediabox]
            form = out.copy_foreign(src.as_form_xobject())
        xobjects.Fx0 = form
        scale = [w_pt / (box[2] - box[0]), 0, 0, h_pt / (box[3] - box[1]), 0, 0]
        # The text was read on an image turned by ``skew``; turn it back so it lies on the original.
        rot = _rotation_about(w_pt / 2, h_pt / 2, -page.skew)
        content += f"q {_fmt(rot)} cm {_fmt(scale)} cm /Fx0 Do Q\n"
    return pikepdf.Dictionary(
        Type=Name.Page, MediaBox=[0, 0, w_pt, h_pt], Resources=pikepdf.Dictionary(XObject=xobjects),
        Contents=out.make_stream(content.encode("ascii")))


def write_pdfa(pages: list[ImagePage | VectorPage], out_path: Path, *, title: str | None = None) -> None:
    """Write ``pages`` in order as PDF/A-2b at ``out_path``; pikepdf validates the bytes it wrote."""
    out = pikepdf.new()
    sources: dict[int, pikepdf.Pdf] = {}
    try:
        for page in pages:
            if isinstance(page, VectorPage):
                key = id(page.pdf_bytes)
                if key not in sources:
                    sources[key] = pikepdf.open(io.BytesIO(page.pdf_bytes))
                out.pages.append(sources[key].pages[page.index])
            else:
                out.pages.append(pikepdf.Page(out.make_indirect(_image_page(out, page))))
        if title:
            with out.open_metadata(set_pdfa_part=False) as meta:
                meta["dc:title"] = title
        try:
            pikepdf.pdfa.save(out, out_path, "2b")
        except pikepdf.pdfa.PdfaError as exc:
            raise OcrError("pdfa_failed", str(exc)[:500]) from exc
    finally:
        for src in sources.values():
            src.close()
        out.close()


def pdfa_report(path: str | Path) -> pikepdf.pdfa.Report:
    """Validate an existing file as PDF/A-2b (pikepdf's validator, the veraPDF rule ids)."""
    return pikepdf.pdfa.validate_written(path, "2b")
