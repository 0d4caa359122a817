"""Dossier codes: ``<agency code>-<yymmdd>-<4-digit sequence of the day>`` by default.

The pattern is a settings value (``[center] dossier_code_pattern``) written as a Python format string
with the fields ``agency``, ``yyyy``, ``yy``, ``mm``, ``dd``, ``yymmdd``, ``yyyymmdd`` and ``seq``.
The sequence runs per *scope*: the code with its sequence left out. With the default pattern that is
one sequence per agency and day; a pattern without the day gets one sequence per year or for ever.

The counter lives in the SQLite state DB and is bumped inside ``BEGIN IMMEDIATE``, so several
processes issuing codes at once serialise on the write lock and never hand out the same number.
Every issued code is also recorded under a UNIQUE key as a second line of defence.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from archive.sqlite_db import transaction
from archive.state_store import StateStore, as_state

DEFAULT_PATTERN = "{agency}-{yymmdd}-{seq:04d}"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
FIELDS = {"agency", "yyyy", "yy", "mm", "dd", "yymmdd", "yyyymmdd", "seq"}
# Codes from the province's one-stop system come in their own format: letters, digits, dots, dashes.
EXTERNAL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{2,63}$")
_SEQ_MARK = "\x00"
# PostgreSQL text cannot hold NUL: there the scopes mark the sequence with the unit separator.
PG_SEQ_MARK = "\x1f"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier_code_seq (
    scope TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dossier_code_issued (
    code TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    seq INTEGER NOT NULL,
    issued_at TEXT NOT NULL
);
"""


class DossierCodeError(Exception):
    """The pattern is unusable or a code could not be issued."""


def looks_like_dossier_code(code: str) -> bool:
    """True for a code an operator may pass in (ours or the one-stop system's)."""
    return bool(EXTERNAL_CODE.match(code or ""))


def check_pattern(pattern: str) -> None:
    """Raise ``DossierCodeError`` unless ``pattern`` uses known fields and contains ``{seq...}``."""
    names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = names - FIELDS
    if unknown:
        raise DossierCodeError(f"unknown field(s) in dossier code pattern: {sorted(unknown)}")
    if "seq" not in names:
        raise DossierCodeError("the dossier code pattern needs a {seq} field, else codes would repeat")


_FIELD_RES = {"agency": None, "yyyy": r"\d{4}", "yy": r"\d{2}", "mm": r"\d{2}", "dd": r"\d{2}"}
_FIELD_RES.update({"yymmdd": r"\d{6}", "yyyymmdd": r"\d{8}"})


def pattern_regex(pattern: str, agency: str) -> re.Pattern[str]:
    """A regex that matches the codes ``pattern`` renders, with the sequence as group ``seq``."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "seq":
            parts.append(r"(?P<seq>\d+)")
        elif name == "agency":
            parts.append(re.escape(agency))
        elif name is not None:
            parts.append(_FIELD_RES[name] or "")
    return re.compile("^" + "".join(parts) + "$")


class _SeqMark:
    """Stands in for the sequence number when rendering the scope of a code."""

    def __format__(self, spec: str) -> str:
        return _SEQ_MARK


def _fields(agency: str, when: datetime) -> dict[str, object]:
    return {
        "agency": agency,
        "yyyy": f"{when.year:04d}",
        "yy": f"{when.year % 100:02d}",
        "mm": f"{when.month:02d}",
        "dd": f"{when.day:02d}",
        "yymmdd": when.strftime("%y%m%d"),
        "yyyymmdd": when.strftime("%Y%m%d"),
    }


class DossierCodes:
    """Issues dossier codes from a sequence kept in the state DB (one table of its own)."""

    def __init__(
        self,
        state: StateStore | str | Path,
        agency_code: str,
        pattern: str = DEFAULT_PATTERN,
        timezone: str = DEFAULT_TIMEZONE,
        taken: Callable[[str], bool] | None = None,
    ) -> None:
        check_pattern(pattern)
        # Asked before a code is handed out: the archive (or catalogue) may know codes the
        # sequence table does not (a lost or restored state).
        self.taken = taken
        if not agency_code:
            raise DossierCodeError("agency code is empty ([center] agency_code)")
        self.agency_code = agency_code
        self.pattern = pattern
        self.tz = ZoneInfo(timezone)
        store = as_state(state)
        self._mark = _SEQ_MARK if store.dialect == "sqlite" else PG_SEQ_MARK
        self._conn = store.connect()
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def _scope(self, fields: dict[str, object]) -> str:
        """The sequence's key: the code with its number replaced by the mark."""
        return self.pattern.format(**fields, seq=_SeqMark()).replace(_SEQ_MARK, self._mark)

    def _local(self, now: datetime | None) -> datetime:
        # The day in the code is the center's calendar day, whatever the server's clock zone.
        if now is None:
            return datetime.now(self.tz)
        return now.astimezone(self.tz) if now.tzinfo else now

    def preview(self, now: datetime | None = None) -> str:
        """The code the next ``issue`` would return (no reservation: another process may take it)."""
        when = self._local(now)
        scope = self._scope(_fields(self.agency_code, when))
        row = self._conn.execute("SELECT last_seq FROM dossier_code_seq WHERE scope = ?", (scope,)).fetchone()
        return self.pattern.format(**_fields(self.agency_code, when), seq=(row[0] if row else 0) + 1)

    def issue(self, now: datetime | None = None) -> str:
        """Reserve and return the next code for ``now`` (default: the current time in the center's zone)."""
        when = self._local(now)
        fields = _fields(self.agency_code, when)
        scope = self._scope(fields)
        with transaction(self._conn) as conn:
            row = conn.execute("SELECT last_seq FROM dossier_code_seq WHERE scope = ?", (scope,)).fetchone()
            seq = (row[0] if row else 0) + 1
            while self.taken is not None and self.taken(self.pattern.format(**fields, seq=seq)):
                seq += 1
            conn.execute(
                "INSERT INTO dossier_code_seq(scope, last_seq) VALUES (?, ?) "
                "ON CONFLICT(scope) DO UPDATE SET last_seq = excluded.last_seq",
                (scope, seq),
            )
            code = self.pattern.format(**fields, seq=seq)
            # UNIQUE violation here would roll the sequence back too: nothing half-issued survives.
            conn.execute(
                "INSERT INTO dossier_code_issued(code, scope, seq, issued_at) VALUES (?, ?, ?, ?)",
                (code, scope, seq, when.isoformat(timespec="seconds")),
            )
        return code

    def raise_floors(self, codes: Iterable[str]) -> int:
        """Move each scope's sequence above the highest number among ``codes`` (the codes the
        archive holds, read by ``reindex``); codes of other formats are ignored. Returns how
        many scopes moved."""
        highest: dict[str, int] = {}
        matcher = pattern_regex(self.pattern, self.agency_code)
        for code in codes:
            m = matcher.match(code)
            if m:
                scope = code[: m.start("seq")] + self._mark + code[m.end("seq") :]
                highest[scope] = max(highest.get(scope, 0), int(m.group("seq")))
        moved = 0
        with transaction(self._conn) as conn:
            for scope, seq in highest.items():
                cur = conn.execute(
                    "INSERT INTO dossier_code_seq(scope, last_seq) VALUES (?, ?) ON CONFLICT(scope)"
                    " DO UPDATE SET last_seq = excluded.last_seq WHERE dossier_code_seq.last_seq < excluded.last_seq",
                    (scope, seq),
                )
                moved += cur.rowcount
        return moved

    def issued_on(self, day_prefix: str) -> list[str]:
        """Codes issued whose ``issued_at`` starts with ``day_prefix`` (e.g. ``2023-07-25``), in order."""
        rows = self._conn.execute(
            "SELECT code FROM dossier_code_issued WHERE issued_at LIKE ? ORDER BY issued_at, seq",
            (day_prefix + "%",),
        )
        return [r[0] for r in rows]
