"""The batch page for counter staff (Flask test client, real QR reading and intake; jobs are left
for the worker): upload a stack, see which pages went where, route the held part (audit-logged),
once only, to a dossier in the official's scope; another department's dossier is not shown."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from search_ui.app import create_app
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.batch_stack import COMPONENT, TP_CODE, XD_CODE, make_stack, open_dossiers
from tests.web_fixtures import add_officials, csrf_of, login


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A data directory with two dossiers, an intake officer of TP signed in, one stack uploaded."""
    root = tmp_path_factory.mktemp("webbatch")
    svc = services(load_settings(root / "data"))
    add_officials(svc)
    open_dossiers(svc)
    stack = make_stack(root)
    client = create_app(svc, config={"TESTING": True}).test_client()
    login(client, "tn.tp")
    token = csrf_of(client.get("/intake/batches").get_data(as_text=True))
    resp = client.post(
        "/intake/batches",
        data={"csrf_token": token, "files": [(io.BytesIO(stack.read_bytes()), stack.name)]},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return {"svc": svc, "client": client, "url": resp.headers["Location"]}


def _rows(html: str) -> list[str]:
    body = html.split('id="batch-parts"', 1)[1].split("</table>", 1)[0]
    rows = body.split("<tr data-part")[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<tr" + r)).strip() for r in rows]


def test_batch_page_shows_which_pages_went_where(site):
    html = site["client"].get(site["url"]).get_data(as_text=True)
    assert "Đã nhận chồng giấy: 3 phần" in html
    rows = _rows(html)
    assert len(rows) == 3
    assert rows[0].startswith("1 Chưa rõ hồ sơ") and "Đang giữ lại" in rows[0]
    assert rows[1].startswith(f"3 {TP_CODE} Thành phần hồ sơ {COMPONENT} Trang 2 4 Đang chờ"), rows[1]
    assert TP_CODE + ".001" in rows[1]
    # The receipt's dossier is construction's: the TP officer sees that a part went elsewhere only.
    assert rows[2].startswith("6 Hồ sơ của bộ phận khác"), rows[2]
    assert rows[2].endswith("Đã nhận"), "no empty message after a colon"
    assert XD_CODE not in html
    # dd/mm/yyyy HH:MM in the center's zone
    record = site["svc"].batch_book.recent()[0]
    local = datetime.fromisoformat(record["received_at"]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"Lượt quét lúc {local:%d/%m/%Y %H:%M}" in html


def test_held_part_is_listed_with_its_page_image(site):
    client = site["client"]
    index = client.get("/intake/batches").get_data(as_text=True)
    assert "Trang đang giữ lại, chờ chọn hồ sơ" in index and "chong-0001.pdf" in index
    html = client.get(site["url"]).get_data(as_text=True)
    image = re.search(r'<img src="([^"]+/held/trang-1-1.pdf/1.png)"', html).group(1)
    resp = client.get(image)
    assert resp.status_code == 200 and resp.data.startswith(b"\x89PNG")
    assert client.get(image.replace("/1.png", "/2.png")).status_code == 404


def _route(site, **form):
    client = site["client"]
    token = csrf_of(client.get(site["url"]).get_data(as_text=True))
    url = site["url"] + "/held/trang-1-1.pdf/route"
    return client.post(url, data={"csrf_token": token, **form}, follow_redirects=True).get_data(as_text=True)


def test_route_held_part_refuses_unknown_or_foreign_dossier(site):
    assert "Không có hồ sơ KHONG-CO trong phạm vi của bạn" in _route(site, dossier_code="KHONG-CO")
    assert f"Không có hồ sơ {XD_CODE} trong phạm vi" in _route(site, dossier_code=XD_CODE)
    held = site["svc"].batch_book.held_parts()
    assert [h["status"] for h in held] == ["held"], "still held"


def test_route_held_part_to_a_dossier_once_with_audit(site):
    html = _route(site, dossier_code=TP_CODE, role="component", component_name="Giấy xác nhận cư trú")
    assert f"Đã chuyển trang 1 vào hồ sơ {TP_CODE} (tài liệu {TP_CODE}.002)" in html
    assert f"Đã chuyển vào hồ sơ {TP_CODE} (tài liệu {TP_CODE}.002) bởi Cán bộ tn.tp (tn.tp)" in html
    assert "Trang 1: đã chọn hồ sơ" in html and "chưa rõ thuộc hồ sơ nào" not in html
    routed = _rows(html)[0]
    assert routed.startswith(f"1 {TP_CODE} Thành phần hồ sơ Giấy xác nhận cư trú"), routed
    assert "Cán bộ tn.tp (tn.tp) đã chọn hồ sơ" in routed and routed.endswith(f"{TP_CODE}.002")
    svc = site["svc"]
    [held] = svc.batch_book.held_parts()
    assert (held["status"], held["dossier_code"], held["actor"]) == ("routed", TP_CODE, "tn.tp")
    job = svc.jobs.by_doc_id(f"{TP_CODE}.002")
    assert job is not None and job.params["component_name"] == "Giấy xác nhận cư trú"
    audit = [e for e in svc.audit.entries() if e["action"] == "batch.route"]
    assert [(e["actor"], e["subject"], e["details"]["pages"]) for e in audit] == [
        ("tn.tp", f"{TP_CODE}.002", [1])
    ]
    again = _route(site, dossier_code=TP_CODE)
    assert "đã được chuyển vào hồ sơ khác rồi" in again
    assert len([e for e in svc.audit.entries() if e["action"] == "batch.route"]) == 1
    log = (svc.settings.data_dir / "held" / "held.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["status"] for x in log] == ["held", "routed"]


def test_english_and_unknown_batch(site):
    client = site["client"]
    assert "Which pages went to which dossier" in client.get(site["url"] + "?lang=en").get_data(as_text=True)
    client.get("/intake/batches?lang=vi")
    assert client.get("/intake/batches/20990101T000000-abcdef").status_code == 404
    assert client.get("/intake/batches/..%2F..%2Fstate").status_code == 404


def test_unreadable_upload_is_refused_and_stores_nothing(site):
    client = site["client"]
    before = len(site["svc"].batch_book.recent())
    token = csrf_of(client.get("/intake/batches").get_data(as_text=True))
    html = client.post(
        "/intake/batches",
        data={"csrf_token": token, "files": [(io.BytesIO(b"%PDF-1.4 cut"), "hong.pdf")]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Không đọc được tệp hong.pdf" in html
    assert len(site["svc"].batch_book.recent()) == before


def _move(site, number: int, **form) -> str:
    client = site["client"]
    token = csrf_of(client.get(site["url"]).get_data(as_text=True))
    url = f"{site['url']}/parts/{number}/move"
    return client.post(url, data={"csrf_token": token, **form}, follow_redirects=True).get_data(as_text=True)


def test_move_a_part_to_another_dossier_before_it_is_archived(site):
    """The TP part (stack page 3 after its cover sheet, still queued) was filed in the wrong TP dossier: the officer
    moves it; once a worker has taken a part, it cannot move any more."""
    from ingest.dossiers.opening import open_dossier
    from tests.support.batch_stack import TP_PROCEDURE

    svc = site["svc"]
    other = "000.00.12.H19-251202-0303"
    open_dossier(
        svc.dossiers,
        "test",
        svc.dossiers.procedures.procedures[TP_PROCEDURE],
        "001203009999",
        "Võ Thị Lan",
        code=other,
    )
    old = svc.jobs.by_doc_id(f"{TP_CODE}.001")
    assert old is not None and old.state == "queued"
    assert 'action="' + site["url"] + '/parts/2/move"' in site["client"].get(site["url"]).get_data(
        as_text=True
    )
    assert f"Không có hồ sơ {XD_CODE} trong phạm vi" in _move(site, 2, dossier_code=XD_CODE)

    html = _move(site, 2, dossier_code=other, role="component", component_name=COMPONENT)

    new = svc.jobs.by_doc_id(f"{other}.001")
    assert new is not None and new.state == "queued" and new.sha256 == old.sha256, "the same pages"
    assert f"Đã chuyển trang 3 sang hồ sơ {other} (tài liệu {other}.001)" in html
    row = _rows(html)[1]
    assert row.startswith(f"3 {other} Thành phần hồ sơ {COMPONENT}") and "Chuyển từ hồ sơ " + TP_CODE in row
    gone = svc.jobs.get(old.id)
    assert (gone.state, gone.reason_code) == ("rejected", "part_moved")
    assert not os.path.exists(old.spool_path), "the first copy is not processed nor kept"
    audit = [e for e in svc.audit.entries() if e["action"] == "batch.move"]
    assert [(e["actor"], e["subject"], e["details"]["from"]) for e in audit] == [
        ("tn.tp", f"{other}.001", TP_CODE)
    ]

    assert svc.jobs.claim(new, "worker-test") is not None  # a worker takes it now
    refused = _move(site, 2, dossier_code=TP_CODE)
    assert "Không chuyển được phần này" in refused
    assert svc.jobs.get(new.id).state == "running" and svc.jobs.by_doc_id(f"{TP_CODE}.003") is None
