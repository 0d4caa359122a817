"""Document type (the title line in capitals) and trích yếu (the lines under it).

``QUYẾT ĐỊNH`` / ``Về việc ...``; ``ĐƠN ĐỀ NGHỊ CẤP ...`` and ``GIẤY PHÉP XÂY DỰNG`` carry their
subject on the title line itself; a công văn has no title, its subject is the ``V/v`` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.tagging.header import strip_number, strip_right_column
from ingest.tagging.text import Line, fold, fuzzy_find, letter_count, skeleton, upper_ratio

# Longest first, so "THÔNG TƯ LIÊN TỊCH" wins over "THÔNG TƯ".
TYPES = sorted(
    [
        "Quyết định",
        "Nghị định",
        "Nghị quyết",
        "Thông tư liên tịch",
        "Thông tư",
        "Chỉ thị",
        "Thông báo",
        "Kế hoạch",
        "Tờ trình",
        "Báo cáo",
        "Biên bản",
        "Giấy chứng nhận",
        "Giấy phép",
        "Giấy mời",
        "Giấy ủy quyền",
        "Giấy giới thiệu",
        "Giấy xác nhận",
        "Hướng dẫn",
        "Công điện",
        "Quy chế",
        "Quy định",
        "Hợp đồng",
        "Tờ khai",
        "Đơn",
        "Chương trình",
        "Phương án",
        "Đề án",
        "Luật",
        "Pháp lệnh",
        "Công văn",
        "Giấy tiếp nhận hồ sơ",
        "Phiếu",
        "Thư",
        # Components citizens bring to the counter.
        "Giấy khai sinh",
        "Giấy chứng tử",
        "Giấy đề nghị",
        "Trích lục",
        "Bản khai",
        "Bản cam kết",
        "Sơ yếu lý lịch",
        "Văn bản thỏa thuận",
    ],
    key=len,
    reverse=True,
)
STRONG_STOPS = ("can cu", "kinh gui", "dieu ", "hom nay", "noi nhan", "so:", "so :", "ho va ten", "toi ten")
# Body openings that may also begin a trích yếu: they stop only a continuation line.
STOP_PREFIXES = (*STRONG_STOPS, "thuc hien", "theo de nghi", "trong qua trinh")


# The authority line under a decision's trích yếu ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...") ends it.
AUTHORITY_PREFIXES = (
    "uy ban nhan dan",
    "chu tich",
    "bo truong",
    "giam doc",
    "hoi dong nhan dan",
    "chinh phu",
    "thu tuong",
    "truong phong",
    "chanh van phong",
    "cuc truong",
    "truong ban",
)


# Organ lines one letter away from a type name ("HỘI ĐỒNG NHÂN DÂN" / "HỢP ĐỒNG") are no title.
ORGAN_STARTS = ("hoi dong", "uy ban", "thu tuong")


# A trích yếu line ending with these words goes on to the next line, whatever that starts with.
LINKING_ENDS = (
    "cua",
    " va",
    "voi",
    "tai",
    "theo",
    "cho",
    "thuoc",
    " ve",
    ",",
    "giua",
    "doi",
    "den",
    "tu",
    "so",
)


# Measured on the real-document dev part: OCR-damaged trích yếu were nearly all long ones.
LONG_SUBJECT_WORDS = 16


@dataclass
class Title:
    """The title line: the type it names, what follows it on the line, and how sure we are."""

    type_name: str
    remainder: str
    index: int  # position in the page-1 line list
    confidence: float


def _match_type(text: str) -> tuple[str, str, float] | None:
    """(type, rest of the line, confidence) when ``text`` starts with a type name in capitals."""
    if upper_ratio(text) < 0.75 or letter_count(text) < 3:
        return None
    skel = skeleton(text)
    for name in TYPES:
        key = skeleton(name.upper())
        if len(key) <= 4 and not text.upper().startswith(name.upper()):
            continue  # short names need their accents: "THỦ TƯỚNG" is no "THƯ"
        if skel.startswith(key) and (len(skel) == len(key) or not skel[len(key)].isalpha()):
            return name, text[len(key) :].strip(" :.-"), 0.95
        if len(key) >= 8 and not fold(text).startswith(ORGAN_STARTS):
            hit = fuzzy_find(text[: len(key) + 3], name, 1)
            if hit and hit[0] <= 1:
                rest = text[hit[1] :]
                if not rest[:1].isalpha():
                    return name, rest.strip(" :.-"), 0.8
    return None


def find_title(lines: list[Line], limit: int = 40) -> Title | None:
    """The first capitalised line of page 1 that starts with a document type name."""
    for i, line in enumerate(lines[:limit]):
        if line.page != 1:
            break
        text = strip_right_column(strip_number(line.text))
        found = _match_type(text)
        if found:
            name, rest, conf = found
            return Title(name, rest, i, conf)
    return None


def _stops(text: str, first: bool) -> bool:
    return fold(text).lstrip(" -").startswith(STRONG_STOPS if first else STOP_PREFIXES)


_FORM_FIELD = re.compile(r"^[^:]{1,30}:\s*\S")  # "Họ, chữ đệm, tên: ..." on forms and certificates


def _ends_subject(lines: list[Line], title: Title, parts: list[str], text: str, line: Line) -> bool:
    if line.blank or is_rule(text) or _stops(text, first=not parts) or _FORM_FIELD.match(text):
        return True
    # A title that carries its subject continues only in capitals (the next line is the body).
    if parts and title.remainder and parts[0] == title.remainder and upper_ratio(text) < 0.75:
        return True
    if not parts or fold(parts[-1]).rstrip().endswith(LINKING_ENDS):
        return False  # "... CỦA" / "ỦY BAN NHÂN DÂN TỈNH ...": the trích yếu goes on
    typed = _match_type(text)
    if typed and len(typed[1].split()) <= 1:
        return True  # a second title line
    return upper_ratio(text) > 0.8 and fold(text).startswith(AUTHORITY_PREFIXES)


def _orphan_tail(lines: list[Line], k: int) -> str:
    """A short last line of the trích yếu that OCR set apart by a blank line (``hành chính``), else ""."""
    if k + 1 >= len(lines) or not lines[k].blank:
        return ""
    nxt = lines[k + 1]
    after = lines[k + 2] if k + 2 < len(lines) else None
    text = strip_right_column(nxt.text)
    short = len(text) <= 35 and len(text.split()) <= 6 and letter_count(text) >= 2
    isolated = after is None or after.blank or _stops(after.text, first=False)
    if short and isolated and not _stops(text, first=False) and not text[:1].isupper() and not is_rule(text):
        return text
    return ""


def subject_after(lines: list[Line], title: Title) -> tuple[str, Line | None, float]:
    """The trích yếu after the title line; with the line it starts on and a confidence."""
    parts: list[str] = []
    first: Line | None = None
    if len(title.remainder.split()) >= 2:
        parts, first = [title.remainder], lines[title.index]
    i = title.index + 1
    while i < len(lines) and lines[i].blank and not parts:
        i += 1
    conf = 0.85
    for k in range(i, min(i + 9, len(lines))):
        text = strip_right_column(lines[k].text)
        if _ends_subject(lines, title, parts, text, lines[k]):
            tail = _orphan_tail(lines, k) if parts and not parts[-1].endswith(".") else ""
            if tail:
                parts.append(tail)
                conf = 0.7
            break
        parts.append(text)
        first = first or lines[k]
    subject = " ".join(p.strip() for p in parts).strip(" -")
    if not subject or (
        len(parts) >= 3 and fold(parts[0]).startswith(STOP_PREFIXES) and upper_ratio(parts[0]) < 0.8
    ):
        # A long paragraph opening like the body ("Thực hiện ..."): OCR lost the trích yếu.
        return "", None, 0.0
    if len(parts) > 6:
        conf = 0.6
    elif len(subject.split()) > LONG_SUBJECT_WORDS:
        conf = min(conf, 0.7)  # every word is a chance for an OCR slip the officer must catch
    return subject, first, conf


def is_rule(text: str) -> bool:
    """An underline under the title or motto, read as dashes or underscores."""
    chars = letter_count(text) + sum(ch.isdigit() for ch in text)
    return chars < 2 or (set(text.replace(" ", "")) <= set("-_=—.~*") and len(text) > 2)
