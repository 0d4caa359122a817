"""Records unit pages: retention classes, the due list, legal holds, disposal batches, fixity
and audit state, storage by department and year; monthly reports with CSV export."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, abort, flash, g, jsonify, redirect, render_template, request, url_for

from ingest.dossiers import statistics as stats
from ingest.refusal import Refusal
from search_ui import records_actions
from search_ui.access import RECORDS_ROLES
from search_ui.auth import roles
from search_ui.current import services, web
from search_ui.i18n import current_language
from search_ui.i18n import translate as t

bp = Blueprint("records", __name__)


def _disposal_batches() -> list[dict]:
    disposal = services().disposal(with_index=False)
    return [
        {"batch": b, "steps": {k: v is not None for k, v in disposal.show(b).items()}}
        for b in disposal.batches()
    ]


def _audit_tip() -> tuple[int, str] | None:
    return services().audit.tip()


def _fixity_reports() -> list[dict]:
    """The latest fixity summaries written by ``sohoa fixity`` (newest first)."""
    folder = services().settings.data_dir / "fixity"
    if not folder.exists():
        return []
    out = []
    for path in sorted(folder.glob("fixity-*.json"), reverse=True)[:5]:
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue
    return out


def _stuck_jobs() -> list[dict]:
    """Ingest jobs waiting on an outage or failed, with their last error (for the IT unit)."""
    return [
        {
            "id": j.id,
            "doc_id": j.doc_id,
            "file_name": j.file_name,
            "state": j.state,
            "next_try_at": j.next_try_at,
            "last_error": j.last_error,
            "updated_at": j.updated_at,
        }
        for state in ("failed", "waiting")
        for j in services().jobs.list(state, limit=100)
    ]


def _departments() -> dict[str, str]:
    return dict(services().procedures.departments)


@bp.get("/records")
@roles(*RECORDS_ROLES)
def overview():
    svc = services()
    due = svc.catalogue.due_documents(date.today().isoformat())
    holds = svc.catalogue.held_documents()
    storage = stats.storage(svc.catalogue)
    policy = svc.ingest.retention
    return render_template(
        "records.html",
        policy=policy,
        due=due,
        holds=holds,
        storage=storage,
        departments=_departments(),
        chart=stats.bars(storage, "pages", lambda r: f"{r['department'] or '—'} {r['year']}"),
        batches=_disposal_batches(),
        audit_tip=_audit_tip(),
        fixity=_fixity_reports(),
        stuck_jobs=_stuck_jobs(),
        reads=web().access_log.recent(30),
    )


# Report columns whose heading key on the page differs from the column's own name.
CSV_HEADERS = {"pages": "pages_digitised", "ocr_mean_confidence": "ocr_quality"}


def _month() -> str:
    month = request.args.get("month") or services().dossiers.now().strftime("%Y-%m")  # the center's month
    if not stats.MONTH_RE.match(month):
        abort(400)
    return month


@bp.post("/records/audit-verify")
@roles(*RECORDS_ROLES)
def audit_verify():
    """Walk the hash-chained audit log and report edited, dropped or reordered entries."""
    report = services().audit.verify()
    if report.ok:
        flash(t("audit_ok", n=report.entries), "ok")
    else:
        flash(t("audit_problems", n=len(report.problems), first=report.problems[0].message), "error")
    return redirect(url_for("records.overview") + "#integrity")


@bp.get("/reports")
@roles(*RECORDS_ROLES)
def reports():
    month = _month()
    rows = stats.monthly(services().catalogue, month)
    depts = rows[:-1]
    return render_template(
        "reports.html",
        month=month,
        month_label=f"{month[5:7]}/{month[:4]}",  # 12/2026, as officials write a month
        rows=rows,
        departments=_departments(),
        pages_chart=stats.bars(depts, "pages", lambda r: r["department"] or "—"),
        dossier_chart=stats.bars(depts, "dossiers_received", lambda r: r["department"] or "—"),
    )


@bp.get("/reports.csv")
@roles(*RECORDS_ROLES)
def reports_csv():
    month = _month()
    rows = stats.monthly(services().catalogue, month)
    rows[-1] = {**rows[-1], "department": t("total")}  # the total row, named as on the screen
    body = stats.to_csv(
        rows,
        {k: t(CSV_HEADERS.get(k, k)) for k in stats.COLUMNS},
        current_language(),
    )
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="thong-ke-{month}.csv"'},
    )


@bp.get("/api/v1/stats")
@roles(*RECORDS_ROLES)
def stats_json():
    month = _month()
    return jsonify({"month": month, "rows": stats.monthly(services().catalogue, month)})


def _act(doc_id: str, change, done: str):
    """Run a records ``change()``, say how it went, back to the document page."""
    try:
        change()
    except LookupError:
        abort(404)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(done, "ok")
    return redirect(url_for("search.document", doc_id=doc_id))


@bp.post("/records/documents/<doc_id>/hold")
@roles(*RECORDS_ROLES)
def legal_hold(doc_id: str):
    """Set or release the legal hold of every object of a document (a reason is required)."""
    on, reason = request.form.get("on") == "1", request.form.get("reason", "")
    return _act(
        doc_id,
        lambda: records_actions.set_hold(services(), web(), g.user, doc_id, on, reason),
        t("hold_set" if on else "hold_released", doc=doc_id),
    )


@bp.post("/records/documents/<doc_id>/retention")
@roles(*RECORDS_ROLES)
def extend(doc_id: str):
    """Move retain-until later (never earlier: the store refuses)."""
    until, reason = request.form.get("until", ""), request.form.get("reason", "")
    return _act(
        doc_id,
        lambda: records_actions.extend(services(), web(), g.user, doc_id, until, reason),
        t("retention_extended", doc=doc_id, until=until),
    )
