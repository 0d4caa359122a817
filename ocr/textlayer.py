"""Read the text layer of a PDF (pdfplumber) and judge whether it can be trusted.

A text layer can lie: ``(cid:N)`` junk from fonts without a ToUnicode map, mojibake from legacy Vietnamese
encodings (TCVN3, VNI) or UTF-8 read as Latin-1. Such pages are OCR'd like scans.
"""

from __future__ import annotations

import io
import re
import string
import unicodedata
from pathlib import Path

import pdfplumber

_CID = re.compile(r"\(cid:\d+\)")
_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_OK_PUNCT = set(string.punctuation + string.whitespace + "–—‘’“”…•°§№")


def page_texts(pdf: str | Path | io.BytesIO) -> list[str]:
    """Text of every page, in NFC, in page order."""
    out = []
    with pdfplumber.open(pdf if isinstance(pdf, io.BytesIO) else str(pdf)) as doc:
        for page in doc.pages:
            text = page.extract_text() or ""
            out.append(unicodedata.normalize("NFC", text))
            page.flush_cache()
    return out


def is_vietnamese_char(ch: str) -> bool:
    """A character Vietnamese text is made of: ASCII, đ/Đ, or a Latin letter with Vietnamese marks only."""
    if ch.isascii() or ch in "đĐ" or ch in _OK_PUNCT:
        return True
    if not ch.isalpha():
        return unicodedata.category(ch) in ("Nd", "Zs", "Pd", "Pi", "Pf", "Sc")
    base, *marks = list(unicodedata.normalize("NFD", ch))
    return base.isascii() and len(marks) <= 2 and all(m in _VI_MARKS for m in marks)


def text_layer_is_good(text: str, min_chars: int = 40) -> bool:
    """A text layer worth keeping: enough letters, no (cid:N) junk, no mojibake, few odd characters."""
    if len(text.strip()) < min_chars or _CID.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    odd = sum(not is_vietnamese_char(ch) for ch in text)
    bad = text.count("\ufffd") + sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn"))
    n = max(1, len(text))
    return letters / n > 0.5 and bad / n < 0.01 and odd / n < 0.02
