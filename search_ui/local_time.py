"""Times as the center reads them: stored timestamps are ISO (mostly UTC); pages show them in the
center's zone as dd/mm/yyyy HH:MM, the Vietnamese order. A plain date is shown dd/mm/yyyy."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def make_filters(timezone: str) -> dict:
    """Jinja filters ``local_time`` and ``local_date`` for the center's zone."""
    zone = ZoneInfo(timezone)

    def _parse(value: str) -> datetime | date | None:
        text = str(value or "").strip().replace("Z", "+00:00")
        if not text:
            return None
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        return moment.astimezone(zone) if moment.tzinfo else moment

    def local_time(value: str) -> str:
        moment = _parse(value)
        if moment is None:
            return str(value or "")
        if not isinstance(moment, datetime):
            return moment.strftime("%d/%m/%Y")
        return moment.strftime("%d/%m/%Y %H:%M")

    def local_date(value: str) -> str:
        moment = _parse(value)
        return moment.strftime("%d/%m/%Y") if moment is not None else str(value or "")

    return {"local_time": local_time, "local_date": local_date}
