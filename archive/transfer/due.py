"""Which dossiers are due for handover to the historical archive.

A dossier's retention class is the longest of its documents' ("permanent" above any number of
years). ``[transfer] years`` maps a class to the years after 31 December of the year of receipt
at which the dossier is due; a class it does not list is never due (such records stay at the
center until disposal). The year of receipt is read on the center's calendar: the dossier's
``received_at``, else the first digitisation of its documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from archive.catalogue import Catalogue


@dataclass
class DueDossier:
    """One line of the due list."""

    code: str
    title: str
    retention: str  # the dossier's class: "permanent" or a number of years
    received_on: str  # ISO date, the center's calendar
    due_on: str  # ISO date
    documents: int
    pages: int
    held: bool  # a document of it is under legal hold


def dossier_class(classes: Iterable[str]) -> str:
    """The longest of the classes ("" when there is none)."""
    found = [c for c in classes if c]
    if "permanent" in found:
        return "permanent"
    years = [int(c) for c in found if c.isdigit()]
    return str(max(years)) if years else ""


def due_on(received: date, years: int) -> date:
    """31 December of the year of receipt, ``years`` later."""
    return date(received.year + years, 12, 31)


def local_day(stamp: str, zone: ZoneInfo) -> date | None:
    """The center's calendar day of an ISO date or timestamp (a naive one is taken as local)."""
    text = (stamp or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment.astimezone(zone) if moment.tzinfo else moment).date()


def _line(catalogue: Catalogue, summary: dict, zone: ZoneInfo, years: Mapping[str, int]) -> DueDossier | None:
    cls_ = dossier_class((summary["classes"] or "").split(","))
    if cls_ not in years:
        return None
    row = catalogue.dossier(summary["code"]) or {}
    received = local_day(row.get("received_at", ""), zone) or local_day(summary["first_digitised"], zone)
    if received is None:
        return None
    return DueDossier(
        code=summary["code"],
        title=row.get("procedure_name") or summary["code"],
        retention=cls_,
        received_on=received.isoformat(),
        due_on=due_on(received, years[cls_]).isoformat(),
        documents=int(summary["documents"]),
        pages=int(summary["pages"] or 0),
        held=bool(summary["held"]),
    )


def due_dossiers(
    catalogue: Catalogue,
    years: Mapping[str, int],
    today: date,
    zone: ZoneInfo,
    handed_over: Iterable[str] = (),
) -> list[DueDossier]:
    """The dossiers due on ``today`` (due date reached) and not yet handed over, oldest due first."""
    done = set(handed_over)
    out = []
    for summary in catalogue.dossier_summaries():
        if summary["code"] in done:
            continue
        line = _line(catalogue, summary, zone, years)
        if line is not None and line.due_on <= today.isoformat():
            out.append(line)
    return sorted(out, key=lambda d: (d.due_on, d.code))
