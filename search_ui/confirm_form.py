"""The metadata confirmation form as the officer reads it: each field with the tagger's
confidence, the page where it was found first, and a mark on the ones that need a look."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.day_text import HTML_PATTERN, shown_day
from ingest.dossiers.records import CONFIRM_FIELDS

# Form field -> the tagger's proposal it comes from (``TagResult.to_dict()`` keys).
PROPOSAL_OF = {
    "type_name": "type",
    "number": "number",
    "issued_date": "issued_date",
    "issuing_organ": "organ",
    "subject": "subject",
    "signer": "signer",
}
DATE_FIELDS = ("issued_date", "valid_until")
LONG_FIELDS = ("subject",)  # several lines: a long trích yếu must be read whole
NEEDS_LOOK_BELOW = 0.75  # tagger confidence (0..1) under which a field is marked "cần kiểm tra"


@dataclass
class FormField:
    """One row of the form."""

    name: str
    value: str
    confidence: float | None = None  # 0..1, None when the tagger proposes nothing for it
    page: int | None = None  # where the tagger found it first
    needs_look: bool = False
    not_found: bool = False  # the tagger looked for it and found nothing
    kind: str = "text"  # text | date | long
    pattern: str = ""


def proposal(doc: Any) -> dict:
    """What the tagger proposed (``extra["tagging"]["proposed"]``; older manifests kept it at
    ``extra["proposed"]``)."""
    extra = doc.metadata.extra or {}
    return (extra.get("tagging") or {}).get("proposed") or extra.get("proposed") or {}


def _found(proposed: dict, name: str) -> dict:
    key = PROPOSAL_OF.get(name)
    entry = proposed.get(key) if key else None
    if not isinstance(entry, dict):
        return {}
    if name == "signer":  # the signer's name is what the form holds; its page is the name's
        return {**(entry.get("name") or {}), "confidence": entry.get("confidence")}
    return entry


def _confidence(found: dict) -> float | None:
    """0..1, or None when nothing was found (no confidence to speak of)."""
    conf = found.get("confidence")
    if conf is None or not found.get("value"):
        return None
    return conf / 100 if conf > 1 else float(conf)


def form_fields(doc: Any, values: dict[str, str], confirmed: bool) -> list[FormField]:
    """The rows of the form for ``values``; before a confirmation, fields the tagger read with
    low confidence or did not find are marked (after it, the officer has looked at them all)."""
    proposed = proposal(doc)
    rows = []
    for name in CONFIRM_FIELDS:
        found = _found(proposed, name)
        conf = _confidence(found)
        row = FormField(name=name, value=str(values.get(name) or ""), confidence=conf, page=found.get("page"))
        if name in DATE_FIELDS:
            row.kind, row.pattern, row.value = "date", HTML_PATTERN, shown_day(row.value)
        elif name in LONG_FIELDS:
            row.kind = "long"
        row.not_found = name in PROPOSAL_OF and bool(proposed) and not found.get("value")
        if name in PROPOSAL_OF and not confirmed:
            row.needs_look = not row.value or (conf is not None and conf < NEEDS_LOOK_BELOW)
        rows.append(row)
    return rows
