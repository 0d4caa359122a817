"""The records unit's access log: who read which citizen's document, when and why, filtered by
official, document, applicant and days (the center's calendar). The filter is sent by POST:
an applicant's ID never goes into a URL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, render_template, request

from ingest.day_text import iso_day
from search_ui.access import RECORDS_ROLES
from search_ui.auth import roles
from search_ui.current import services, web
from search_ui.i18n import translate as t

bp = Blueprint("access_log", __name__)
FIELDS = ("login", "document_id", "applicant_id", "day_from", "day_to")


def _instant(day: str, zone: ZoneInfo, plus_days: int = 0) -> str:
    """The UTC instant (as the log stores it) at which the center's ``day`` (+ days) begins."""
    start = datetime.combine(date.fromisoformat(day) + timedelta(days=plus_days), time(0), zone)
    return start.astimezone(UTC).isoformat(timespec="seconds")


def _filters(form) -> dict[str, str]:
    """The log's filter from the form; a date that cannot be read is said and left out."""
    zone = ZoneInfo(services().settings.center.timezone)
    out = {
        "login": form.get("login", "").strip(),
        "document_id": form.get("document_id", "").strip(),
        "owner_id": form.get("applicant_id", "").strip(),
    }
    for key, name, plus in (("since", "day_from", 0), ("until", "day_to", 1)):
        try:
            day = iso_day(form.get(name, ""))
        except ValueError:
            flash(t("invalid_date_typed", value=form.get(name, "")), "error")
            day = ""
        out[key] = _instant(day, zone, plus) if day else ""
    return out


@bp.route("/records/access-log", methods=["GET", "POST"])
@roles(*RECORDS_ROLES)
def access_log():
    typed = {k: request.form.get(k, "") for k in FIELDS} if request.method == "POST" else {}
    if typed:
        wanted = _filters(request.form)
        rows = web().access_log.search(
            login=wanted["login"],
            document_id=wanted["document_id"],
            owner_id=wanted["owner_id"],
            since=wanted["since"],
            until=wanted["until"],
        )
    else:
        rows = web().access_log.recent(200)
    return render_template("records_access_log.html", rows=rows, typed=typed)
