"""Working days and appointment dates on the official schedules of 2024-2026."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from ingest.working_days import WorkingCalendar, due_date

CAL = WorkingCalendar()

# Days off for civil servants announced for each year (Tết and Hùng Kings' day follow the lunar calendar).
OFFICIAL_DAYS_OFF = [
    date(2024, 1, 1),
    *[date(2024, 2, d) for d in (8, 9, 12, 13, 14)],  # Tết Giáp Thìn 8-14/2/2024
    date(2024, 4, 18),  # Giỗ Tổ 10/3 Giáp Thìn
    date(2024, 4, 29),
    date(2024, 4, 30),
    date(2024, 5, 1),  # 29/4 swapped with Saturday 4/5
    date(2024, 9, 2),
    date(2024, 9, 3),
    date(2025, 1, 1),
    *[date(2025, 1, d) for d in (27, 28, 29, 30, 31)],  # Tết Ất Tỵ 25/1-2/2/2025
    date(2025, 4, 7),  # Giỗ Tổ 10/3 Ất Tỵ
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),  # 2/5 swapped with Saturday 26/4
    date(2025, 9, 1),
    date(2025, 9, 2),
    date(2026, 1, 1),
    date(2026, 1, 2),  # 2/1 swapped with Saturday 10/1 (12729/VPCP-KGVX)
    *[date(2026, 2, d) for d in (16, 17, 18, 19, 20)],  # Tết Bính Ngọ 14-22/2/2026
    date(2026, 4, 27),  # Giỗ Tổ 26/4/2026 is a Sunday: day off in lieu on Monday
    date(2026, 4, 30),
    date(2026, 5, 1),
]
MAKEUP_SATURDAYS = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 1, 10)]


@pytest.mark.parametrize("day", OFFICIAL_DAYS_OFF, ids=str)
def test_official_days_off(day: date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("day", MAKEUP_SATURDAYS, ids=str)
def test_makeup_saturdays_are_worked(day: date) -> None:
    assert day.weekday() == 5
    assert CAL.is_working_day(day)


def test_ordinary_days() -> None:
    assert CAL.is_working_day(date(2024, 3, 5))  # a Tuesday
    assert not CAL.is_working_day(date(2024, 3, 9))  # a Saturday
    assert not CAL.is_working_day(date(2025, 2, 2))  # Sunday inside Tết
    assert CAL.is_working_day(date(2025, 2, 3))  # back after Tết Ất Tỵ


def test_due_date_over_tet_2025() -> None:
    # Received Thursday 23/1/2025 morning, 5 working days: 24/1, then Tết, 3, 4, 5, 6 Feb.
    assert CAL.due_date(datetime(2025, 1, 23, 9, 0), 5) == date(2025, 2, 6)


def test_due_date_over_hung_kings_2026() -> None:
    # Received Friday 24/4/2026, 3 working days: 28/4 (27/4 is the day in lieu), then 30/4 and 1/5
    # are off, so 29/4 and Monday 4/5.
    assert CAL.due_date(date(2026, 4, 24), 3) == date(2026, 5, 4)


def test_afternoon_rule_configurable() -> None:
    monday_late = datetime(2024, 3, 4, 16, 0)
    assert CAL.due_date(datetime(2024, 3, 4, 9, 0), 3) == date(2024, 3, 7)
    assert CAL.due_date(monday_late, 3) == date(2024, 3, 8)  # counts from Tuesday
    no_rule = WorkingCalendar(afternoon_cutoff=None)
    assert no_rule.due_date(monday_late, 3) == date(2024, 3, 7)
    strict = WorkingCalendar.from_settings({"afternoon_cutoff": "11:30"})
    assert strict.afternoon_cutoff == time(11, 30)
    assert strict.due_date(datetime(2024, 3, 4, 12, 0), 3) == date(2024, 3, 8)


def test_intake_on_weekend_and_makeup_saturday() -> None:
    assert CAL.due_date(datetime(2024, 3, 9, 9, 0), 1) == date(2024, 3, 12)  # Saturday -> from Monday
    # Saturday 4/5/2024 is a working day: 2 working days later is Tuesday 7/5.
    assert CAL.due_date(datetime(2024, 5, 4, 9, 0), 2) == date(2024, 5, 7)


def test_configured_swaps() -> None:
    cal = WorkingCalendar.from_settings(
        {"extra_days_off": ["2024-03-05"], "makeup_working_days": ["2024-03-09"]}
    )
    assert not cal.is_working_day(date(2024, 3, 5))
    assert cal.is_working_day(date(2024, 3, 9))
    assert cal.due_date(date(2024, 3, 4), 2) == date(2024, 3, 7)
    assert due_date(date(2024, 3, 4), 0) == date(2024, 3, 4)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2025, 1, 23), date(2025, 2, 6)) == 5
    assert CAL.working_days_between(date(2025, 2, 6), date(2025, 1, 23)) == -5


def test_half_days() -> None:
    monday = date(2024, 3, 4)
    assert CAL.due_date(datetime(2024, 3, 4, 9, 0), 0.5) == monday  # morning -> that afternoon
    assert CAL.due_date(datetime(2024, 3, 4, 13, 0), 0.5) == date(2024, 3, 5)  # afternoon -> next morning
    assert CAL.due_date(datetime(2024, 3, 4, 9, 0), 1.5) == date(2024, 3, 5)
    assert CAL.due_date(datetime(2024, 3, 4, 16, 0), 0.5) == date(
        2024, 3, 5
    )  # after the cutoff: from Tuesday morning
    assert CAL.due_date(datetime(2024, 3, 8, 14, 0), 0.5) == date(2024, 3, 11)  # Friday afternoon -> Monday
