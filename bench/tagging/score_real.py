"""Scoring the tagger on the real documents, as DESIGN decides: NFC, case, spaces and tone placement
(``hoà`` = ``hòa``, ``uỷ`` = ``ủy``) do not count; the organ may be any of its aliases; the signer is
taken by name; numbers drop ``Số:`` and spaces; subjects drop a leading ``V/v`` / ``Về việc``.

``signer_position`` is the position line directly above the name (the last line of the proposed block);
``signature_block`` checks the whole proposed block against the printed one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ingest.tagging import TagResult

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
SCORED = (
    "type",
    "number",
    "issued_date",
    "place",
    "organ",
    "subject",
    "signer_name",
    "signer_position",
)
EXTRA = ("organ_parent", "signature_block")
HIGH = 0.8  # what the confirmation screen shows as "probably right"
_LEAD = re.compile(r"^\s*(?:v\s*/\s*v|về\s+việc)\s*[:.]?\s*", re.IGNORECASE)


def _tone_last(word: str) -> str:
    """A syllable with its tone mark moved to the end: the old and new placements compare equal."""
    chars = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in chars if ch in TONES)
    return "".join(ch for ch in chars if ch not in TONES) + tones


def norm(value: str) -> str:
    """NFC, case, spaces and tone placement folded away."""
    text = unicodedata.normalize("NFC", value or "").casefold()
    text = re.sub(r"\s+", " ", text).strip(" .;,")
    text = re.sub(r"\s*([,;:])\s*", r"\1 ", text)  # "SÁCH,THUẾ" = "SÁCH, THUẾ"
    text = re.sub(r"[“”\"]", '"', text).replace("–", "-").replace("—", "-")  # typographic variants
    return unicodedata.normalize("NFC", " ".join(_tone_last(w) for w in text.split()))


def _subject(value: str) -> str:
    return norm(_LEAD.sub("", value or ""))


def _number(value: str) -> str:
    return re.sub(r"^số\s*:?", "", norm(value)).replace(" ", "")


def truth_parent(meta: dict) -> str:
    """The header lines above the issuing organ's own lines (``BỘ TÀI CHÍNH`` over ``CỤC THUẾ``)."""
    lines = meta["organ_header"].split(" / ")
    names = {norm(meta["organ"]), *(norm(a) for a in meta["organ_aliases"])}
    for k in range(1, len(lines) + 1):
        own = norm(" ".join(lines[len(lines) - k :]))
        if own in names or norm(meta["organ"]).startswith(own):
            return " ".join(lines[: len(lines) - k])
    return ""


def verdicts(meta: dict, result: TagResult) -> dict[str, tuple[bool, float, str, str]]:
    """``{field: (right, confidence, got, want)}`` for the scored and the extra fields."""
    got = result.values()
    block = [p.strip() for p in got["signer_position"].split(" / ") if p.strip()]
    want_pos = meta["signer_position"]
    organs = {norm(meta["organ"]), *(norm(a) for a in meta["organ_aliases"])}
    checks = {
        "type": (norm(got["type"]) == norm(meta["type"]), meta["type"]),
        "number": (_number(got["number"]) == _number(meta["number"]), meta["number"]),
        "issued_date": (got["issued_date"] == meta["date"], meta["date"]),
        "place": (norm(got["place"]) == norm(meta["place"]), meta["place"]),
        "organ": (norm(got["organ"]) in organs, meta["organ"]),
        "subject": (_subject(got["subject"]) == _subject(meta["subject"]), meta["subject"]),
        "signer_name": (norm(got["signer_name"]) == norm(meta["signer"]), meta["signer"]),
        "signer_position": (bool(block) and norm(block[-1]) == norm(want_pos), want_pos),
    }
    out = {name: (ok, result.get(name).confidence, got[name], want) for name, (ok, want) in checks.items()}
    parent = truth_parent(meta)
    out["organ_parent"] = (
        norm(result.organ_parent.value) == norm(parent),
        1.0,
        result.organ_parent.value,
        parent,
    )
    want_block = " / ".join(meta["signature_block"][:-1])
    out["signature_block"] = (
        [norm(p) for p in block] == [norm(p) for p in meta["signature_block"][:-1]],
        result.signer_position.confidence,
        got["signer_position"],
        want_block,
    )
    return out


def subject_similarity(meta: dict, result: TagResult) -> float:
    """How close the proposed subject is to the printed one (1.0 = same after normalising)."""
    return SequenceMatcher(None, _subject(result.subject.value), _subject(meta["subject"])).ratio()


@dataclass
class Tally:
    """Right answers per field, and how the confidence sorts right from wrong."""

    docs: int = 0
    right: dict[str, int] = field(default_factory=dict)
    high: int = 0  # fields proposed with confidence >= HIGH
    high_right: int = 0
    similarity: float = 0.0
    by_group: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def add(self, meta: dict, result: TagResult, group: str) -> dict[str, tuple[bool, float, str, str]]:
        marks = verdicts(meta, result)
        self.docs += 1
        self.similarity += subject_similarity(meta, result)
        for name, (ok, conf, _, _) in marks.items():
            self.right[name] = self.right.get(name, 0) + ok
            if name in SCORED:
                cell = self.by_group.setdefault(group, {}).setdefault(name, [0, 0])
                cell[0] += ok
                cell[1] += 1
                if conf >= HIGH:
                    self.high += 1
                    self.high_right += ok
        return marks

    def accuracy(self, name: str) -> float:
        return self.right.get(name, 0) / max(1, self.docs)
