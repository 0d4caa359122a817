"""The disposal workflow in the browser (records unit): propose the due list, record the
council's vote, the archive authority's appraisal and the head's decision, then destroy.

Each step is the archive's own write-once record (``archive.disposal``); this module only turns
forms into calls. The web process never writes the search index: destroyed documents leave the
catalogue at once (so search and every page stop showing them) and the index at the next
``sohoa reindex``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from search_ui.access import RECORDS_ROLES
from search_ui.auth import roles
from search_ui.current import services
from search_ui.i18n import translate as t

bp = Blueprint("disposal", __name__, url_prefix="/records/disposal")


def _disposal():
    # The clock is the app's (``SOHOA_TODAY``, a callable) so tests can stand on a later day. The
    # web process never writes the index: the worker drops destroyed documents from it.
    today = current_app.config.get("SOHOA_TODAY", date.today)
    return services().disposal(today=today, with_index=False)


def _members(text: str) -> list[dict]:
    """Council members, one a line: ``name; position; for|against|abstain``."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split(";")]
        if len(parts) == 3 and all(parts):
            out.append({"name": parts[0], "position": parts[1], "vote": parts[2]})
    return out


def _day(name: str) -> date:
    return date.fromisoformat(request.form.get(name, ""))


STEP_ACTIONS = {
    "council": lambda d, batch: d.record_council(
        batch,
        decision_no=request.form["decision_no"],
        decided_on=_day("date"),
        members=_members(request.form["members"]),
        actor=g.user.login,
    ),
    "appraisal": lambda d, batch: d.record_appraisal(
        batch,
        authority=request.form["authority"],
        number=request.form["number"],
        appraised_on=_day("date"),
        approved=request.form.get("approved") == "1",
        actor=g.user.login,
        notes=request.form.get("notes", ""),
    ),
    "decision": lambda d, batch: d.record_decision(
        batch,
        number=request.form["number"],
        decided_on=_day("date"),
        signer=request.form["signer"],
        actor=g.user.login,
    ),
    "execute": lambda d, batch: _execute(d, batch),
}


def _execute(disposal, batch: str) -> dict:
    """Destroy, then ask the worker (the index's one writer) to drop the destroyed documents."""
    body = disposal.execute(batch, g.user.login)
    for outcome in body.get("destroyed", []):
        services().refresh_queue.request(outcome["id"], "destroyed by disposal", g.user.login)
    return body


@bp.post("")
@roles(*RECORDS_ROLES)
def propose():
    from archive.disposal import DisposalError

    try:
        body = _disposal().propose(g.user.login)
    except DisposalError:
        flash(t("nothing_due"), "error")
        return redirect(url_for("records.overview") + "#disposal")
    return redirect(url_for("disposal.batch", batch=body["batch"]))


@bp.get("/<batch>")
@roles(*RECORDS_ROLES)
def batch(batch: str):
    disposal = _disposal()
    if batch not in disposal.batches():
        abort(404)
    return render_template("disposal.html", batch=batch, steps=disposal.show(batch))


@bp.post("/<batch>/<step>")
@roles(*RECORDS_ROLES)
def record(batch: str, step: str):
    from archive.disposal import DisposalError

    action = STEP_ACTIONS.get(step)
    disposal = _disposal()
    if action is None or batch not in disposal.batches():
        abort(404)
    try:
        action(disposal, batch)
    except (DisposalError, KeyError, ValueError) as exc:
        flash(t("disposal_refused", reason=str(exc)), "error")
    else:
        flash(t("disposal_step_done_" + step), "ok")
    return redirect(url_for("disposal.batch", batch=batch))
