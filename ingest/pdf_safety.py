"""Active content in PDFs: JavaScript, launch and other dangerous actions, embedded files, rich
media (XFA forms: ``ingest.pdf_forms``; their scripts count as active content). Such files are quarantined (kept aside, never archived or served inline).

The walk visits each object once and never decodes a stream, so a hostile file cannot make it
allocate much; it still runs inside the resource-limited sandbox with the OCR.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from ocr.pdfcost import inflated_size

DANGEROUS_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/RichMediaExecute",
    "/GoToE",
    "/Sound",
    "/Movie",
    "/Rendition",
}
DANGEROUS_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/EmbeddedFiles": "embedded_file",
    "/EmbeddedFile": "embedded_file",
    "/RichMedia": "rich_media",
    "/RichMediaContent": "rich_media",
}
MAX_OBJECTS = 2_000_000
MAX_DEPTH = 64


def _findings_in(obj: pikepdf.Dictionary | pikepdf.Stream) -> set[str]:
    found = set()
    for key in obj.keys():  # noqa: SIM118 - a pikepdf Stream iterates its bytes, not its keys
        if key in DANGEROUS_KEYS:
            found.add(DANGEROUS_KEYS[key])
    action = obj.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in DANGEROUS_ACTIONS:
        found.add(str(action)[1:].lower())
    subtype = obj.get("/Subtype")
    if isinstance(subtype, pikepdf.Name) and str(subtype) in ("/FileAttachment", "/RichMedia", "/Screen"):
        found.add("embedded_file" if str(subtype) == "/FileAttachment" else "rich_media")
    return found


def _walk_direct(obj: pikepdf.Object, depth: int = 0) -> set[str]:
    """Findings in ``obj`` and the direct objects nested in it (indirect ones are visited on
    their own by the caller, so nothing is visited twice and cycles cannot loop)."""
    if depth > MAX_DEPTH:
        return set()
    found: set[str] = set()
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        found |= _findings_in(obj)
        children = [obj.get(k) for k in obj.keys()]  # noqa: SIM118
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return found
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
            found |= _walk_direct(child, depth + 1)
    return found


class PdfRefused(Exception):
    """A PDF refused before rendering; ``code`` and ``message`` as for every refusal."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def check_decoded_size(path: str | Path, cap: int) -> None:
    """Refuse a PDF whose Flate streams together inflate past ``cap`` bytes (a 1 MB file can
    inflate to 1 GB). Images in other codecs are bounded by the pixel limit instead."""
    total = 0
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream) or obj.get("/Filter") != pikepdf.Name.FlateDecode:
                continue
            total += inflated_size(obj.read_raw_bytes(), cap - total)
            if total > cap:
                raise PdfRefused(
                    "decoded_too_large",
                    f"Tệp PDF giải nén ra quá lớn (hơn {cap // 1_000_000} MB): có thể là bom giải nén.",
                )


def active_content(path: str | Path, password: str = "") -> list[str]:
    """Kinds of active content found in the PDF (empty when it is inert)."""
    found: set[str] = set()
    with pikepdf.open(path, password=password) as pdf:
        for count, obj in enumerate(pdf.objects):
            if count > MAX_OBJECTS:
                found.add("too_many_objects")
                break
            try:
                found |= _walk_direct(obj)
            except (pikepdf.PdfError, ValueError, TypeError):
                continue
    return sorted(found)
