"""Dates as officials type them: dd/mm/yyyy (the Vietnamese order, whatever the browser's
language), read into ISO ``yyyy-mm-dd`` for storage; ISO is accepted too (API clients, bookmarks)."""

from __future__ import annotations

import re
from datetime import date

DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The pattern of the web's date boxes (HTML ``pattern``: the browser checks it before sending).
HTML_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"


def iso_day(text: str) -> str:
    """``25/07/2023`` (or ``2023-07-25``) as ``2023-07-25``; "" for an empty box. ``ValueError``
    for anything else, or a day that does not exist (31/02/2024)."""
    text = str(text or "").strip()
    if not text:
        return ""
    if ISO_DAY.match(text):
        return date.fromisoformat(text).isoformat()
    found = DAY_MONTH_YEAR.match(text)
    if not found:
        raise ValueError(text)
    day, month, year = (int(g) for g in found.groups())
    return date(year, month, day).isoformat()


def shown_day(value: str) -> str:
    """An ISO day as the box shows it (dd/mm/yyyy); anything else as it is (what was typed)."""
    text = str(value or "").strip()
    if ISO_DAY.match(text):
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text
