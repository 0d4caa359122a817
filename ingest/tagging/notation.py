"""Number and notation (số, ký hiệu): ``Số: 1748/QĐ-UBND``, ``107/2021/NĐ-CP``, ``345/UBND-KT``.

OCR damage handled: ``Số`` without its accents, ``l748`` for ``1748``, ``QD``/``OĐ``/``QĐÐ`` for ``QĐ``,
``2O21`` for ``2021``, a year run into the type (``2O25QĐ``), spaces around the slashes, the right header column run into the notation.
"""

from __future__ import annotations

import re

from ingest.tagging.text import Line, fix_digits, fold

# Decree 30/2020 Annex III abbreviations of document types -> type names.
TYPE_ABBREVIATIONS = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "GCN": "Giấy chứng nhận",
    "GP": "Giấy phép",
    "GPXD": "Giấy phép",
    "L": "Luật",
}
_SO = re.compile(r"(?:^|[^a-z])s[o06g]\s*[:;.,]?\s*(?=[0-9oil|]{1,5}\s*/)")  # "S6:", "SG:" from OCR
_TOKEN = re.compile(r"([0-9OoIl|]{1,5})\s*/\s*([^\s,;]+(?:\s*[/-]\s*[^\s,;]+)*)")
_YEAR = re.compile(r"^[0-9OoIl|]{4}$")


def _fix_letters(seg: str) -> str:
    """A letter segment of the notation: eth to Đ, doubled Đ from OCR, digits read as letters."""
    seg = seg.replace("Ð", "Đ").replace("ĐĐ", "Đ")
    return seg.replace("0", "O") if any(ch.isalpha() for ch in seg) else seg


CONFUSED = {("O", "Q"), ("0", "Q"), ("D", "Đ"), ("Q", "O"), ("l", "I"), ("1", "I"), ("I", "T"), ("B", "Đ")}


def _fix_abbreviation(seg: str) -> tuple[str, bool]:
    """Snap a near miss (``QD``, ``OĐ``) onto the one Annex III abbreviation it can be: same length,
    one letter off, and that letter a known OCR confusion."""
    if seg in TYPE_ABBREVIATIONS:
        return seg, False
    near = []
    for abbr in TYPE_ABBREVIATIONS:
        if len(abbr) != len(seg):
            continue
        diff = [(x, y) for x, y in zip(seg, abbr, strict=True) if x != y]
        if len(diff) == 1 and diff[0] in CONFUSED:
            near.append(abbr)
    return (near[0], True) if len(near) == 1 else (seg, False)


# Organ and type abbreviations written with a small letter (Thủ tướng: TTg, Tờ trình: TTr).
MIXED_CASE_ENDINGS = ("-TTg", "-TTr", "/TTr", "-CTr", "/CTr", "-QyĐ")


def _cut_merged(notation: str) -> str:
    """Cut the place of the right column run into the notation (``UBND-NBHà`` -> ``UBND-NB``)."""
    if notation.endswith(MIXED_CASE_ENDINGS):
        return notation
    for i in range(2, len(notation)):
        if notation[i].islower() and notation[i - 1].isupper() and notation[i - 2].isupper():
            j = i
            while j < len(notation) and notation[j].islower():
                j += 1
            if j - i >= 2 or j == len(notation) or notation[j] == " ":
                return notation[: i - 1]
    return notation


# ``2O25QĐ-CTUBND``: the year run into the type with its slash lost.
_YEAR_RUN_ON = re.compile(r"^([0-9OoIl|]{4})(?=[A-ZĐ])")


def _restore_year_slash(m: re.Match[str]) -> str:
    year = fix_digits(m.group(1))
    return f"{year}/" if year.startswith(("19", "20")) else m.group(1)


def parse_notation(raw: str) -> tuple[str, float]:
    """Clean ``1748 / QĐ-UBND`` into ``1748/QĐ-UBND``; returns the notation and a confidence."""
    m = _TOKEN.match(raw.strip())
    if not m:
        return "", 0.0
    number = fix_digits(m.group(1))
    rest = _cut_merged(re.sub(r"\s*([/-])\s*", r"\1", m.group(2))).strip(".:;,_-~'\"")
    repaired = number != m.group(1)
    unslashed, rest = rest, _YEAR_RUN_ON.sub(_restore_year_slash, rest, count=1)
    repaired |= rest != unslashed
    parts = re.split(r"([/-])", rest)
    out, seen_type = [], False
    for part in parts:
        if part in "/-":
            out.append(part)
            continue
        if _YEAR.match(part):
            fixed = fix_digits(part)
            repaired |= fixed != part
            out.append(fixed)
            continue
        fixed = _fix_letters(part)
        if not seen_type and fixed:
            fixed, snapped = _fix_abbreviation(fixed)
            seen_type = True
            repaired |= snapped
        repaired |= fixed != part
        out.append(fixed)
    notation = f"{number}/{''.join(out)}".strip("/-")
    if not re.search(r"[A-ZĐ]", notation):
        return "", 0.0
    return notation, 0.8 if repaired else 0.95


def _capital_so(text: str, folded: str, m: re.Match[str]) -> bool:
    k = folded.index("s", m.start())
    return text[k] == "S"


def find_number(lines: list[Line], limit: int) -> tuple[str, float, Line | None]:
    """The first ``Số: ...`` among the first ``limit`` lines of page 1 (header or under the title)."""
    for line in lines:
        if line.page != 1 or line.no > limit:
            break
        folded = fold(line.text)
        m = _SO.search(folded)
        # The header writes "Số:" with a capital; "số 61/2018/NĐ-CP" in a sentence is a citation.
        if not m or not _capital_so(line.text, folded, m):
            continue
        notation, conf = parse_notation(line.text[m.end() :])
        if notation:
            return notation, conf, line
    return "", 0.0, None


def type_from_notation(notation: str) -> str:
    """Type name implied by the notation's abbreviation (``1748/QĐ-UBND`` -> Quyết định)."""
    for part in re.split(r"[/-]", notation)[1:]:
        if part in TYPE_ABBREVIATIONS:
            return TYPE_ABBREVIATIONS[part]
        if not part.isdigit():
            return ""  # the first letter segment is the organ: a công văn
    return ""
