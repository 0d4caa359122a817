"""Records pages: legal hold and retention extension from the document page (written to the
archive, refused when they would shorten retention), the due list and reports; metadata
confirmation as a revision in the archive."""

from __future__ import annotations

import pytest

from search_ui.app import create_app
from tests.web_fixtures import csrf_of, login

pytest_plugins = ["tests.web_fixtures"]  # the session-wide data directory (real OCR, once)
pytestmark = pytest.mark.slow


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


def test_legal_hold_and_retention_from_the_document_page(app, web_data):
    svc, doc_id = web_data.services, web_data.xd_doc
    client = app.test_client()
    login(client, "lt")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'id="records-actions"' in page
    token = csrf_of(page)
    refused = client.post(
        f"/records/documents/{doc_id}/hold",
        follow_redirects=True,
        data={"on": "1", "reason": " ", "csrf_token": token},
    ).get_data(as_text=True)
    assert "Cần ghi lý do" in refused and svc.catalogue.document(doc_id)["legal_hold"] == 0
    html = client.post(
        f"/records/documents/{doc_id}/hold",
        follow_redirects=True,
        data={"on": "1", "reason": "Công văn 12/TTr-STP", "csrf_token": token},
    ).get_data(as_text=True)
    assert "Đã phong tỏa pháp lý" in html and svc.catalogue.document(doc_id)["legal_hold"] == 1
    assert svc.repository.load(doc_id).legal_hold is True
    assert (
        doc_id in client.get("/records").get_data(as_text=True).split('id="holds"')[1].split("</section>")[0]
    )
    retained = svc.repository.load(doc_id).retain_until
    earlier = client.post(
        f"/records/documents/{doc_id}/retention",
        follow_redirects=True,
        data={"until": "2030-01-01", "reason": "thử", "csrf_token": token},
    )
    assert "Chỉ được kéo dài thời hạn lưu trữ" in earlier.get_data(as_text=True)  # in Vietnamese (issue 15.9)
    assert svc.repository.load(doc_id).retain_until == retained
    later = client.post(
        f"/records/documents/{doc_id}/retention",
        follow_redirects=True,
        data={"until": "2099-12-31", "reason": "Quyết định 5/QĐ-STP", "csrf_token": token},
    )
    assert "Đã gia hạn bảo quản" in later.get_data(as_text=True)
    assert svc.catalogue.document(doc_id)["retain_until"] == "2099-12-31"
    client.post(
        f"/records/documents/{doc_id}/hold", data={"on": "0", "reason": "Hết vụ việc", "csrf_token": token}
    )
    assert svc.repository.load(doc_id).legal_hold is False
    reviewer = app.test_client()
    login(reviewer, "bt.xd")
    assert reviewer.post(
        f"/records/documents/{doc_id}/hold", data={"on": "1", "reason": "x"}
    ).status_code in (400, 403)


def test_confirmed_metadata_is_a_revision_in_the_archive(app, web_data):
    svc, doc_id = web_data.services, web_data.tp_doc
    code = svc.catalogue.document(doc_id)["dossier_code"]
    client = app.test_client()
    login(client, "tn.tp")
    url = f"/intake/dossiers/{code}/documents/{doc_id}/confirm"
    page = client.get(url).get_data(as_text=True)
    bad = client.post(
        url, follow_redirects=True, data={"issued_date": "31/02/2025", "csrf_token": csrf_of(page)}
    )
    assert "Ngày không hợp lệ" in bad.get_data(as_text=True)
    client.post(
        url,
        data={
            "type_name": "Giấy chứng nhận",
            "number": "215/GCN-UBND",
            "issued_date": "2025-03-14",
            "subject": "Chứng nhận đăng ký kết hôn",
            "valid_until": "",
            "csrf_token": csrf_of(page),
        },
    )
    doc = svc.repository.load(doc_id)
    assert (doc.metadata.subject, doc.metadata.number, doc.metadata.issued_date) == (
        "Chứng nhận đăng ký kết hôn",
        "215/GCN-UBND",
        "2025-03-14",
    )
    assert "Chứng nhận đăng ký kết hôn" in svc.catalogue.document(doc_id)["title"]
    # The web process only asks; the worker re-indexes (the index shows the confirmed text then).
    assert doc_id in [r["doc_id"] for r in svc.refresh_queue.pending()]


def test_fixity_results_and_audit_verification_on_the_records_page(app, web_data):
    from archive.fixity import run_fixity

    svc = web_data.services
    summary = run_fixity(svc.repository, svc.settings.data_dir / "fixity")
    client = app.test_client()
    login(client, "lt")
    page = client.get("/records").get_data(as_text=True)
    integrity = page.split('id="integrity"')[1].split("</section>")[0]
    assert f"<td>{summary.objects}</td><td>{summary.ok}</td>" in integrity
    verified = client.post("/records/audit-verify", follow_redirects=True, data={"csrf_token": csrf_of(page)})
    assert "Nhật ký kiểm toán toàn vẹn" in verified.get_data(as_text=True)


def test_waiting_and_failed_jobs_with_their_last_error_on_the_records_page(app, web_data):
    """The IT unit sees jobs that wait on an outage (next try) or failed, with the last error."""
    jobs = web_data.services.jobs
    waiting = jobs.submit(
        dossier_code="HS-JOBS-WEB",
        file_name="cho.png",
        sha256="0" * 64,
        content_type="image/png",
        spool_path="/nonexistent",
        params={},
    )
    failed = jobs.submit(
        dossier_code="HS-JOBS-WEB",
        file_name="loi.png",
        sha256="1" * 64,
        content_type="image/png",
        spool_path="/nonexistent",
        params={},
    )
    try:
        jobs.wait(waiting, "S3Unavailable: S3 server unreachable", fault=False)
        for _ in range(5):
            jobs.wait(failed, "RuntimeError: lỗi lập trình", fault=True)
        client = app.test_client()
        login(client, "lt")
        html = client.get("/records").get_data(as_text=True)
        section = html[html.index('id="jobs"') :]
        section = section[: section.index("</section>")]
        assert "HS-JOBS-WEB.001" in section and "S3Unavailable: S3 server unreachable" in section
        assert "đang chờ thử lại" in section
        assert "HS-JOBS-WEB.002" in section and "RuntimeError: lỗi lập trình" in section
        assert "sohoa jobs retry" in section
    finally:
        with jobs.db:
            jobs.db.execute("DELETE FROM jobs WHERE dossier_code = 'HS-JOBS-WEB'")


def test_hold_and_extension_say_reason_person_time_and_the_retention_list_filters(app, web_data):
    """Issue 15, item 6: the hold in force with its reason, person and time on the document page,
    each hold and extension in its history, and the records unit's retention list."""
    svc, doc_id = web_data.services, web_data.xd_doc
    client = app.test_client()
    login(client, "lt")
    token = csrf_of(client.get(f"/documents/{doc_id}").get_data(as_text=True))
    client.post(
        f"/records/documents/{doc_id}/hold",
        data={"on": "1", "reason": "Công văn 31/CV-CA", "csrf_token": token},
    )
    client.post(
        f"/records/documents/{doc_id}/retention",
        data={"until": "31/12/2100", "reason": "Quyết định 9/QĐ-STP", "csrf_token": token},
    )
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    held = page.split('id="hold-reason"')[1].split("</span>")[0]
    assert "Phong tỏa từ" in held and "do Cán bộ lt (lt) đặt" in held and "Công văn 31/CV-CA" in held, held
    history = page.split('id="history"')[1].split("</details>")[0]
    assert "Cán bộ lt (lt) đặt phong tỏa pháp lý; lý do: Công văn 31/CV-CA" in history, history
    assert "Cán bộ lt (lt) gia hạn bảo quản đến 31/12/2100; lý do: Quyết định 9/QĐ-STP" in history, history
    assert svc.catalogue.document(doc_id)["retain_until"] == "2100-12-31"

    listed = client.get("/records/retention?hold=1&department=XD").get_data(as_text=True)
    assert f'data-doc="{doc_id}"' in listed and web_data.tp_doc not in listed
    assert "31/12/2100" in listed and "Đang phong tỏa" in listed
    by_date = client.get("/records/retention?until_from=01/12/2100&until_to=31/12/2100").get_data(
        as_text=True
    )
    assert f'data-doc="{doc_id}"' in by_date and web_data.tp_doc not in by_date
    other_class = client.get("/records/retention?class=5&hold=1").get_data(as_text=True)
    assert f'data-doc="{doc_id}"' not in other_class
    bad = client.get("/records/retention?until_from=31/02/2100").get_data(as_text=True)
    assert "Ngày không hợp lệ: “31/02/2100”" in bad

    client.post(
        f"/records/documents/{doc_id}/hold",
        data={"on": "0", "reason": "Đã xong vụ việc", "csrf_token": token},
    )
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert (
        'id="hold-reason"' not in page
        and "Cán bộ lt (lt) gỡ phong tỏa pháp lý; lý do: Đã xong vụ việc" in page
    )
    reviewer = app.test_client()
    login(reviewer, "bt.xd")
    assert reviewer.get("/records/retention").status_code in (302, 403)


def test_document_history_is_one_story_in_time_order():
    from types import SimpleNamespace

    from search_ui.records_history import timeline

    job = SimpleNamespace(created_at="2026-12-02T05:25:00+00:00")
    records = [
        {"at": "2026-12-02T05:28:00+00:00", "kind": "hold_on"},
        {"at": "2026-12-02T05:28:30Z", "kind": "extend"},
    ]
    reuse = [{"linked_at": "2026-12-02T05:27:00+00:00", "dossier_code": "X"}]
    reads = [{"at": "2026-12-02T05:29:00+00:00"}, {"at": "2026-12-02T05:26:00+00:00"}]  # newest first
    kinds = [kind for kind, _ in timeline(job, records, reuse, reads)]
    assert kinds == ["job", "read", "reuse", "records", "records", "read"]
