"""The disposal workflow through the records pages: propose the due list, council, appraisal,
decision, destruction; the destroyed document is gone from the catalogue, the pages and the
archive, and the batch's records stay."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from archive.audit import retain_until_for
from archive.disposal import PREFIX as DISPOSAL_PREFIX
from archive.stores.local import LocalStore
from search_ui.accounts import Accounts
from search_ui.app import create_app
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.web_fixtures import PASSWORD, csrf_of, ingest_scan, login

pytestmark = pytest.mark.slow
# The day after receipt in the center's zone (a document is received on the center's calendar
# day, which after 17:00 UTC is already the next day of the machine's clock).
TOMORROW = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + timedelta(days=1)


@pytest.fixture()
def expiring(tmp_path):
    """A data directory whose retention class "0" keeps records only until the day of receipt,
    and a store that believes it is tomorrow: the document ingested is due at once."""
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(
        '[retention]\nclasses = ["permanent", "70", "50", "20", "10", "5", "0"]\n'
        'default_class = "0"\ncounts_from = "received"\n'
        # The web's disposal keeps its records as long as this says (as the CLI's does).
        "[disposal]\nrecord_retain_years = 45\n",
        encoding="utf-8",
    )
    svc = services(load_settings(tmp_path / "data", settings_file))
    svc.__dict__["store"] = LocalStore(svc.settings.store_dir, today=lambda: TOMORROW)
    doc_id = ingest_scan(
        svc,
        ["Ghi chép nội bộ về việc tiếp nhận hồ sơ.", "Nơi cư trú: phường Tân Phong."],
        tmp_path / "don.png",
        dossier="HCC-2020-000001",
        applicant="001203004567",
        department="TP",
        role="component",
    )
    svc.index.close()
    Accounts(svc.settings.state_db).add("lt", PASSWORD, "records", "")
    return svc, doc_id


def test_disposal_from_proposal_to_destruction(expiring):
    svc, doc_id = expiring
    app = create_app(svc, config={"TESTING": True, "SOHOA_TODAY": lambda: TOMORROW})
    client = app.test_client()
    login(client, "lt")
    back = client.get("/records/disposal")  # reloaded or bookmarked: the records page, not a 405
    assert back.status_code == 302 and back.headers["Location"].endswith("/records#disposal")
    page = client.get("/records").get_data(as_text=True)
    resp = client.post("/records/disposal", data={"csrf_token": csrf_of(page)})
    assert resp.status_code == 302
    url = resp.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert doc_id in page and "HCC-2020-000001" in page
    token = csrf_of(page)
    steps = [
        (
            "council",
            {
                "decision_no": "05/BB-HĐ",
                "date": date.today().isoformat(),
                "member_name": ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C", ""],
                "member_position": ["Chủ tịch", "Thư ký", "Ủy viên", ""],
                "member_vote": ["for", "for", "against", ""],
            },
        ),
        (
            "appraisal",
            {
                "authority": "Sở Nội vụ",
                "number": "12/TĐ-SNV",
                "date": date.today().isoformat(),
                "approved": "1",
            },
        ),
        ("decision", {"number": "99/QĐ-TTPVHCC", "date": date.today().isoformat(), "signer": "Giám đốc"}),
        ("execute", {}),
    ]
    # A half-filled row is refused in Vietnamese and everything typed is shown again (no redirect).
    bad = client.post(
        f"{url}/council",
        data={
            "decision_no": "05/BB-HĐ",
            "date": date.today().isoformat(),
            "member_name": ["Nguyễn Văn A", "Đồng ý Thị B"],
            "member_position": ["Chủ tịch", "Thư ký"],
            "member_vote": ["for", ""],
            "csrf_token": token,
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Dòng 2: cần họ tên, chức vụ và một lựa chọn biểu quyết." in html
    assert 'value="Đồng ý Thị B"' in html and 'value="05/BB-HĐ"' in html and "{'" not in html
    assert '<option value="for" selected>Đồng ý</option>' in html and "Không biểu quyết" in html
    # A second batch cannot take the dossier of the open one.
    again = client.post("/records/disposal", data={"csrf_token": token}, follow_redirects=True)
    assert "đã nằm trong một đợt hủy đang mở" in again.get_data(as_text=True)
    assert [b for b in svc.disposal(with_index=False).batches()] == [url.rstrip("/").rsplit("/", 1)[1]]
    for step, form in steps:
        html = client.post(f"{url}/{step}", data={**form, "csrf_token": token}, follow_redirects=True)
        assert 'class="flash ok"' in html.get_data(as_text=True), (step, html.get_data(as_text=True))
    page = client.get(url).get_data(as_text=True)
    assert "Đã hủy 1 tài liệu" in page
    assert svc.catalogue.document(doc_id) is None and not svc.repository.exists(doc_id)
    assert client.get(f"/documents/{doc_id}").status_code == 404
    batch = url.rstrip("/").rsplit("/", 1)[1]
    record = svc.store.head(f"{DISPOSAL_PREFIX}{batch}/record.json")
    assert record.retain_until == retain_until_for(45, TOMORROW)
    # A step recorded once cannot be recorded again.
    again = client.post(
        f"{url}/decision",
        data={"number": "1", "date": "2026-01-01", "signer": "x", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Không thực hiện được" in again.get_data(as_text=True)
