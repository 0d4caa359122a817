"""Start-up chores of the web app: the first administrator account."""

from __future__ import annotations

from typing import TextIO


def ensure_first_admin(services, out: TextIO) -> None:
    """Placeholder until accounts exist (step 2 creates the first administrator here)."""
    return None
