"""Identifiers in the text: citizen IDs (CCCD 12 digits, CMND 9), tax codes (python-stdnum ``vn.mst``),
procedure codes (``1.011442.000.00.00.H38``) and phone numbers.

A run of digits is classified by its length, its check digit or structure, and the words before it
on the same line (``CCCD``, ``MST``, ``Điện thoại``). OCR letters inside digit runs are read back.
"""

from __future__ import annotations

import re

from stdnum.vn import mst

from ingest.tagging.result import Identifier
from ingest.tagging.text import Line, fix_digits, fold

# Province codes of the CCCD (Circular 59/2021/TT-BCA), the first three digits.
CCCD_PROVINCES = {
    f"{n:03d}"
    for n in (
        1,
        2,
        4,
        6,
        8,
        10,
        11,
        12,
        14,
        15,
        17,
        19,
        20,
        22,
        24,
        25,
        26,
        27,
        30,
        31,
        33,
        34,
        35,
        36,
        37,
        38,
        40,
        42,
        44,
        45,
        46,
        48,
        49,
        51,
        52,
        54,
        56,
        58,
        60,
        62,
        64,
        66,
        67,
        68,
        70,
        72,
        74,
        75,
        77,
        79,
        80,
        82,
        83,
        84,
        86,
        87,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
    )
}
MOBILE_PREFIXES = (
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "052",
    "055",
    "056",
    "058",
    "059",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "087",
    "088",
    "089",
    "090",
    "091",
    "092",
    "093",
    "094",
    "096",
    "097",
    "098",
    "099",
)
_D = r"[0-9OoIl|]"
PROCEDURE_RE = re.compile(
    rf"(?<![\d.])([123])\s?\.\s?({_D}{{6}})\s?\.\s?({_D}{{3}})\s?\.\s?({_D}{{2}})\s?\.\s?"
    rf"({_D}{{2}})\s?\.\s?([A-Z])\s?({_D}{{2}})(?![\d])"
)
# Digit runs, possibly grouped by spaces, dots or a dash (phones "0912 345 678", branch tax codes).
RUN_RE = re.compile(rf"(?<![\w/.])(?=[0-9OoIl|]*\d)({_D}{{2,}}(?:[ .\-]{_D}{{2,}})*)(?![\w/])")
CONTEXT = {
    "cccd": ("cccd", "can cuoc", "dinh danh"),
    "cmnd": ("cmnd", "chung minh"),
    "tax_code": ("ma so thue", "mst", "ma so doanh nghiep", "ma so ho kinh doanh", "ma so thu"),
    "phone": ("dien thoai", "dt", "sdt", "tel", "di dong", "hotline", "so dt", "lien he", "dtdd"),
}


def _context(line_fold: str, start: int) -> set[str]:
    before = line_fold[max(0, start - 40) : start]
    return {
        kind
        for kind, words in CONTEXT.items()
        if any(re.search(rf"\b{re.escape(w)}\b", before) for w in words)
    }


def classify(digits: str, context: set[str], raw: str) -> tuple[str, str, float] | None:
    """(kind, normalised value, confidence) for a digit string, or None if it is none of ours."""
    n = len(digits)
    if n == 12 and digits[:3] in CCCD_PROVINCES and "-" not in raw:
        return "cccd", digits, 0.95 if "cccd" in context else 0.8
    if n == 9 and "-" not in raw and (" " not in raw or "cmnd" in context):
        return "cmnd", digits, 0.9 if "cmnd" in context else 0.5
    if n == 13 and mst.is_valid(digits):
        return "tax_code", f"{digits[:10]}-{digits[10:]}", 0.95
    if n == 10:
        is_phone = digits.startswith(MOBILE_PREFIXES)
        is_tax = mst.is_valid(digits)
        if "phone" in context and is_phone:
            return "phone", digits, 0.95
        if "tax_code" in context and is_tax:
            return "tax_code", digits, 0.95
        if is_phone and not is_tax:
            return "phone", digits, 0.75
        if is_tax and not is_phone:
            return "tax_code", digits, 0.7
        if is_phone:
            return "phone", digits, 0.5
    if n == 11 and digits.startswith("02"):
        return "phone", digits, 0.85 if "phone" in context else 0.6  # landline: 02xx area code + 8 digits
    return None


def _runs(text: str) -> list[tuple[int, str, str]]:
    """(start, raw, digits) of candidate digit runs, with OCR letters read as digits."""
    out = []
    for m in RUN_RE.finditer(text):
        raw = m.group(1).strip(" .-")
        digits = fix_digits(re.sub(r"[ .\-]", "", raw))
        if digits.isdigit() and sum(ch.isdigit() for ch in raw) >= 0.7 * len(digits):
            out.append((m.start(1), raw, digits))
    return out


def find_identifiers(lines: list[Line]) -> list[Identifier]:
    """Every identifier in ``lines``, once per (kind, value), at its first occurrence."""
    found: dict[tuple[str, str], Identifier] = {}
    for line in lines:
        text = line.text
        for m in PROCEDURE_RE.finditer(text):
            code = ".".join(
                [m.group(1), *(fix_digits(g) for g in m.groups()[1:5]), m.group(6) + fix_digits(m.group(7))]
            )
            found.setdefault(
                ("procedure_code", code), Identifier(code, 0.95, line.page, line.no, "procedure_code")
            )
        text = PROCEDURE_RE.sub(" ", text)
        folded = fold(text)
        for start, raw, digits in _runs(text):
            hit = classify(digits, _context(folded, start), raw)
            if not hit and " " in raw:
                # Spaces may join two separate numbers: try each group alone.
                hits = [classify(fix_digits(g), _context(folded, start), g) for g in raw.split()]
                hit = next((h for h in hits if h), None)
            if hit:
                kind, value, conf = hit
                found.setdefault((kind, value), Identifier(value, conf, line.page, line.no, kind))
    return list(found.values())
