"""One access-log entry per view: a document opened again in the same session, for the same
purpose, within ``[web] view_log_minutes`` (a reload after a records action, the way back from
a download) belongs to the view already logged."""

from __future__ import annotations

import time

from flask import session

from search_ui.current import services

KEY = "logged_views"
KEEP = 50  # documents remembered per session


def already_logged(doc_id: str, purpose: str) -> bool:
    """Whether this session logged a view of ``doc_id`` for ``purpose`` within the window."""
    entry = (session.get(KEY) or {}).get(doc_id)
    if not entry or entry[1] != purpose:
        return False
    return time.time() - float(entry[0]) < services().settings.web.view_log_minutes * 60


def remember(doc_id: str, purpose: str) -> None:
    """Note that this session logged a view of ``doc_id`` now."""
    logged = dict(session.get(KEY) or {})
    logged.pop(doc_id, None)
    logged[doc_id] = [time.time(), purpose]
    session[KEY] = dict(list(logged.items())[-KEEP:])
