"""Which notices a dossier has had: the regulation allows one request to supplement and one apology
with a new date per dossier (Decision 1748/QĐ-UBND Art. 13; Decree 61/2018 as amended).

The check and the record happen in one ``BEGIN IMMEDIATE`` transaction, and a partial UNIQUE index
backs it up, so two officers (or two processes) cannot both issue the one allowed notice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.sqlite_db import transaction
from archive.state_store import StateStore, as_state

KINDS = ("receipt", "supplement", "refusal", "apology")
LIMITS = {"supplement": 1, "apology": 1}
LABELS = {
    "receipt": "phiếu tiếp nhận và hẹn trả kết quả",
    "supplement": "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "apology": "phiếu xin lỗi và hẹn lại ngày trả kết quả",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL DEFAULT '',
    document_id TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS dossier_notices_code ON dossier_notices(dossier_code);
CREATE UNIQUE INDEX IF NOT EXISTS dossier_notices_once ON dossier_notices(dossier_code, kind)
    WHERE kind IN ('supplement', 'apology');
"""


class NoticeError(Exception):
    """A notice cannot be issued (unknown kind)."""


class NoticeLimitError(NoticeError):
    """The dossier already had the one notice of this kind it may have."""

    def __init__(self, kind: str, dossier_code: str, first_at: str) -> None:
        super().__init__(
            f"Hồ sơ {dossier_code} đã có {LABELS[kind]} (lập lúc {first_at}); "
            f"quy định chỉ cho phép một lần / the dossier already had its one {kind} notice"
        )
        self.kind, self.dossier_code, self.first_at = kind, dossier_code, first_at


@dataclass
class NoticeRecord:
    id: int
    dossier_code: str
    kind: str
    issued_at: str
    issued_by: str = ""
    document_id: str = ""
    details: dict[str, Any] | None = None


def _record(row: Any) -> NoticeRecord:
    return NoticeRecord(
        row["id"],
        row["dossier_code"],
        row["kind"],
        row["issued_at"],
        row["issued_by"],
        row["document_id"],
        json.loads(row["details"] or "{}"),
    )


class NoticeRegistry:
    """The notices issued per dossier, in the state DB (table ``dossier_notices``)."""

    def __init__(self, state: StateStore | str | Path) -> None:
        self._conn = as_state(state).connect()
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def issue(
        self,
        kind: str,
        dossier_code: str,
        *,
        issued_by: str = "",
        details: dict | None = None,
        now: datetime | None = None,
    ) -> NoticeRecord:
        """Record a notice for the dossier; raises ``NoticeLimitError`` for a second supplement/apology."""
        if kind not in KINDS:
            raise NoticeError(f"unknown notice kind {kind!r}; expected one of {', '.join(KINDS)}")
        at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        with transaction(self._conn) as conn:
            if kind in LIMITS:
                rows = conn.execute(
                    "SELECT issued_at FROM dossier_notices WHERE dossier_code = ? AND kind = ? ORDER BY id",
                    (dossier_code, kind),
                ).fetchall()
                if len(rows) >= LIMITS[kind]:
                    raise NoticeLimitError(kind, dossier_code, rows[0]["issued_at"])
            cur = conn.execute(
                "INSERT INTO dossier_notices(dossier_code, kind, issued_at, issued_by, details)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (
                    dossier_code,
                    kind,
                    at,
                    issued_by,
                    json.dumps(details or {}, ensure_ascii=False, default=str),
                ),
            )
            notice_id = int(cur.fetchone()[0])
        return NoticeRecord(notice_id, dossier_code, kind, at, issued_by, "", details or {})

    def attach_document(self, notice_id: int, document_id: str) -> None:
        """Link the stored notice document (role ``notice``) to its record."""
        with transaction(self._conn) as conn:
            conn.execute("UPDATE dossier_notices SET document_id = ? WHERE id = ?", (document_id, notice_id))

    def cancel(self, notice_id: int) -> None:
        """Forget a notice whose PDF could not be made or stored, so it can be issued again."""
        with transaction(self._conn) as conn:
            conn.execute("DELETE FROM dossier_notices WHERE id = ? AND document_id = ''", (notice_id,))

    def issued(self, dossier_code: str) -> list[NoticeRecord]:
        rows = self._conn.execute(
            "SELECT * FROM dossier_notices WHERE dossier_code = ? ORDER BY id", (dossier_code,)
        ).fetchall()
        return [_record(r) for r in rows]

    def can_issue(self, kind: str, dossier_code: str) -> bool:
        if kind not in LIMITS:
            return kind in KINDS
        return sum(r.kind == kind for r in self.issued(dossier_code)) < LIMITS[kind]
