"""Vietnamese text helpers: NFC normalisation, diacritic folding and tokenising.

Folding is done character by character so the folded text has exactly the length of the
NFC text: offsets found in the folded text are valid in the original (used for highlights).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[^\W_]+")
# Tantivy's default tokenizer drops tokens longer than this; we do the same on the query side.
MAX_TOKEN_LEN = 40


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form everything is stored and indexed in."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1EFA):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    return table


def fold(text: str) -> str:
    """Strip Vietnamese diacritics (and đ -> d) keeping the length of the NFC text."""
    return nfc(text).translate(_fold_table())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens as the index sees them."""
    return [t for t in _TOKEN.findall(nfc(text).lower()) if len(t) <= MAX_TOKEN_LEN]


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each token in ``text``."""
    return [m.span() for m in _TOKEN.finditer(text) if m.end() - m.start() <= MAX_TOKEN_LEN]


def has_diacritics(text: str) -> bool:
    return fold(text) != nfc(text)
