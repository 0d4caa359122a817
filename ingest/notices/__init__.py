"""Notices to the applicant: receipt and appointment slip, request to supplement (once per dossier),
refusal, apology with a new date (once per dossier). ``render_notice`` draws the A4 PDF,
``NoticeRegistry`` enforces the once-only rules in the state DB."""

from ingest.notices.registry import KINDS, NoticeError, NoticeLimitError, NoticeRecord, NoticeRegistry
from ingest.notices.render import date_line, render_notice
from ingest.notices.service import issue_notice

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
