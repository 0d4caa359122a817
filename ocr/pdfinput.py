"""PDF input: decrypt owner-password files, refuse user-password ones, read text layers, render pages."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from ocr.errors import OcrError
from ocr.pages import PDFIUM_LOCK, Limits, PageSource, check_pixels, normalise_image
from ocr.pdfcost import text_layer_pages
from ocr.textlayer import page_texts, text_layer_is_good


def _native_dpi(page: pikepdf.Page) -> float | None:
    """Resolution of the largest image drawn on the page, or None for a page without images."""
    box = page.mediabox
    w_in, h_in = float(box[2] - box[0]) / 72, float(box[3] - box[1]) / 72
    best = None
    for _name, raw in page.get_images().items():
        try:
            w, h = int(raw.Width), int(raw.Height)
        except (AttributeError, TypeError, ValueError):
            continue
        if int(page.obj.get("/Rotate", 0)) % 180:
            w, h = h, w
        dpi = min(w / max(w_in, 0.01), h / max(h_in, 0.01))
        if w * h > 0.25 * w_in * h_in * dpi * dpi and (best is None or dpi > best):
            best = dpi
    return None if best is None else round(best, 1)


def fonts_embedded(page: pikepdf.Page) -> bool:
    """True when every font the page uses carries its program (PDF/A needs that to keep the page)."""
    resources = page.obj.get("/Resources") or pikepdf.Dictionary()
    fonts = resources.get("/Font") or pikepdf.Dictionary()
    for _name, font in fonts.items():
        if font.get("/Subtype") == "/Type3":
            continue
        if font.get("/Subtype") == "/Type0":
            font = font.DescendantFonts[0]
        desc = font.get("/FontDescriptor")
        if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            return False
    return True


def cut_short(path: Path) -> bool:
    """True when the file does not end with a PDF end marker: cut off in transfer."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" not in fh.read()


def _open(path: Path) -> tuple[pikepdf.Pdf, bytes, bool]:
    """The PDF, bytes pdfium can open (decrypted, or rebuilt when qpdf had to repair it: pdfium
    refuses a file cut short), and whether it was cut short."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise OcrError("encrypted", "user password required") from exc
    except pikepdf.PdfError as exc:
        raise OcrError("damaged", str(exc)) from exc
    cut = cut_short(path)
    buf = io.BytesIO()
    if pdf.is_encrypted:
        pdf.save(buf)  # an owner password only restricts; the saved copy is decrypted
    elif cut or pdf.get_warnings():
        try:  # raw stream bytes copied as they are: a cut stream must not stop the rebuild
            pdf.save(buf, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        except pikepdf.PdfError as exc:
            raise OcrError("damaged", str(exc)) from exc
    else:
        buf.write(path.read_bytes())
    if buf.tell() and buf.getvalue() != path.read_bytes():
        pdf.close()
        pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    return pdf, buf.getvalue(), cut


def _text_layers(pdf: pikepdf.Pdf, n: int) -> list[str]:
    """The text layer of each page cheap enough to read (others stay empty and are recognised
    from their image). The pure-Python reader gets a copy holding only those pages: it resolves
    the whole catalogue on opening, which takes minutes when it hangs 300,000 objects."""
    only = sorted(text_layer_pages(pdf))
    out = [""] * n
    if not only:
        return out
    sub = pikepdf.new()
    for i in only:
        sub.pages.append(pdf.pages[i])
    buf = io.BytesIO()
    sub.save(buf)
    for i, text in zip(only, page_texts(buf), strict=True):
        out[i] = text
    return out


def open_pdf(path: Path, limits: Limits) -> list[PageSource]:
    """Pages of a PDF; the PDF bytes (decrypted) ride along in ``extra`` for the PDF/A writer."""
    import pypdfium2 as pdfium

    pdf, data, cut = _open(path)
    n = len(pdf.pages)
    if n > limits.max_pages:
        raise OcrError("too_many_pages", f"{n} > {limits.max_pages}")
    try:
        texts = _text_layers(pdf, n)
    except Exception:  # a broken text layer is no reason to refuse the scan
        texts = [""] * n
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise OcrError("damaged", str(exc)) from exc
    pages = []
    for i, page in enumerate(pdf.pages):
        native = _native_dpi(page)
        text = texts[i] if i < len(texts) else ""
        good = text_layer_is_good(text)
        dpi = float(limits.max_render_dpi) if native is None else max(limits.min_dpi, min(native, 300.0))
        box = page.mediabox
        w_px, h_px = (round(float(v) / 72 * dpi) for v in (box[2] - box[0], box[3] - box[1]))
        check_pixels(w_px, h_px, limits)
        pages.append(
            PageSource(
                number=i + 1,
                native_dpi=native or dpi,
                render_dpi=dpi,
                load=_renderer(doc, i, dpi),
                text_layer=text,
                pdf_index=i,
                keep_vector=good and native is None and fonts_embedded(page),
                extra={"pdf_bytes": data, "text_good": good, "graft": _graftable(page, native, text, limits)},
            )
        )
    pdf.close()
    if cut and pages:  # what came after the cut is lost: the officer is told on the last page
        pages[-1].extra["truncated"] = True
    return pages


def _graftable(page: pikepdf.Page, native: float | None, text: str, limits: Limits) -> bool:
    """A scan page that can go into the PDF/A as it is: an image of enough resolution, no text of its
    own (a lying layer must not survive), upright, with its box at the origin."""
    box = [float(v) for v in page.mediabox]
    return (
        native is not None
        and native >= limits.min_dpi - 0.5
        and not text.strip()
        and int(page.obj.get("/Rotate", 0)) % 360 == 0
        and box[0] == 0
        and box[1] == 0
    )


def _renderer(doc, index: int, dpi: float):
    def load():
        with PDFIUM_LOCK:
            bitmap = doc[index].render(scale=dpi / 72)
            img = bitmap.to_pil()
        return normalise_image(img)

    return load
