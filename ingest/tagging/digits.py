"""A second opinion on long digit runs (ID numbers, tax codes, phones) from Tesseract's English model.

Measured on the bench: Tesseract's ``vie`` model misreads digits of some serif fonts on clean scans
(``079172055791`` read ``070172055701``) where ``eng`` reads them right, while ``vie+eng`` for the
whole page spoils Vietnamese names. So the page is OCR'd once more with ``eng`` and each identifier-
like run of the ``vie`` text (9 to 13 digits) is replaced by the ``eng`` run of the same length that
differs in at most two digits; runs with no such partner, or with two, are left alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from ingest.tagging.text import fix_digits

_RUN = re.compile(r"(?<![\w/.])([0-9OoIl|]{2,}(?:[ .\-][0-9OoIl|]{2,})*)(?![\w/])")
MIN_DIGITS, MAX_DIGITS, MAX_DIFF = 9, 13, 2  # 3+ let a wrong eng run replace a right vie one


def digit_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of identifier-like runs in ``text`` (OCR letters read as digits)."""
    out = []
    for m in _RUN.finditer(text):
        digits = fix_digits(re.sub(r"[ .\-]", "", m.group(1)))
        if digits.isdigit() and MIN_DIGITS <= len(digits) <= MAX_DIGITS:
            out.append((m.start(1), m.end(1), digits))
    return out


def _partner(digits: str, others: list[str]) -> str | None:
    """The one run of ``others`` with the same length within ``MAX_DIFF`` digits of ``digits``."""
    best: list[tuple[int, str]] = []
    for other in others:
        if len(other) == len(digits):
            diff = sum(a != b for a, b in zip(digits, other, strict=True))
            if diff <= MAX_DIFF:
                best.append((diff, other))
    best.sort()
    if not best or (len(best) > 1 and best[0][0] == best[1][0] and best[0][1] != best[1][1]):
        return None
    return best[0][1]


def reconcile(text: str, second: str) -> str:
    """``text`` with its identifier-like digit runs corrected from ``second`` (see module doc)."""
    others = [d for _, _, d in digit_runs(second)]
    out = text
    for start, end, digits in sorted(digit_runs(text), reverse=True):
        partner = _partner(digits, others)
        if partner is None or partner == digits:
            continue
        raw, it = out[start:end], iter(partner)
        # Keep the printed grouping ("0912 345 678"): substitute the digits one by one.
        fixed = "".join(next(it) if ch not in " .-" else ch for ch in raw)
        out = out[:start] + fixed + out[end:]
    return out


def needs_second_opinion(text: str) -> bool:
    return bool(digit_runs(text))


def reread_digits(image: Any, text: str, *, dpi: int = 300, lang: str = "eng") -> str:
    """``text`` (the page's ``vie`` OCR) with digit runs checked against an ``eng`` reading of ``image``
    (a PIL image or a path). Pages without identifier-like runs are returned as they are, unread."""
    if not needs_second_opinion(text):
        return text
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    second = pytesseract.image_to_string(image, lang=lang, config=f"--psm 3 --dpi {dpi}")
    return reconcile(text, second)


def page_images(path: str | Path, pages: list[str]) -> tuple[list[Any], int]:
    """The file's page images (PDF pages with identifier-like digits rendered at 300 dpi, others None)
    and their dpi. PDFs are told by their first bytes: spooled files may have no suffix."""
    from PIL import Image, ImageSequence

    path = Path(path)
    with path.open("rb") as fh:
        is_pdf = fh.read(5) == b"%PDF-"
    if is_pdf:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            return [
                pdf.pages[i].to_image(resolution=300).original if needs_second_opinion(t) else None
                for i, t in enumerate(pages[: len(pdf.pages)])
            ], 300
    with Image.open(path) as img:
        frames = [f.copy() for f in ImageSequence.Iterator(img)]
    return frames, int((frames[0].info.get("dpi") or (300, 300))[0]) or 300


def recheck_file(src: str, pages: list[str], ocr_pages: list[bool] | None = None) -> list[str]:
    """``pages`` (the ``vie`` text of each page of ``src``) with their digit runs re-read with ``eng``;
    only OCR'd pages (``ocr_pages``) with identifier-like runs are read again. Module-level so the
    ingest pipeline can run it in its sandbox, as it runs the OCR."""
    wanted = [t if (ocr_pages is None or ocr_pages[i]) else "" for i, t in enumerate(pages)]
    if not any(needs_second_opinion(t) for t in wanted):
        return pages
    images, dpi = page_images(src, wanted)
    if len(images) != len(pages):
        return pages
    return [
        reread_digits(img, t, dpi=dpi) if img is not None and needs_second_opinion(w) else t
        for img, t, w in zip(images, pages, wanted, strict=True)
    ]
