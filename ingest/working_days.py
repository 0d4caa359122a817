"""Working days and appointment dates (Art. 2.5 of the regulation: Monday to Friday minus days off).

Public holidays come from the ``holidays`` package (Vietnam: New Year, Tết and Hùng Kings' day from
the lunar calendar, 30/4, 1/5, National Day, the substitute days of the official schedules). Its
dates were checked against the official schedules of 2024-2026 (see tests/test_working_days.py):
they match, except that it misses the swap the Government approved for New Year 2026 (day off
Friday 2/1/2026, made up on Saturday 10/1/2026, VPCP letter 12729/VPCP-KGVX of 25/12/2025), which is
in ``DEFAULT_EXTRA_DAYS_OFF`` / ``DEFAULT_MAKEUP_DAYS``. Each year's swaps are announced late, so both
lists are settings: the lead passes ``[calendar] extra_days_off`` and ``makeup_working_days``.

Make-up Saturdays: a day the package lists as "Day off (substituted from MM/DD/YYYY)" means that
Saturday is worked instead; those Saturdays become working days here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

DEFAULT_EXTRA_DAYS_OFF = (date(2026, 1, 2),)
DEFAULT_MAKEUP_DAYS = (date(2026, 1, 10),)
DEFAULT_AFTERNOON_CUTOFF = time(15, 0)
NOON = time(12, 0)
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, make-up working days) of ``year`` according to the ``holidays`` package."""
    cal = holidays.country_holidays("VN", years=year, language="en_US")
    off, makeup = set(cal), set()
    for names in cal.values():
        for m in _SUBSTITUTED.finditer(names):
            makeup.add(date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
    return frozenset(off), frozenset(makeup)


def _as_dates(values: Iterable[date | str]) -> frozenset[date]:
    return frozenset(v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values)


def _as_time(value: time | str | None) -> time | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, time) else time.fromisoformat(str(value))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days the center works, and how an intake time turns into an appointment date.

    ``extra_days_off``: days off announced on top of the package's (bridges, local events).
    ``makeup_days``: days worked although they fall on a weekend or the package lists them as off.
    ``afternoon_cutoff``: intake at or after this time counts from the next working day (None: never).
    """

    extra_days_off: frozenset[date] = field(default_factory=lambda: frozenset(DEFAULT_EXTRA_DAYS_OFF))
    makeup_days: frozenset[date] = field(default_factory=lambda: frozenset(DEFAULT_MAKEUP_DAYS))
    afternoon_cutoff: time | None = DEFAULT_AFTERNOON_CUTOFF
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday

    @classmethod
    def from_settings(cls, section: dict | None = None) -> WorkingCalendar:
        """Build from a ``[calendar]`` settings section; missing keys keep the defaults."""
        section = section or {}
        kwargs: dict = {}
        if "extra_days_off" in section:
            kwargs["extra_days_off"] = _as_dates(section["extra_days_off"]) | _as_dates(
                DEFAULT_EXTRA_DAYS_OFF
            )
        if "makeup_working_days" in section:
            kwargs["makeup_days"] = _as_dates(section["makeup_working_days"]) | _as_dates(DEFAULT_MAKEUP_DAYS)
        if "afternoon_cutoff" in section:
            kwargs["afternoon_cutoff"] = _as_time(section["afternoon_cutoff"])
        return cls(**kwargs)

    def is_holiday(self, day: date) -> bool:
        off, _ = _public_holidays(day.year)
        return day in off or day in self.extra_days_off

    def is_working_day(self, day: date) -> bool:
        _, package_makeup = _public_holidays(day.year)
        if day in self.makeup_days or day in package_makeup:
            return True
        return day.weekday() not in self.weekend and not self.is_holiday(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
        if days < 0:
            raise ValueError("processing time cannot be negative")
        for _ in range(days):
            start = self.next_working_day(start)
        return start

    def effective_receipt_day(self, received_at: datetime | date) -> date:
        """The day the processing time counts from: intake on a day off, or after the afternoon
        cutoff, counts as received on the next working day."""
        if isinstance(received_at, datetime):
            day = received_at.date()
            late = self.afternoon_cutoff is not None and received_at.time() >= self.afternoon_cutoff
        else:
            day, late = received_at, False
        if not self.is_working_day(day) or late:
            return self.next_working_day(day)
        return day

    def due_date(self, received_at: datetime | date, processing_days: float) -> date:
        """Appointment date: ``processing_days`` working days after the effective receipt day
        (the receipt day itself is not counted, as for any period in days under the Civil Code).
        Half days (``0.5``, ``1.5``) count in sessions: received in the morning, half a day is due
        that afternoon; received in the afternoon, the next working morning."""
        if float(processing_days).is_integer():
            return self.add_working_days(self.effective_receipt_day(received_at), int(processing_days))
        return self._due_in_sessions(received_at, round(processing_days * 2))

    def _due_in_sessions(self, received_at: datetime | date, sessions: int) -> date:
        day = self.effective_receipt_day(received_at)
        # Counted from the afternoon only when received that very afternoon (not moved to a later day).
        afternoon = (
            isinstance(received_at, datetime) and day == received_at.date() and received_at.time() >= NOON
        )
        session = int(afternoon) + sessions
        return self.add_working_days(day, session // 2)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how late a result is, or how much time is left."""
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return sign * count


def due_date(
    received_at: datetime | date, processing_days: float, calendar: WorkingCalendar | None = None
) -> date:
    """Shortcut for ``WorkingCalendar().due_date`` with the default calendar."""
    return (calendar or WorkingCalendar()).due_date(received_at, processing_days)
