"""Several files as one document (issue 15, item 10): page images joined in the order chosen into
one document (one job, one receipt line), on the web, through the API and the command line; a
refused part refuses the whole join, naming the file, and nothing is stored. Real Tesseract on
rendered pages, the real sandbox and spool."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from ingest.intake import run_or_wait
from search_ui.app import create_app
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import json_lines, run_sohoa
from tests.support.render import save_scan
from tests.web_fixtures import PASSWORD, add_officials, csrf_of, login, open_dossier_by_form

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("join")
    svc = services(load_settings(root / "data"))
    add_officials(svc)
    client = create_app(svc, config={"TESTING": True}).test_client()
    login(client, "tn.tp")
    pages = [
        save_scan(
            ["TỜ KHAI ĐĂNG KÝ KẾT HÔN", "Trang thứ nhất: thông tin bên nữ."], root / "trang-1.png", dpi=200
        ),
        save_scan(
            ["Trang thứ hai: thông tin bên nam.", "Cam kết độc thân."], root / "trang-2.png", dpi=200, seed=3
        ),
    ]
    return {"svc": svc, "client": client, "root": root, "pages": pages}


def _open(client) -> str:
    return open_dossier_by_form(client)


def _spool_files(svc) -> list[Path]:
    incoming = svc.ingest.spool_dir / "incoming"
    return list(incoming.iterdir()) if incoming.exists() else []


def test_the_form_says_what_will_happen_before_the_upload(site):
    code = _open(site["client"])
    html = site["client"].get(f"/intake/dossiers/{code}").get_data(as_text=True)
    assert 'name="one_document" value="0" checked' in html
    assert "Gộp các tệp đã chọn thành một tài liệu (mỗi tệp là một trang, theo thứ tự chọn)" in html
    assert "Mỗi tệp đã chọn sẽ thành một tài liệu riêng." in html  # without JS: the default's line
    assert 'data-plan-join-n="{n} tệp sẽ thành 1 tài liệu {n} trang' in html


def test_two_page_images_become_one_two_page_document(site):
    svc, client = site["svc"], site["client"]
    code = _open(client)
    token = csrf_of(client.get(f"/intake/dossiers/{code}").get_data(as_text=True))
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in site["pages"]]
    data = {"csrf_token": token, "one_document": "1", "component_name": "Tờ khai", "files": files}
    html = client.post(f"/intake/dossiers/{code}/files", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Đã nhận 2 tệp thành một tài liệu" in html, html
    jobs = svc.jobs.of_dossier(code)
    assert len(jobs) == 1 and jobs[0]["file_name"] == "trang-1 (gộp 2 tệp).pdf"
    run_or_wait(svc.ingest, svc.worker_lock(), [svc.jobs.get(jobs[0]["id"])])
    svc.index.close()
    job = svc.jobs.get(jobs[0]["id"])
    assert job.state == "done", (job.state, job.message)
    doc = svc.repository.load(job.doc_id)
    assert doc.page_count == 2
    assert "nhất" in doc.pages[0].text and "hai" in doc.pages[1].text, [p.text for p in doc.pages]
    receipt = client.get(f"/intake/dossiers/{code}/receipt").get_data(as_text=True)
    assert receipt.count(job.doc_id) == 1 and "Tờ khai" in receipt
    # The same files joined again are the same bytes: told as a duplicate, no second document.
    data["files"] = [(io.BytesIO(p.read_bytes()), p.name) for p in site["pages"]]
    data["csrf_token"] = csrf_of(client.get(f"/intake/dossiers/{code}").get_data(as_text=True))
    html = client.post(f"/intake/dossiers/{code}/files", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert f"tài liệu {job.doc_id}" in html and len(svc.jobs.of_dossier(code)) == 1, html


def test_a_refused_part_refuses_the_join_and_nothing_is_stored(site):
    svc, client = site["svc"], site["client"]
    code = _open(client)
    token = csrf_of(client.get(f"/intake/dossiers/{code}").get_data(as_text=True))
    before = _spool_files(svc)
    good = site["pages"][0]
    files = [
        (io.BytesIO(good.read_bytes()), good.name),
        (io.BytesIO(b"ghi chu, khong phai ban quet"), "ghi-chu.txt"),
    ]
    data = {"csrf_token": token, "one_document": "1", "files": files}
    html = client.post(f"/intake/dossiers/{code}/files", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Tệp «ghi-chu.txt» (tệp thứ 2/2 cần gộp)" in html and "Không tệp nào được lưu" in html, html
    assert svc.jobs.of_dossier(code) == [] and _spool_files(svc) == before
    assert not list(svc.ingest.spool_dir.glob("joins/*"))


def test_an_oversized_part_is_refused_by_the_api_naming_it(site):
    svc = site["svc"]
    app_client, headers = _api(svc)
    made = app_client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.000894.000.00.00.H19", "applicant_id": "079188001234"},
        headers=headers,
    )
    code = made.get_json()["code"]
    good = site["pages"][1]
    files = [(io.BytesIO(good.read_bytes()), good.name), (io.BytesIO(_big_png()), "trang-lon.png")]
    resp = app_client.post(
        f"/api/v1/dossiers/{code}/files", headers=headers, data={"files": files, "one_document": "1"}
    )
    assert resp.status_code == 202
    answers = resp.get_json()["files"]
    assert len(answers) == 1 and answers[0]["status"] == "rejected", answers
    assert answers[0]["reason_code"] == "too_many_pixels" and "«trang-lon.png»" in answers[0]["message"]
    assert svc.jobs.of_dossier(code) == []


def test_the_command_line_joins_with_one_document(site, tmp_path):
    data = tmp_path / "data"
    junk = tmp_path / "ghi-chu.pdf"
    junk.write_text("khong phai pdf")
    args = ["ingest", *map(str, site["pages"]), str(junk), "--one-document", "--dossier", "HS-GOP-1"]
    proc = run_sohoa(*args, "--applicant-id", "001203004567", "--department", "TP", data_dir=data)
    lines = json_lines(proc.stdout)
    assert proc.returncode == 2 and len(lines) == 1, proc.stdout + proc.stderr
    assert (
        lines[0]["reason_code"] == "unsupported_type" and "«ghi-chu.pdf» (tệp thứ 3/3" in lines[0]["message"]
    )
    assert lines[0]["file"] == "trang-1 (gộp 3 tệp).pdf"
    help_text = run_sohoa("ingest", "--help", data_dir=data).stdout
    assert "--one-document" in help_text


def _big_png() -> bytes:
    big = io.BytesIO()
    Image.new("1", (20000, 9000), 1).save(big, "PNG")  # 180 MP: over the 178.9 MP bound, a few KB
    return big.getvalue()


def test_an_oversized_image_is_refused_at_upload_before_any_job(site):
    """Refused in the answer to the upload (web and API), with the pipeline's reason code; no job
    is queued and nothing is left in the spool."""
    svc, client = site["svc"], site["client"]
    code = _open(client)
    token = csrf_of(client.get(f"/intake/dossiers/{code}").get_data(as_text=True))
    before = _spool_files(svc)
    data = {"csrf_token": token, "files": [(io.BytesIO(_big_png()), "ban-quet-lon.png")]}
    html = client.post(f"/intake/dossiers/{code}/files", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    # The size is told: read from the header at upload (the sandboxed inspection does not say it).
    assert "ban-quet-lon.png: Ảnh quá lớn: 20000 × 9000 điểm ảnh (180,0 triệu)" in html, html
    assert svc.jobs.of_dossier(code) == [] and _spool_files(svc) == before
    api, headers = _api(svc)
    resp = api.post(
        f"/api/v1/dossiers/{code}/files", headers=headers, data={"files": [(io.BytesIO(_big_png()), "x.png")]}
    )
    answer = resp.get_json()["files"][0]
    assert answer["status"] == "rejected" and answer["reason_code"] == "too_many_pixels", answer
    assert "vượt giới hạn 179,0 triệu điểm ảnh" in answer["message"] and svc.jobs.of_dossier(code) == []


def _api(svc):
    client = create_app(svc, config={"TESTING": True}).test_client()
    resp = client.post("/api/v1/session", json={"login": "tn.tp", "password": PASSWORD})
    return client, {"X-CSRF-Token": resp.get_json()["csrf_token"]}
