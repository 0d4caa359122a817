"""Retention classes and retain-until dates.

Classes come from settings ([retention] section): a default class and rules mapping procedure
codes and document types to classes. Retention counts from the end of the year the dossier was
received (configurable: ``counts_from = "received"``). Permanent records get ``PERMANENT``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from archive.object_store import PERMANENT

CLASSES = ("permanent", "70", "50", "20", "10", "5")


@dataclass
class RetentionPolicy:
    default_class: str = "20"
    counts_from: str = "end_of_year"
    by_procedure: dict[str, str] = field(default_factory=dict)
    by_doc_type: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, section: dict) -> RetentionPolicy:
        return cls(
            default_class=str(section.get("default_class", "20")),
            counts_from=section.get("counts_from", "end_of_year"),
            by_procedure={k: str(v) for k, v in section.get("by_procedure", {}).items()},
            by_doc_type={k: str(v) for k, v in section.get("by_doc_type", {}).items()},
        )

    def class_for(self, procedure_code: str = "", doc_type: str = "") -> str:
        """The retention class: the document type's rule wins over the procedure's."""
        return self.by_doc_type.get(doc_type) or self.by_procedure.get(procedure_code) or self.default_class

    def retain_until(self, retention_class: str, received: date) -> date:
        """The last day the record must be kept."""
        if retention_class == "permanent":
            return PERMANENT
        years = int(retention_class)
        start = date(received.year, 12, 31) if self.counts_from == "end_of_year" else received
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)
