"""The records unit's retention list: every document with its class, retain-until and hold,
filtered by class, retain-until range, hold and department; dates typed dd/mm/yyyy."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request

from archive.retention_list import RetentionFilter, retention_list
from ingest.day_text import iso_day
from search_ui.access import RECORDS_ROLES
from search_ui.auth import roles
from search_ui.current import services
from search_ui.i18n import translate as t

bp = Blueprint("retention", __name__)
PAGE_SIZE = 100


def _filter(args) -> RetentionFilter:
    """The filter of the query string; a date that cannot be read is said and left out."""
    days = {}
    for key in ("until_from", "until_to"):
        try:
            days[key] = iso_day(args.get(key, ""))
        except ValueError:
            flash(t("invalid_date_typed", value=args.get(key, "")), "error")
            days[key] = ""
    return RetentionFilter(
        retention_class=args.get("class", "").strip(),
        hold=args.get("hold", ""),
        department=args.get("department", "").strip(),
        **days,
    )


@bp.get("/records/retention")
@roles(*RECORDS_ROLES)
def retention():
    wanted = _filter(request.args)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    svc = services()
    total, rows = retention_list(svc.catalogue.db, wanted, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render_template(
        "records_retention.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=request.args.to_dict(),
        classes=svc.ingest.retention.classes,
        departments=dict(svc.procedures.departments),
    )
