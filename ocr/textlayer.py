"""Read the text layer of a PDF (pdfplumber) and judge whether it can be trusted."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber

_CID = re.compile(r"\(cid:\d+\)")


def page_texts(pdf: str | Path) -> list[str]:
    """Text of every page, in NFC, in page order."""
    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages:
            text = page.extract_text() or ""
            out.append(unicodedata.normalize("NFC", text))
            page.flush_cache()
    return out


def text_layer_is_good(text: str, min_chars: int = 40) -> bool:
    """A text layer worth keeping: enough letters, no (cid:N) junk, few replacement characters."""
    if len(text.strip()) < min_chars or _CID.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    bad = text.count("\ufffd") + sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn"))
    return letters / max(1, len(text)) > 0.5 and bad / max(1, len(text)) < 0.01
