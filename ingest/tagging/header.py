"""The header of page 1: organ block (left) and national motto with place-date (right).

Tesseract reads the two columns as one merged line each, or as two blocks in either order. Rather
than trusting any order, every header line has the right column's known parts cut out (motto, slogan,
date line) and the number line; what is left in capitals is the organ, in reading order.
"""

from __future__ import annotations

import re

from ingest.tagging.place_date import DATE_RE, place_before
from ingest.tagging.text import Line, fold, fuzzy_find, letter_count, remove_span, upper_ratio

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
_NUMBER = re.compile(
    r"(?:^|\s)s[o06g]\s*[:;.,]\s*[0-9oil|]{0,5}\s*(?:/\s*\S*)?|(?:^|\s)s[o0]\s+[0-9oil|]{1,5}\s*/\s*\S*"
)
_VV = re.compile(r"^\s*v\s*[/l1|]\s*[vy]\b\.?", re.IGNORECASE)


def strip_right_column(text: str) -> str:
    """``text`` without the motto, the slogan and a place-date line (OCR-tolerant)."""
    for phrase, errors in ((MOTTO, 4), (SLOGAN, 4)):
        hit = fuzzy_find(text, phrase, errors)
        if hit:
            text = remove_span(text, hit[0], hit[1])
    m = DATE_RE.search(fold(text))
    if m and upper_ratio(text[m.start() : m.end()]) < 0.8:  # "NGÀY 15 THÁNG 8" in a trích yếu stays
        # The place before ", ngày" belongs to the date line too; a notation before it does not.
        place, _ = place_before(text, m.start())
        start = text.rfind(place, 0, m.start()) if place else m.start()
        text = remove_span(text, start, m.end())
    return text


def strip_number(text: str) -> str:
    """``text`` without a ``Số: 12/QĐ-UBND`` part (matched on the folded text, cut from the original)."""
    m = _NUMBER.search(fold(text))
    return remove_span(text, m.start(), m.end()) if m else text


def is_separator(text: str) -> bool:
    return letter_count(text) < 2


def organ_chunks(lines: list[Line]) -> list[tuple[str, Line]]:
    """Capitalised left-column text of the header lines, in order, with where each was found."""
    chunks: list[tuple[str, Line]] = []
    for line in lines:
        if chunks and _NUMBER.search(fold(line.text)):
            break  # no organ line comes after "Số: ..." (V/v lines in capitals do)
        rest = strip_number(strip_right_column(line.text))
        rest = re.sub(r"^[\W_]+|[\W_]+$", "", rest)
        if letter_count(rest) < 3 or upper_ratio(rest) < 0.8 or _VV.match(rest):
            continue
        chunks.append((rest, line))
    return chunks


def is_vv(text: str) -> bool:
    """A công văn's trích yếu starts with ``V/v`` (read ``V/y``, ``V1v`` ... by OCR)."""
    return bool(_VV.match(strip_number(text)))


def vv_subject(lines: list[Line], start: int) -> tuple[list[str], list[Line]]:
    """``V/v ...`` and its continuation lines (left column), stopping at a blank line or ``Kính gửi``."""
    first = strip_right_column(strip_number(lines[start].text))
    texts, used = [first], [lines[start]]
    for line in lines[start + 1 : start + 6]:
        if line.blank or fold(line.text).startswith(("kinh gui", "can cu", "thuc hien")):
            break
        rest = strip_right_column(line.text)
        if not rest or (upper_ratio(rest) > 0.8 and not re.search(r"\d+/", rest)):
            break  # capitals end it, a cited notation ("136/2025/NĐ-CP") does not
        texts.append(rest)
        used.append(line)
    return texts, used
