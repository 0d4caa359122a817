"""Notices to the applicant: receipt and appointment slip, request to supplement (once per dossier),
refusal, apology with a new date (once per dossier). ``render_notice`` draws the A4 PDF,
``NoticeRegistry`` enforces the once-only rules in the state DB."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ingest.notices.registry import KINDS, NoticeError, NoticeLimitError, NoticeRecord, NoticeRegistry

if TYPE_CHECKING:
    from ingest.notices.render import date_line, render_notice
    from ingest.notices.service import issue_notice

# Drawing (reportlab) loads on first use: a command that only reads the registry skips it.
_DRAWING = {"date_line": "render", "render_notice": "render", "issue_notice": "service"}

__all__ = [
    "KINDS",
    "NoticeError",
    "NoticeLimitError",
    "NoticeRecord",
    "NoticeRegistry",
    "date_line",
    "issue_notice",
    "render_notice",
]


def __getattr__(name: str) -> Any:
    if name in _DRAWING:
        import importlib

        return getattr(importlib.import_module(f"ingest.notices.{_DRAWING[name]}"), name)
    raise AttributeError(f"module 'ingest.notices' has no attribute {name!r}")
