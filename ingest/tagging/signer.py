"""Signer: the position block (``TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH``) and the name.

The block sits at the bottom right of the last page, beside ``Nơi nhận:`` and its list on the left;
OCR often runs the two columns together (``- Như trên; KT. CHỦ TỊCH``), so only the capitals at the
end of each line are kept. The name is the last line that reads as a Vietnamese personal name.
"""

from __future__ import annotations

import re

from ingest.tagging.text import Line, fold, letter_count, upper_ratio

SURNAME_LIST = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lương",
    "Tạ",
    "Đào",
    "Đoàn",
    "Vương",
    "Trịnh",
    "Mai",
    "Cao",
    "Lâm",
    "Phùng",
    "Hà",
    "Tô",
    "Tăng",
    "Thái",
    "Châu",
    "Quách",
    "Lưu",
    "Kiều",
    "Chu",
    "Triệu",
    "Khổng",
    "Mạc",
    "La",
    "Văn",
    "Tôn",
    "Từ",
    "Nông",
    "Kim",
    "Thân",
    "Lại",
    "Hứa",
    "Giang",
    "Tiêu",
    "Diệp",
    "Âu",
    "Hầu",
    "Quan",
    "Lục",
    "Đàm",
    "Đồng",
    "Ông",
    "Lò",
    "Y",
    "H'",
]
SURNAMES = {fold(s): s for s in SURNAME_LIST}  # folded -> spelt: Vietnamese surnames are a closed list
POSITION_WORDS = (
    "chu tich",
    "giam doc",
    "truong",
    "tuong",
    "thu ky",
    "chanh",
    "tong",
    "nguoi",
    "can bo",
    "cong chuc",
    "chu toa",
    "chu tri",
    "pho",
    "tm.",
    "kt.",
    "tl.",
    "tuq.",
    "q.",
    "dai dien",
    "bi thu",
    "hieu truong",
    "chu ho",
    "chu nhiem",
    "uy vien",
    "vien truong",
)
# Minutes are signed by the secretary on the left and the chair on the right.
LEFT_HAND_POSITIONS = ("thu ky", "nguoi ghi bien ban", "dai dien")
RIGHT_HAND_POSITIONS = ("chu tri", "chu toa", "chu tich hoi dong", "truong doan", "to truong")
_RECIPIENT_HEAD = re.compile(r"^.*;\s*|^\s*-?\s*L\w{1,2}u\s*[:.]?\s*[A-ZĐ]{1,4}\b[.,;]*\s*(?:,\s*\S+\s*)?")
_NOISE_LINE = re.compile(r"^[\W\d_]*$")


# Military ranks and academic titles printed before a signer's name are not part of it.
RANKS = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy)|(?:PGS|GS|TS|ThS|BS|KS|Ths)\.?(?:\s*TS\.?)?)\s+",
)


def strip_rank(text: str) -> str:
    """``Thượng tướng Lê Huy Vịnh`` -> ``Lê Huy Vịnh``; ``PGS.TS. Trần A`` -> ``Trần A``."""
    text = text.strip(" .,;:-_~'\"")
    return RANKS.sub("", text)


def _is_name(text: str) -> float:
    """How much ``text`` reads as a personal name (0: not at all)."""
    text = strip_rank(text)
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text) or len(text) > 40:
        return 0.0
    if not all(w[:1].isupper() and w.isalpha() for w in words):
        return 0.0
    if upper_ratio(text) > 0.9 and len(words) > 1:
        # NAMES IN CAPITALS exist, but position lines are capitals too: only with a known surname.
        return 0.6 if fold(words[0]) in SURNAMES and not _is_position(text) else 0.0
    return 0.95 if fold(words[0]) in SURNAMES else 0.6


def _right_name(text: str) -> str:
    """Of two signers' names read as one line (minutes: secretary left, chair right), the right one:
    split where a second known surname starts. ``text`` itself when it is one name."""
    text = strip_rank(text)
    words = text.split()
    if len(words) <= 4:  # "Hồ Thị Nguyên Thảo", "Phùng Thị Kim Nga": one name
        return text
    # Most names have three words, then four, then two ("Quân" and "Quan" are given name and surname).
    for k in sorted(range(2, len(words) - 1), key=lambda n: (abs(n - 3), -n)):
        right = " ".join(words[k:])
        if (
            words[k] in SURNAME_LIST
            and words[k][:1].isupper()
            and _is_name(right)
            and _is_name(" ".join(words[:k]))
        ):
            return right
    return text


def _right_position(text: str) -> str:
    """Of two positions side by side (``THƯ KÝ CHỦ TRÌ``), the right one; else ``text``."""
    folded = fold(text)
    starts = sorted({folded.rfind(p) for p in RIGHT_HAND_POSITIONS if folded.rfind(p) > 0})
    return text[starts[-1] :] if starts and fold(text[: starts[-1]]).strip() in LEFT_HAND_POSITIONS else text


def _restore_initial(text: str) -> str:
    """``guyễn Bắc Hải`` -> ``Nguyễn Bắc Hải``: a seal or signature stroke ate the first capital."""
    first, _, rest = text.strip().partition(" ")
    if first[:1].islower() and rest[:1].isupper():
        for surname in SURNAME_LIST:
            if len(surname) > 2 and first == surname[1:]:
                return f"{surname} {rest}"
    return text


def respell_surname(name: str) -> str:
    """``Đỉnh Ngọc Vinh`` -> ``Đinh Ngọc Vinh``: OCR slips in the surname fixed from the closed list."""
    first, _, rest = name.partition(" ")
    known = SURNAMES.get(fold(first))
    if not known or first == known or first.upper() == known.upper() and first.isupper():
        return name
    spelt = known.upper() if first.isupper() and len(first) > 1 else known
    return f"{spelt} {rest}" if rest else spelt


def _is_position(text: str) -> bool:
    folded = f" {fold(text)}"
    # Marks (TM., KT., Q.) only as words: "PKT." or "Q.Cường" in a recipients line are none.
    return any((f" {w}" if w.endswith(".") else w) in folded for w in POSITION_WORDS)


def _caps_tail(text: str) -> str:
    """The words in capitals at the end of ``text`` (``- Như trên; KT. CHỦ TỊCH`` -> ``KT. CHỦ TỊCH``)."""
    words = text.split()
    k = len(words)
    while k > 0:
        letters = [ch for ch in words[k - 1] if ch.isalpha()]
        if not letters or not all(ch.isupper() for ch in letters):
            break
        k -= 1
    tail = words[k:]
    # "- Lưu: VT. PHÓ CHỦ TỊCH": the archive copy mark is not part of the position.
    while tail and tail[0].strip(".,;:") in ("VT", "LT"):
        tail = tail[1:]
    # Garbage capitals before a TM./KT./TL. prefix belong to no position line.
    marks = [i for i, w in enumerate(tail) if w in ("TM.", "KT.", "TL.", "TUQ.", "Q.")]
    return " ".join(tail[marks[0] :] if marks else tail)


def _position_part(text: str) -> str:
    """The signer-block part of a line: drop a recipients list before it, keep trailing capitals."""
    if fold(text).startswith("noi nhan"):
        text = re.sub(r"^\S+\s+\S+\s*[:.]?\s*", "", text)
    text = _RECIPIENT_HEAD.sub("", text)
    if text.startswith("(") or letter_count(text) < 3:
        return ""
    tail = _caps_tail(text).strip(" ,;-")
    if letter_count(tail) >= 4 and _is_position(tail):
        return tail
    if upper_ratio(text) >= 0.85 and not any(ch.isdigit() for ch in text) and letter_count(text) >= 4:
        return text.strip(" ,;-")
    # "Người làm đơn" style positions in sentence case, alone on their line.
    if _is_position(text) and len(text.split()) <= 5 and not text.startswith("-"):
        return text.strip(" ,;-")
    return ""


def _is_recipient(text: str) -> bool:
    """A line of the "Nơi nhận" list: ``- Như trên;``, ``- Lưu: VT, ...``."""
    folded = fold(text).lstrip()
    return folded.startswith(("-", "+", "luu", "noi nhan"))


# A position line starts with a mark or a title; anything else continues the line above it
# ("KT. TRƯỞNG BAN CHÍNH" / "SÁCH, THUẾ QUỐC TẾ").
POSITION_STARTS = (
    "tm.",
    "kt.",
    "tl.",
    "tuq.",
    "q.",
    "pho ",
    "truong",
    "chu ",
    "giam doc",
    "thu truong",
    "bo truong",
    "thu tuong",
    "cuc truong",
    "chi cuc truong",
    "tong ",
    "chanh",
    "thu ky",
    "hieu truong",
    "vien truong",
    "uy vien",
    "nguoi",
    "xac thuc",
    "dai dien",
    "bi thu",
    "can bo",
    "cong chuc",
)


def _join_wrapped(block: list[tuple[str, Line]]) -> list[tuple[str, Line]]:
    out: list[tuple[str, Line]] = []
    for part, line in block:
        if out and not fold(part).startswith(POSITION_STARTS):
            above, first = out[-1]
            glue = ", " if first.text.rstrip().endswith(",") else " "
            out[-1] = (f"{above.rstrip(',')}{glue}{part}", first)
        else:
            out.append((part, line))
    return out


def find_signer(lines: list[Line]) -> tuple[tuple[str, Line | None, float], tuple[str, Line | None, float]]:
    """((name, line, confidence), (position block, first line, confidence)) from the last page."""
    last_page = max((line.page for line in lines), default=1)
    tail = [line for line in lines if line.page == last_page and not line.blank][-25:]
    name_at, name_conf = None, 0.0
    for k in range(len(tail) - 1, -1, -1):
        score = _is_name(_right_name(_restore_initial(tail[k].text)))
        if score:
            name_at, name_conf = k, score
            break
        if k < len(tail) - 8:
            break
    if name_at is None:
        return ("", None, 0.0), ("", None, 0.0)
    name_line = tail[name_at]
    block: list[tuple[str, Line]] = []
    for line in reversed(tail[max(0, name_at - 8) : name_at]):
        part = _right_position(_position_part(line.text))
        if _is_recipient(line.text) and not _is_position(part):
            break  # "- Lưu: VT, KSTT." read above the block, when the columns were read apart
        if part:
            block.append((part, line))
        elif block and not _NOISE_LINE.match(line.text) and not line.text.lstrip().startswith(("(", "-")):
            break
        if fold(line.text).startswith("noi nhan"):
            break
    block.reverse()
    while block and not _is_position(block[0][0]):
        block.pop(0)  # "PKT." / "QHĐP (2b)": the wrapped tail of the last recipient line
    name = respell_surname(_right_name(_restore_initial(name_line.text)))
    if not block:
        return (name, name_line, name_conf * 0.7), ("", None, 0.0)
    block = _join_wrapped(block)
    position = " / ".join(p for p, _ in block)
    pos_conf = 0.9 if all(_is_position(p) for p, _ in block) else 0.6
    return (name, name_line, name_conf), (position, block[0][1], pos_conf)
