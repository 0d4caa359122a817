"""Handover to the historical archive: the due list follows ``[transfer] years`` and the center's
calendar; a package is built for a due dossier, downloaded from the records pages, and the
handover record is kept write-once, audited, and takes the dossier off the due list."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from archive.fixity import run_fixity
from archive.object_store import ObjectExists, RetentionError
from archive.packages.validate import validate_package
from archive.transfer.handover import Handover, TransferError
from search_ui.accounts import Accounts
from search_ui.app import create_app
from tests.package_fixtures import LIMITS, stored_document
from tests.web_fixtures import PASSWORD, csrf_of, login

TODAY = date(2026, 12, 30)
DUE = "HS-TN-2014"  # permanent, received 2014: due from 31/12/2024
LATER = "HS-TN-2020"  # permanent, received 2020: due from 31/12/2030
SHORT = "HS-TN-2010"  # kept 20 years only: never handed over
NEW_YEAR = "HS-TN-2015"  # received 31/12/2015 18:00 UTC = 01/01/2016 in Hà Nội: due 31/12/2026


@pytest.fixture
def archive(svc):
    for code, received, retention, at in (
        (DUE, "2014-05-10", "", "2014-05-10T09:00:00+07:00"),
        (LATER, "2020-02-03", "", "2020-02-03T09:00:00+07:00"),
        (SHORT, "2010-06-01", "20", "2010-06-01T09:00:00+07:00"),
        (NEW_YEAR, "2016-01-01", "", "2015-12-31T18:00:00+00:00"),
    ):
        svc.catalogue.ensure_dossier(code, procedure_name=f"Thủ tục của {code}", received_at=at)
        stored_document(svc, 1, code=code, retention=retention, received=received)
    stored_document(svc, 2, code=DUE, received="2014-05-10")
    return svc


def _handover(**over) -> Handover:
    values = {
        "number": "01/BB-GN",
        "handed_on": TODAY,
        "archive_name": "Lưu trữ lịch sử tỉnh Đồng Nai",
        "deliverer": "Lê Thị Lưu, viên chức lưu trữ",
        "receiver": "Phạm Văn Nhận, Phòng Thu thập",
    }
    return Handover(**{**values, **over})


def test_due_list_follows_years_and_center_calendar(archive) -> None:
    due = archive.transfers(today=lambda: TODAY).due()
    assert [(d.code, d.due_on, d.documents) for d in due] == [(DUE, "2024-12-31", 2)]
    assert due[0].retention == "permanent" and due[0].received_on == "2014-05-10"
    # On the last day of 2026 the dossier received on the center's 01/01/2016 is due too.
    later = archive.transfers(today=lambda: date(2026, 12, 31)).due()
    assert [d.code for d in later] == [DUE, NEW_YEAR]


def test_build_record_and_refusals(archive) -> None:
    transfers = archive.transfers(today=lambda: TODAY)
    with pytest.raises(TransferError, match=f"Hồ sơ {LATER} chưa đến hạn giao nộp"):
        transfers.build(LATER, "lt")
    info = transfers.build(DUE, "lt")
    _, path = transfers.package_file(info["package"])
    found = validate_package(str(path), LIMITS)
    assert found.package_type == "SIP" and len(found.records) == 2
    assert hashlib.sha256(path.read_bytes()).hexdigest() == info["sha256"]
    with pytest.raises(TransferError, match="Thiếu người nhận"):
        transfers.record([info["package"]], _handover(receiver=" "), "lt")
    with pytest.raises(TransferError, match="không được sau ngày hôm nay"):
        transfers.record([info["package"]], _handover(handed_on=date(2027, 1, 5)), "lt")
    body = transfers.record([info["package"]], _handover(), "lt")
    assert body["items"][0]["sha256"] == info["sha256"] and body["documents"] == 2
    assert transfers.due() == [] and transfers.packages() == []
    assert transfers.handed_over() == {DUE: body["record"]}
    with pytest.raises(TransferError, match=f"đã được giao nộp theo biên bản {body['record']}"):
        transfers.record([info["package"]], _handover(number="02/BB-GN"), "lt")
    key = f"transfer/{body['record']}/record.json"
    with pytest.raises((ObjectExists, RetentionError)):
        archive.store.put_bytes(key, b"{}", content_type="application/json")
    assert archive.store.head(key).retain_until >= date(2096, 12, 30)
    checked = {}
    run_fixity(
        archive.repository,
        archive.settings.data_dir / "fixity",
        on_check=lambda c: checked.update({c.key: c.status}),
    )
    assert checked[key] == "ok"  # the record is checked like a destruction record
    actions = [e["action"] for e in archive.audit.entries()]
    assert "transfer.package" in actions and "transfer.handover" in actions


def test_changed_package_is_not_recorded(archive) -> None:
    transfers = archive.transfers(today=lambda: TODAY)
    info = transfers.build(DUE, "lt")
    _, path = transfers.package_file(info["package"])
    with path.open("ab") as fh:
        fh.write(b"\0")
    with pytest.raises(TransferError, match="đã bị thay đổi sau khi đóng gói"):
        transfers.record([info["package"]], _handover(), "lt")
    assert transfers.records() == []


def test_records_pages(archive) -> None:
    Accounts(archive.settings.state_db).add("lt", PASSWORD, "records", "")
    app = create_app(archive, config={"TESTING": True, "SOHOA_TODAY": lambda: TODAY})
    client = app.test_client()
    login(client, "lt")
    page = client.get("/records/transfer").get_data(as_text=True)
    assert DUE in page and "31/12/2024" in page and "10/05/2014" in page and LATER not in page
    resp = client.post("/records/transfer/package", data={"code": DUE, "csrf_token": csrf_of(page)})
    assert resp.status_code == 302
    page = client.get("/records/transfer").get_data(as_text=True)
    assert f"Đã đóng gói hồ sơ {DUE}" in page
    package = archive.transfers(today=lambda: TODAY).packages()[0]
    zipped = client.get(f"/records/transfer/packages/{package['package']}.zip")
    assert zipped.status_code == 200 and "attachment" in zipped.headers["Content-Disposition"]
    assert hashlib.sha256(zipped.get_data()).hexdigest() == package["sha256"]
    form = {
        "csrf_token": csrf_of(page),
        "package": package["package"],
        "number": "07/BB-GN",
        "date": "29/12/2026",
        "archive_name": "Lưu trữ lịch sử tỉnh Đồng Nai",
        "deliverer": "Lê Thị Lưu",
        "receiver": "",
    }
    iso = client.post("/records/transfer/handover", data={**form, "date": "2026-12-29", "receiver": "X"})
    assert iso.status_code == 422 and "dd/mm/yyyy" in iso.get_data(as_text=True)
    no_such_day = client.post(
        "/records/transfer/handover", data={**form, "date": "31/02/2026", "receiver": "X"}
    )
    text = no_such_day.get_data(as_text=True)  # written right but no such day: say so, with what was typed
    assert no_such_day.status_code == 422 and "«31/02/2026»" in text and "ngày có thật" in text
    refused = client.post("/records/transfer/handover", data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Thiếu người nhận" in text and 'value="07/BB-GN"' in text
    done = client.post("/records/transfer/handover", data={**form, "receiver": "Phạm Văn Nhận"})
    assert done.status_code == 302
    record = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Biên bản giao nộp" in record and "07/BB-GN" in record and "29/12/2026" in record
    assert package["sha256"] in record
    english = client.get(done.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Record of handover" in english and "29/12/2026" in english
    assert client.get("/records/transfer/records/nope").status_code == 404


def test_one_record_for_several_dossiers(archive) -> None:
    transfers = archive.transfers(today=lambda: date(2026, 12, 31))
    built = [transfers.build(code, "lt")["package"] for code in (DUE, NEW_YEAR)]
    again = transfers.build(DUE, "lt")["package"]  # built twice: one package per dossier in a record
    with pytest.raises(TransferError, match="Hai gói của cùng một hồ sơ"):
        transfers.record([*built, again], _handover(handed_on=date(2026, 12, 31)), "lt")
    body = transfers.record(built, _handover(handed_on=date(2026, 12, 31)), "lt")
    assert (body["dossiers"], body["documents"], body["pages"]) == (2, 3, 3)
    assert sorted(i["code"] for i in body["items"]) == [DUE, NEW_YEAR] and transfers.due() == []
