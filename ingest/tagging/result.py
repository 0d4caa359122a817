"""What the tagger proposes: fields with a value, a confidence and where they were found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIELDS = ("type", "number", "issued_date", "place", "organ", "subject", "signer_name", "signer_position")


@dataclass
class Field:
    """One proposed value; ``confidence`` is 0..1, ``page``/``line`` are 1-based (None when not found)."""

    value: str = ""
    confidence: float = 0.0
    page: int | None = None
    line: int | None = None

    @property
    def found(self) -> bool:
        return bool(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 2),
            "page": self.page,
            "line": self.line,
        }


@dataclass
class Identifier(Field):
    """An identifier seen in the text: ``kind`` is cccd, cmnd, tax_code, phone or procedure_code."""

    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **super().to_dict()}


@dataclass
class TagResult:
    """The proposed metadata of one document (Decree 30/2020 Annex VI fields plus identifiers)."""

    type: Field = field(default_factory=Field)
    number: Field = field(default_factory=Field)
    issued_date: Field = field(default_factory=Field)  # ISO date
    place: Field = field(default_factory=Field)
    organ: Field = field(default_factory=Field)  # the body that issued it, as printed
    organ_parent: Field = field(default_factory=Field)  # the header line(s) above it (BỘ TÀI CHÍNH)
    subject: Field = field(default_factory=Field)
    signer_name: Field = field(default_factory=Field)
    signer_position: Field = field(default_factory=Field)  # block lines joined with " / "
    identifiers: list[Identifier] = field(default_factory=list)

    def get(self, name: str) -> Field:
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``sohoa tag``: each field ``{value, confidence, page, line}``; ``organ_parent``
        beside ``organ``."""
        out: dict[str, Any] = {name: self.get(name).to_dict() for name in FIELDS[:6]}
        out["organ_parent"] = self.organ_parent.to_dict()
        out["signer"] = {
            "name": self.signer_name.to_dict(),
            "position": self.signer_position.to_dict(),
            "confidence": round(min(self.signer_name.confidence, self.signer_position.confidence), 2),
        }
        out["identifiers"] = [i.to_dict() for i in self.identifiers]
        return out

    def values(self) -> dict[str, str]:
        """Flat ``{field: value}`` for comparing with what the officer confirms."""
        return {name: self.get(name).value for name in FIELDS}
