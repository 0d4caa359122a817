"""Lower the confidence of proposed fields that show signs of OCR damage the tagger could not repair.

The confirmation screen marks fields proposed with confidence >= 0.8 as probably right; on bad
photocopies the wrong ones among them were, on the development part, signer blocks whose last position
line the seal had garbled or hidden (``CHỦ TỊCH TỊCH``, ``TRƯỞNG``, a ``KT.`` block ending without the
deputy's title, a block ending on its ``TM.``/``TL.`` line), an organ with a stray symbol, a type title
the notation contradicts and a trích yếu cut after a linking word. Each sign caps the field's
confidence below that mark; nothing is changed in the values.
"""

from __future__ import annotations

import re

from ingest.tagging.bigrams import lexicon
from ingest.tagging.notation import type_from_notation
from ingest.tagging.result import Field, TagResult
from ingest.tagging.text import fold
from ingest.tagging.vocabulary import ORGAN_HEADS, POSITIONS

DOUBTFUL = 0.6  # under the screen's "probably right" mark (0.8)
MIN_DPI = 200.0  # ocr.quality's "low_resolution" threshold
_MARKS = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
_DEPUTY = ("PHÓ ", "THỨ TRƯỞNG")
# Letters, digits, spaces and the punctuation names and titles use; anything else is OCR junk.
_JUNK = re.compile(r"[^\w\s.,;:()/\-–&']")
# A subject cut short: the last word links to something that was not read.
_LINKING = {"cua", "va", "ve", "giua", "tai", "trong", "cho", "doi", "voi", "theo", "cac", "linh", "tren"}
_UNITS = {"TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG"}
_TWO_WORD_UNITS = {("THÀNH", "PHỐ"), ("THỊ", "XÃ"), ("THỊ", "TRẤN")}
# Titles of signers: a subject that starts with one is a signature block line.
_TITLES = tuple(p + " " for p in POSITIONS if len(p.split()) >= 2)
# A notation in a subject with its slash lost: 136/2025NĐ-CP.
_BROKEN_NOTATION = re.compile(r"\d/\d{4}[^\W\d_]")


def _cap(field: Field, limit: float) -> None:
    if field.value and field.confidence > limit:
        field.confidence = limit


def _strip_mark(part: str) -> tuple[str, str]:
    mark = next((m for m in _MARKS if part.startswith(m)), "")
    return mark, part[len(mark) :].strip()


def position_doubtful(block: str) -> bool:
    """Whether a signer block's last line (the signer's own title) reads as damaged or missing."""
    parts = block.split(" / ")
    mark, title = _strip_mark(parts[-1])
    words = title.split()
    if mark or not title or _JUNK.search(block):
        return True  # the block ends on its TM./KT./TL. line: the title under it was lost
    if len(words) >= 2 and words[-1] == words[-2]:
        return True  # CHỦ TỊCH TỊCH: the seal's letters read into the line
    if any(p.endswith(title) for p in parts[:-1]):
        return True  # KT. CHỦ TỊCH / CHỦ TỊCH: the head's title again, the deputy's was lost
    if any(p.startswith("KT.") for p in parts[:-1]) and not title.startswith(_DEPUTY):
        return True  # KT. signs for the head: the signer is a deputy, whose title was lost
    return title not in POSITIONS


def subject_doubtful(subject: str) -> bool:
    """Whether a trích yếu looks cut after a linking word, holds a notation without its slash, or
    is too short to be one (two words such as "XÂY DỰNG": no real subject in the corpus has fewer
    than three; a heading or a field label was taken for it)."""
    words = subject.split()
    if not words:
        return False
    if len(words) < 3 or "'" in subject:
        return True  # a stray ' is OCR junk (Vietnamese subjects quote with “ ”)
    if subject.upper().startswith(_TITLES):
        return True  # CỤC TRƯỞNG CỤC HẢI QUAN: a signer's title taken for the subject
    last = words[-1].strip(",;:")
    return fold(last) in _LINKING or lexicon().bound_to_next(last) or bool(_BROKEN_NOTATION.search(subject))


def organ_doubtful(organ: str) -> bool:
    """Whether an issuing organ reads as damaged: OCR junk or a stray full stop inside it
    (``QUẢNG. TRỊ``), no body word at its start (its first line lost), or two neighbouring words the
    lexicon never saw together (``KHOA HỌC NGHỆ``, ``THÀNH HUẾ``, ``THẾ THAO``: a word lost or
    misread; an organ the lexicon does not know gets a look too)."""
    if _JUNK.search(organ) or re.search(r"\.\s*\S", organ):
        return True
    if not fold(organ + " ").startswith(ORGAN_HEADS):
        return True  # TỈNH SƠN LA: the line naming the body (ỦY BAN NHÂN DÂN) was lost
    lex = lexicon()
    for part in organ.split(","):
        words = _body_words(part.split())
        if any(not lex.seen(a, b) for a, b in zip(words, words[1:], strict=False)):
            return True
    return False


def _body_words(words: list[str]) -> list[str]:
    """The words before the first administrative unit (``TỈNH``, ``PHƯỜNG``, ``THÀNH PHỐ``, ``THỊ XÃ``
    ...): a place name the lexicon never saw (a commune) is no sign of damage."""
    upper = [w.upper() for w in words] + [""]
    for i, word in enumerate(upper[:-1]):
        if word in _UNITS or (word, upper[i + 1]) in _TWO_WORD_UNITS:
            return words[:i]
    return words


def number_doubtful(number: str, issued: str) -> bool:
    """Whether the notation's year (``42/2018/QĐ-UBND``) is not the issue year: a cited act's number."""
    year = re.search(r"/((?:19|20)\d\d)/", number)
    return bool(year and issued[:4].isdigit() and abs(int(year.group(1)) - int(issued[:4])) > 1)


def calibrate(result: TagResult, low_resolution: bool = False) -> TagResult:
    """``result`` with the confidence of damaged-looking fields capped under the screen's mark.
    ``low_resolution``: the signature page was scanned under ``MIN_DPI`` (a bad photocopy, a fax),
    where the seal over the signer's title line makes OCR drop it or read the line above in its place
    (``TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH`` for a deputy's block) with nothing in the text to show it."""
    if low_resolution or position_doubtful(result.signer_position.value):
        _cap(result.signer_position, DOUBTFUL)
    if organ_doubtful(result.organ.value):
        _cap(result.organ, DOUBTFUL)
    implied = type_from_notation(result.number.value)
    if implied and result.type.value not in (implied, "Văn bản hợp nhất"):
        _cap(result.type, DOUBTFUL)
    if number_doubtful(result.number.value, result.issued_date.value):
        _cap(result.number, DOUBTFUL)
    if subject_doubtful(result.subject.value):
        _cap(result.subject, DOUBTFUL)
    return result
