"""XFA forms. A dynamic XFA form keeps its content in the form data and shows, on its pages, only
"Please wait..." for viewers that cannot run it: archiving those pages would archive nothing. Such a
form is refused, and the officer asks for the filled form printed and scanned, or exported (printed
to PDF). A static XFA form carries its pages like any PDF; its scripts count as active content.
"""

from __future__ import annotations

import zlib

import pikepdf

# What Adobe's and other form designers put on the pages of a dynamic form.
PLACEHOLDERS = (
    "please wait",
    "if this message is not eventually replaced",
    "to view the full contents of this document",
    "this document requires",
)
MAX_XFA_BYTES = 16 * 1024 * 1024
PAGES_LOOKED_AT = 5


def _xfa_streams(xfa: pikepdf.Object | None) -> list[pikepdf.Stream]:
    """The XFA packets: one stream, or an array of name, stream, name, stream..."""
    if isinstance(xfa, pikepdf.Stream):
        return [xfa]
    if isinstance(xfa, pikepdf.Array):
        return [item for item in xfa if isinstance(item, pikepdf.Stream)]
    return []


def _bounded_bytes(stream: pikepdf.Stream, budget: int) -> bytes:
    """The packet's XML, inflated at most ``budget`` bytes (a form must not be a zip bomb)."""
    raw = stream.read_raw_bytes()
    if stream.get("/Filter") != pikepdf.Name.FlateDecode:
        return raw[:budget]
    try:
        return zlib.decompressobj().decompress(raw, budget)
    except zlib.error:
        return b""


def xfa_has_script(pdf: pikepdf.Pdf) -> bool:
    """True when the XFA template carries scripts (JavaScript or FormCalc)."""
    acro = pdf.Root.get("/AcroForm")
    budget = MAX_XFA_BYTES
    for stream in _xfa_streams(acro.get("/XFA") if acro is not None else None):
        data = _bounded_bytes(stream, budget)
        budget -= len(data)
        if b"<script" in data.lower():
            return True
        if budget <= 0:
            break
    return False


def _pages_show_nothing(pdf_bytes: bytes) -> bool:
    """The first pages draw nothing, or only a viewer's 'please wait' placeholder."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError:
        return False  # cannot tell here; rendering decides whether anything is readable
    try:
        for i in range(min(len(doc), PAGES_LOOKED_AT)):
            page = doc[i]
            text = page.get_textpage().get_text_range().lower()
            if any(p in text for p in PLACEHOLDERS):
                return True
            if next(page.get_objects(), None) is not None:
                return False
        return True
    finally:
        doc.close()


def xfa_kind(pdf: pikepdf.Pdf, pdf_bytes: bytes) -> str:
    """'' without XFA, 'dynamic' when the pages do not carry the form, else 'static'."""
    acro = pdf.Root.get("/AcroForm")
    if not isinstance(acro, pikepdf.Dictionary) or "/XFA" not in acro:
        return ""
    if bool(pdf.Root.get("/NeedsRendering", False)) or _pages_show_nothing(pdf_bytes):
        return "dynamic"
    return "static"
