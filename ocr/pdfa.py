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

PDFA_MIN_SIDE, PDFA_MAX_SIDE = 3.0, 14400.0


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
class GraftPage:
    """A scanned PDF page kept as it is (its image bytes untouched), with the recognised text on top."""

    pdf_bytes: bytes
    index: int
    text_pdf: Path
    skew: float = 0.0


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


def _text_form(out: pikepdf.Pdf, text_pdf: Path) -> tuple[pikepdf.Object, list[float]]:
    """Tesseract's text-only page as a form XObject of ``out``, and that page's box."""
    with pikepdf.open(text_pdf) as tp:
        src = tp.pages[0]
        return out.copy_foreign(src.as_form_xobject()), [float(v) for v in src.mediabox]


def _draw_form(name: str, box: list[float], w_pt: float, h_pt: float, skew: float) -> str:
    """Content drawing form ``name`` over a w x h page, turned back by ``skew`` degrees."""
    scale = [w_pt / (box[2] - box[0]), 0, 0, h_pt / (box[3] - box[1]), 0, 0]
    # The text was read on an image turned by ``skew``; turn it back so it lies on the original.
    rot = _rotation_about(w_pt / 2, h_pt / 2, -skew)
    return f"q {_fmt(rot)} cm {_fmt(scale)} cm {name} Do Q\n"


def _graft(out: pikepdf.Pdf, src: pikepdf.Pdf, page: GraftPage) -> None:
    out.pages.append(src.pages[page.index])
    target = out.pages[-1]
    box = [float(v) for v in target.mediabox]
    form, text_box = _text_form(out, page.text_pdf)
    name = target.add_resource(form, Name.XObject, prefix="FxOCR")
    draw = _draw_form(str(name), text_box, box[2] - box[0], box[3] - box[1], page.skew)
    # the original content may leave its graphics state changed: fence it before drawing the text
    target.contents_add(b"q\n", prepend=True)
    target.contents_add(b"\nQ\n" + draw.encode("ascii"))


def page_dpi(width: int, height: int, dpi: float) -> float:
    """``dpi``, moved just enough that each side of the page lies within PDF/A's 3-14400 units
    (a fax strip a few pixels wide, or a very long low-resolution scroll)."""
    dpi = min(dpi, min(width, height) * 72 / PDFA_MIN_SIDE)
    return max(dpi, max(width, height) * 72 / PDFA_MAX_SIDE)


def _image_page(out: pikepdf.Pdf, page: ImagePage) -> pikepdf.Dictionary:
    dpi = page_dpi(page.width, page.height, page.dpi)
    w_pt, h_pt = page.width / dpi * 72, page.height / dpi * 72
    image = pikepdf.Stream(
        out,
        page.jpeg,
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=page.width,
        Height=page.height,
        BitsPerComponent=8,
        Filter=Name.DCTDecode,
        ColorSpace=Name.DeviceGray if page.grey else Name.DeviceRGB,
    )
    xobjects = pikepdf.Dictionary(Im0=image)
    content = f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q\n"
    if page.text_pdf is not None:
        xobjects.Fx0, box = _text_form(out, page.text_pdf)
        content += _draw_form("/Fx0", box, w_pt, h_pt, page.skew)
    return pikepdf.Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, w_pt, h_pt],
        Resources=pikepdf.Dictionary(XObject=xobjects),
        Contents=out.make_stream(content.encode("ascii")),
    )


def write_pdfa(
    pages: list[ImagePage | VectorPage | GraftPage], out_path: Path, *, title: str | None = None
) -> None:
    """Write ``pages`` in order as PDF/A-2b at ``out_path``; pikepdf validates the bytes it wrote."""
    out = pikepdf.new()
    sources: dict[int, pikepdf.Pdf] = {}
    try:
        for page in pages:
            if isinstance(page, VectorPage | GraftPage):
                key = id(page.pdf_bytes)
                if key not in sources:
                    sources[key] = pikepdf.open(io.BytesIO(page.pdf_bytes))
                if isinstance(page, GraftPage):
                    _graft(out, sources[key], page)
                else:
                    out.pages.append(sources[key].pages[page.index])
            else:
                out.pages.append(pikepdf.Page(out.make_indirect(_image_page(out, page))))
        if title:
            with out.open_metadata() as meta:
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
