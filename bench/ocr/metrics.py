"""Character and word error rates (Levenshtein, rapidfuzz), with and without Vietnamese diacritics."""

from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    """NFC, whitespace collapsed to single spaces (line breaks are layout, not content)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese marks; đ/Đ fold to d/D explicitly (they are letters, not marks)."""
    nfd = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    return out.replace("đ", "d").replace("Đ", "D")


def cer(truth: str, hyp: str) -> float:
    """Character error rate: edits / characters of the truth."""
    t, h = normalise(truth), normalise(hyp)
    return Levenshtein.distance(t, h) / max(1, len(t))


def wer(truth: str, hyp: str) -> float:
    """Word error rate: word edits / words of the truth."""
    t, h = normalise(truth).split(), normalise(hyp).split()
    return Levenshtein.distance(t, h) / max(1, len(t))


def cer_no_diacritics(truth: str, hyp: str) -> float:
    """CER after stripping diacritics from both sides."""
    return cer(strip_diacritics(normalise(truth)), strip_diacritics(normalise(hyp)))
