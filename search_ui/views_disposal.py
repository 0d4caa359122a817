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

from ingest.day_text import iso_day as typed_day
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


VOTE_CHOICES = ("for", "against", "abstain")  # Đồng ý / Không đồng ý / Không biểu quyết
MEMBER_ROWS = 5


def _member_rows(form) -> list[dict]:
    """The council rows as typed (one per member: name, position, vote), blank rows kept so the
    form can be shown again exactly."""
    names, positions = form.getlist("member_name"), form.getlist("member_position")
    votes = form.getlist("member_vote")
    rows = []
    for i in range(max(len(names), len(positions), len(votes))):
        cell = [lst[i].strip() if i < len(lst) else "" for lst in (names, positions, votes)]
        rows.append({"name": cell[0], "position": cell[1], "vote": cell[2]})
    return rows


def _members(form) -> list[dict]:
    """Council members from the rows; a row half filled or with no choice is refused in Vietnamese."""
    out = []
    for n, row in enumerate(_member_rows(form), 1):
        if not (row["name"] or row["position"]):
            continue
        if not (row["name"] and row["position"]) or row["vote"] not in VOTE_CHOICES:
            raise ValueError(t("council_member_incomplete", n=n))
        out.append(row)
    if not out:
        raise ValueError(t("council_no_members"))
    return out


def _day(name: str) -> date:
    try:
        return date.fromisoformat(typed_day(request.form.get(name, "")))  # dd/mm/yyyy as typed
    except ValueError as exc:
        raise ValueError(t("invalid_date")) from exc


STEP_ACTIONS = {
    "council": lambda d, batch: d.record_council(
        batch,
        decision_no=request.form["decision_no"],
        decided_on=_day("date"),
        members=_members(request.form),
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


@bp.get("")
@roles(*RECORDS_ROLES)
def to_records():
    """The address reloaded or bookmarked after proposing: the disposal section of the records
    page (proposing is a POST; a GET here would otherwise answer 405)."""
    return redirect(url_for("records.overview") + "#disposal")


@bp.post("")
@roles(*RECORDS_ROLES)
def propose():
    from archive.disposal import DisposalError

    disposal = _disposal()
    try:
        body = disposal.propose(g.user.login)
    except DisposalError:
        # Say why: what is due may already be in a batch still open.
        flash(t("disposal_already_open" if disposal.open_dossiers() else "nothing_due"), "error")
        return redirect(url_for("records.overview") + "#disposal")
    return redirect(url_for("disposal.batch", batch=body["batch"]))


def _page(batch: str, disposal, form=None, status: int = 200):
    rows = _member_rows(form) if form is not None else []
    rows += [{"name": "", "position": "", "vote": ""}] * max(0, MEMBER_ROWS - len(rows))
    page = render_template(
        "disposal.html",
        batch=batch,
        steps=disposal.show(batch),
        form=form or {},
        members=rows,
        votes=VOTE_CHOICES,
    )
    return page, status


@bp.get("/<batch>")
@roles(*RECORDS_ROLES)
def batch(batch: str):
    disposal = _disposal()
    if batch not in disposal.batches():
        abort(404)
    return _page(batch, disposal)


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
    except KeyError:
        flash(t("disposal_field_missing"), "error")
    except ValueError as exc:  # our own checks: already in the official's language
        flash(str(exc), "error")
    except DisposalError as exc:
        flash(t("disposal_refused", reason=str(exc)), "error")
    else:
        flash(t("disposal_step_done_" + step), "ok")
        return redirect(url_for("disposal.batch", batch=batch))
    # Shown again with what was typed (never a redirect that clears the form).
    return _page(batch, disposal, request.form, 422)
