"""Handover to the historical archive in the browser (records unit): the dossiers due, building
and downloading their packages, and the handover record (biên bản giao nộp).

The workflow and its write-once record are the archive's (``archive.transfer``); this module
turns forms into calls. Building a package only reads the archive (streaming, file by file).
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from archive.audit import TRANSFER_DOWNLOAD
from archive.transfer.handover import Handover, TransferError
from search_ui.access import RECORDS_ROLES
from search_ui.auth import roles
from search_ui.current import services
from search_ui.i18n import translate as t

bp = Blueprint("transfer", __name__, url_prefix="/records/transfer")
FIELDS = ("number", "date", "archive_name", "deliverer", "receiver", "notes")


def _transfers():
    # The clock is the app's (``SOHOA_TODAY``) when a test stands on another day.
    return services().transfers(today=current_app.config.get("SOHOA_TODAY"))


def _page(form=None, status: int = 200):
    transfers = _transfers()
    records = [r for r in (transfers.show(i) for i in reversed(transfers.records())) if r]
    packages = transfers.packages()
    page = render_template(
        "transfer.html",
        due=transfers.due(),
        packages=packages,
        packaged={p["code"] for p in packages},
        today=transfers.today().strftime("%d/%m/%Y"),
        records=records,
        years=transfers.years,
        form=form or {},
        chosen=set(form.getlist("package")) if form is not None else set(),
    )
    return page, status


@bp.get("")
@roles(*RECORDS_ROLES)
def overview():
    return _page()


@bp.post("/package")
@roles(*RECORDS_ROLES)
def build():
    code = request.form.get("code", "")
    try:
        info = _transfers().build(code, g.user.login)
    except TransferError as exc:
        flash(str(exc), "error")
        return redirect(url_for("transfer.overview") + "#due")
    flash(t("transfer_built", code=code, size=info["size"]), "ok")
    return redirect(url_for("transfer.overview") + "#packages")


@bp.get("/packages/<package>.zip")
@roles(*RECORDS_ROLES)
def download(package: str):
    try:
        info, path = _transfers().package_file(package)
    except LookupError:
        abort(404)
    if not path.exists():
        abort(404)
    services().audit.append(TRANSFER_DOWNLOAD, g.user.login, info["code"], {"objid": info["objid"]})
    name = re.sub(r"[^A-Za-z0-9._-]", "_", info["code"]) + ".zip"
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=name)


def _handover_form():
    typed = request.form.get("date", "").strip()
    try:  # typed dd/mm/yyyy, as officials write dates (a browser's date widget follows its own locale)
        day = datetime.strptime(typed, "%d/%m/%Y").date()
    except ValueError:  # badly written, or no such day (31/02)
        raise TransferError(t("transfer_bad_date", value=typed)) from None
    return Handover(
        number=request.form.get("number", "").strip(),
        handed_on=day,
        archive_name=request.form.get("archive_name", "").strip(),
        deliverer=request.form.get("deliverer", "").strip(),
        receiver=request.form.get("receiver", "").strip(),
        notes=request.form.get("notes", "").strip(),
    )


@bp.post("/handover")
@roles(*RECORDS_ROLES)
def handover():
    try:
        body = _transfers().record(request.form.getlist("package"), _handover_form(), g.user.login)
    except TransferError as exc:
        flash(str(exc), "error")
        return _page(request.form, 422)  # shown again with what was typed
    flash(t("transfer_recorded", n=body["dossiers"]), "ok")
    return redirect(url_for("transfer.record", record_id=body["record"]))


@bp.get("/records/<record_id>")
@roles(*RECORDS_ROLES)
def record(record_id: str):
    body = _transfers().show(record_id)
    if body is None:
        abort(404)
    return render_template("transfer_record.html", r=body, center=services().settings.center)
