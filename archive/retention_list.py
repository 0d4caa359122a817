"""The records unit's list of documents with their retention, filtered by retention class,
retain-until range, legal hold and department (from the catalogue, a copy of the archive)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COLUMNS = "id, title, dossier_code, department, retention_class, retain_until, legal_hold, role"


@dataclass(frozen=True)
class RetentionFilter:
    """Empty values do not filter. ``hold`` is ``"1"`` (held), ``"0"`` (not held) or ``""``;
    ``until_from``/``until_to`` are ISO days, both included."""

    retention_class: str = ""
    until_from: str = ""
    until_to: str = ""
    hold: str = ""
    department: str = ""

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters."""
        parts: list[str] = ["1 = 1"]
        args: list[Any] = []
        if self.retention_class:
            parts.append("retention_class = ?")
            args.append(self.retention_class)
        if self.until_from:
            parts.append("retain_until >= ?")
            args.append(self.until_from)
        if self.until_to:
            parts.append("retain_until != '' AND retain_until <= ?")
            args.append(self.until_to)
        if self.hold in ("0", "1"):
            parts.append("legal_hold = ?")
            args.append(int(self.hold))
        if self.department:
            parts.append("department = ?")
            args.append(self.department)
        return " AND ".join(parts), args


def retention_list(db, wanted: RetentionFilter, limit: int = 200, offset: int = 0) -> tuple[int, list[dict]]:
    """How many documents match, and one page of them, soonest retain-until first (the ones
    with none, permanent, last)."""
    where, args = wanted.where()
    total = db.execute(f"SELECT COUNT(*) FROM documents WHERE {where}", args).fetchone()[0]
    rows = db.execute(
        f"SELECT {COLUMNS} FROM documents WHERE {where}"
        " ORDER BY retain_until = '', retain_until, id LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return total, [dict(r) for r in rows]
