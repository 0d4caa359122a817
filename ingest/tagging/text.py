"""Text helpers shared by the field extractors: cleaning, OCR-tolerant folding, fuzzy search.

Every folding here keeps the string's length, one character for one, so a match found in the
folded text is cut from the original at the same offsets (diacritics and case preserved).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Look-alikes Tesseract puts for Vietnamese letters: Icelandic eth for Đ, various dashes and spaces.
_CLEAN = str.maketrans(
    {
        "\u00d0": "Đ",
        "\u00f0": "đ",
        "\u0189": "Đ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\ufb01": "fi",
        "\ufb02": "fl",
    }
)
# Characters OCR swaps for each other; the skeleton maps each class onto one letter.
_SKELETON = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "j": "l", "y": "y"})
# Inside a number: letters OCR reads for digits.
_DIGITS = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "l": "1",
        "I": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "L": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "g": "9",
        "u": "0",
        "U": "0",
    }
)
SPACES = re.compile(r"[ \t]+")


def clean(text: str) -> str:
    """NFC, OCR look-alikes mapped to the real letters, runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_CLEAN)
    return SPACES.sub(" ", text).strip()


def fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if base else ch


def fold(text: str) -> str:
    """Lower case without diacritics, ``đ`` -> ``d``; same length as ``text``."""
    return "".join(fold_char(ch) for ch in text)


def skeleton(text: str) -> str:
    """``fold`` with OCR-confusable characters merged (0/o, 1/l/i); same length as ``text``."""
    return fold(text).translate(_SKELETON)


def fix_digits(token: str) -> str:
    """Read letters OCR put for digits back as digits (``l748`` -> ``1748``, ``2O23`` -> ``2023``)."""
    return token.translate(_DIGITS)


def upper_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0


def letter_count(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


@dataclass(frozen=True)
class Line:
    """One OCR line with where it was found (1-based page and line numbers)."""

    page: int
    no: int
    text: str

    @property
    def blank(self) -> bool:
        return letter_count(self.text) + sum(ch.isdigit() for ch in self.text) == 0


def to_lines(pages: list[str]) -> list[Line]:
    """All lines of all pages, cleaned, blank ones kept (they separate paragraphs)."""
    return [
        Line(p, n, clean(raw))
        for p, page in enumerate(pages, 1)
        for n, raw in enumerate(page.splitlines(), 1)
    ]


def fuzzy_find(text: str, pattern: str, max_errors: int) -> tuple[int, int, int] | None:
    """Best approximate occurrence of ``pattern`` in ``text`` ignoring spaces (Sellers' algorithm).

    Both are compared as skeletons; returns ``(start, end, errors)`` as offsets into ``text``, or None
    when every occurrence needs more than ``max_errors`` edits. Spaces are ignored because OCR both
    drops them (``DÂNCỘNG``) and inserts them (``H ÒA``).
    """
    skel = skeleton(text)
    idx = [i for i, ch in enumerate(skel) if not ch.isspace()]
    t = "".join(skel[i] for i in idx)
    p = skeleton(pattern).replace(" ", "")
    if not t or not p:
        return None
    m = len(p)
    # col[j] = (errors, start) of the best match of p[:j] ending at the current text position.
    prev = [(j, 0) for j in range(m + 1)]
    best: tuple[int, int, int] | None = None
    for i, ch in enumerate(t, 1):
        cur = [(0, i)]
        for j in range(1, m + 1):
            sub = (prev[j - 1][0] + (p[j - 1] != ch), prev[j - 1][1])
            dele = (prev[j][0] + 1, prev[j][1])
            ins = (cur[j - 1][0] + 1, cur[j - 1][1])
            cur.append(min(sub, dele, ins))
        err, start = cur[m]
        if err <= max_errors and (best is None or err < best[2]):
            best = (start, i, err)
        prev = cur
    if best is None:
        return None
    start, end, err = best
    return idx[start] if start < len(idx) else idx[-1], idx[end - 1] + 1, err


def remove_span(text: str, start: int, end: int) -> str:
    """``text`` without ``[start:end]``, keeping a space where the pieces meet."""
    return SPACES.sub(" ", f"{text[:start]} {text[end:]}").strip()


# A Vietnamese syllable, folded (ư/ơ/ô -> u/o, so "ươ" reads "uo"): onset, vowel nucleus, coda.
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(uye|uya|uyu|uoi|uou|oai|oay|oao|oeo|uay|uoi|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy"
    r"|ya|ye|a|e|i|o|u|y)"
    r"(ch|ng|nh|[cmnpt])?$"
)


def is_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) can be one Vietnamese syllable: ``SỞN`` yes, ``TEEN``/``SH`` no."""
    return bool(_SYLLABLE.match(fold(word)))
