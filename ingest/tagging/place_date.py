"""Place and issued date: ``Đồng Nai, ngày 25 tháng 7 năm 2023`` -> ("Đồng Nai", 2023-07-25).

The date line sits in the right header column (or above the signature in citizens' forms). Dates
cited in the body (``Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018``) have no ``<place>,``
before them, which is what tells them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.tagging.text import Line, fix_digits, fold, letter_count

_NUM = r"[0-9oilszu|]"  # folded: Ủ/U for 0 seen too
# On folded text. "ngày/tháng/năm" lose or gain a letter under OCR, hence the slack.
DATE_RE = re.compile(
    rf"(?:ng\w{{0,2}}y|[a-z]{{2,5}})[\s\-.,:]*({_NUM}{{1,2}})\s*[,.]?\s*th\w{{0,2}}ng\s*({_NUM}{{1,2}})[\s\-.,]*"
    rf"n\w{{0,2}}m[\s\-.,:]*({_NUM}{{4}})"
)
NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?!\d)")
# "Hôm nay, ngày ..." and similar openings of minutes are not places.
NOT_PLACES = {"hom nay", "vao hoi", "vao ngay", "tu ngay", "den ngay", "ke tu", "cap"}
_PLACE_PREFIX = re.compile(r"^.*?(?:[A-ZĐ]{2,}[-/][\w.Đđ-]*|\S*\d\S*|:)\s+")


@dataclass
class DateHit:
    """A date line found in the text."""

    place: str
    issued: date | None  # None: the line is there but OCR made the date impossible (month 13)
    line: Line
    place_quality: float  # 0..1, how much the place looks like one
    today: bool = False  # "Hôm nay, ngày ...": the opening of minutes (biên bản), dated but placeless


def _to_date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(fix_digits(y)), int(fix_digits(m)), int(fix_digits(d)))
    except ValueError:
        return None


def place_before(text: str, start: int) -> tuple[str, float]:
    """The place written before ``, ngày``: the last capitalised words before the comma."""
    before = text[:start].rstrip()
    if not before.endswith((",", ".")):
        return "", 0.0
    chunk = before[:-1].strip()
    # A merged header line carries "Số: 12/QĐ-UBND" (or the motto) before the place: drop it.
    chunk = _PLACE_PREFIX.sub("", chunk) if re.search(r"\d|:|/", chunk) else chunk
    words = chunk.split()[-6:]
    # A motto or organ in capitals run into the place ("... VIỆT NAM Hà Nội"): keep what follows it.
    caps_at = [
        k for k, w in enumerate(words) if letter_count(w) > 2 and w.isupper() and w not in ("TP.", "TX.")
    ]
    if caps_at and caps_at[-1] < len(words) - 1 and not all(w.isupper() for w in words):
        words = words[caps_at[-1] + 1 :]
    while words and not words[0][:1].isupper():
        words.pop(0)
    place = " ".join(words).strip(" ,.;:-")
    if not place or fold(place) in NOT_PLACES or len(place) > 45:
        return "", 0.0
    caps = sum(w[:1].isupper() for w in words) / len(words)
    return place, 0.6 + 0.4 * caps


def find_dates(lines: list[Line]) -> list[DateHit]:
    """Every ``<place>, ngày d tháng m năm y`` in ``lines``, also when OCR broke it over two lines."""
    hits = []
    for i, line in enumerate(lines):
        text = line.text
        folded = fold(text)
        m = DATE_RE.search(folded)
        if not m and i + 1 < len(lines) and "ng" in folded:
            joined = f"{text} {lines[i + 1].text}"
            m2 = DATE_RE.search(fold(joined))
            if m2 and m2.start() < len(text):
                text, m = joined, m2
        if not m:
            continue
        issued = _to_date(*m.groups())
        if issued is not None and not 1900 < issued.year < 2100:
            issued = None
        place, quality = place_before(text, m.start())
        if issued is None and not place:
            continue
        today = fold(text[: m.start()]).rstrip(" ,").endswith("hom nay")
        hits.append(DateHit(place, issued, line, quality, today))
    return hits


def pick_date(hits: list[DateHit], header_end: int) -> tuple[DateHit | None, float]:
    """The document's own date: the first with a place, preferring the header; with its confidence."""
    placed = [h for h in hits if h.place]
    in_header = [h for h in hits if h.line.page == 1 and h.line.no <= header_end]
    if in_header:
        # A date in the header is the document's even when OCR garbled the place before it.
        first = next((h for h in in_header if h.place), in_header[0])
        return first, 0.95 * first.place_quality if first.place else 0.6
    if placed:
        # Citizens' forms date the request above the signature: the last one wins there.
        return placed[-1], 0.75 * placed[-1].place_quality
    today = [h for h in hits if h.today]
    if today:
        return today[0], 0.6
    # Dates without a place elsewhere are citations ("Nghị định số 61/2018/NĐ-CP ngày ..."), not ours.
    return None, 0.0


def numeric_date(lines: list[Line]) -> tuple[date, Line] | None:
    """Fallback for certificates dated ``25/07/2023``: the first valid one."""
    for line in lines:
        for m in NUMERIC_DATE_RE.finditer(line.text):
            found = _to_date(*m.groups())
            if found:
                return found, line
    return None
