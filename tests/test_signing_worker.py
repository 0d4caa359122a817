"""When copies get signed: the intake officer's confirmation queues the document, the worker signs
it (the officer's login in the signature's reason); a failure (TSA down) leaves it unsigned and
queued with the error, shown on the document page and in the API, until a later run signs it.
`sohoa fixity` reports a stored copy that no longer validates."""

from __future__ import annotations

import json

from archive.signing.verify import verify_pdf
from ingest.signing_queue import run_signings
from search_ui.app import create_app
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.support.signing_setup import PASSWORD, PASSWORD_ENV, store_pdfa_document, write_settings
from tests.web_fixtures import PASSWORD as WEB_PASSWORD
from tests.web_fixtures import add_officials, login, open_dossier_by_form

pytest_plugins = ["tests.signing_fixtures"]

DOC_ID = "000.00.12.H19-261201-0004.001"


def _web(svc):
    app = create_app(svc, config={"TESTING": True})
    client = app.test_client()
    resp = client.post("/api/v1/session", json={"login": "tn.tp", "password": WEB_PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    return client, resp.get_json()["csrf_token"]


def _api_doc(client) -> dict:
    resp = client.get(f"/api/v1/documents/{DOC_ID}?purpose=processing")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["certified_copy"]


def test_confirmation_signs_through_the_worker(pki, sample_pdfa, data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    down = write_settings(tmp_path / "down.toml", pki, tsa_url="http://127.0.0.1:9/tsa")  # nothing listens
    svc = services(load_settings(data_dir, down))
    store_pdfa_document(svc, sample_pdfa, DOC_ID, role="component", department="TP")
    add_officials(svc)
    client, token = _web(svc)
    resp = client.post(
        f"/api/v1/documents/{DOC_ID}/confirm",
        headers={"X-CSRF-Token": token},
        json={"type_name": "Giấy phép", "subject": "Giấy phép xây dựng"},
    )
    assert resp.status_code == 200, resp.get_json()
    assert _api_doc(client)["state"] == "queued"
    # The worker tries: the TSA is down, so nothing is signed and the request stays with its error.
    assert run_signings(svc.repository, svc.signing, svc.signing_queue) == 1
    assert svc.repository.load(DOC_ID).certified_copies == []
    status = _api_doc(client)
    assert status["state"] == "queued" and status["queued"]["error_code"] == "tsa_unavailable"
    assert status["queued"]["attempts"] == 1 and status["queued"]["next_try"]
    page = client.get(f"/documents/{DOC_ID}").get_data(as_text=True)
    assert 'data-certified="queued"' in page and 'data-certified="error"' in page
    assert run_signings(svc.repository, svc.signing, svc.signing_queue) == 0  # backing off
    proc = run_sohoa("--settings", str(down), "certify", "--pending", data_dir=data_dir)
    pending = json.loads(proc.stdout)
    assert (pending["doc_id"], pending["actor"], pending["error_code"]) == (
        DOC_ID,
        "tn.tp",
        "tsa_unavailable",
    )
    # The TSA is back (settings with the live one): the next worker run signs it.
    up = write_settings(tmp_path / "up.toml", pki)
    svc_up = services(load_settings(data_dir, up))
    run_sohoa("--settings", str(up), "certify", "--pending", "--retry", data_dir=data_dir, check=True)
    proc = run_sohoa(
        "--settings", str(up), "worker", "--once", data_dir=data_dir, env={PASSWORD_ENV: PASSWORD}
    )
    assert proc.returncode == 0, proc.stderr
    assert svc_up.signing_queue.all() == []
    copies = svc_up.repository.load(DOC_ID).certified_copies
    assert len(copies) == 1 and copies[0]["by"] == "tn.tp"
    client, _ = _web(svc_up)
    status = _api_doc(client)
    assert status["state"] == "signed" and status["valid"] and status["level"] == "B-LTA"
    page = client.get(f"/documents/{DOC_ID}").get_data(as_text=True)
    assert 'data-certified="valid"' in page and "PAdES B-LTA" in page
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(client.get(f"/documents/{DOC_ID}/certified.pdf").get_data())
    assert "cán bộ xác nhận: tn.tp" in _reason(signed)
    assert verify_pdf(signed, [str(pki.root_pem())]).valid
    # The reuse panel at intake shows the applicant's copy as verified.
    panel = _reuse_panel(client)
    assert f'data-doc="{DOC_ID}"' in panel and 'data-certified="valid"' in panel
    # Fixity: clean now; against another CA's roots the stored copy no longer validates.
    proc = run_sohoa("--settings", str(up), "fixity", "--json", data_dir=data_dir)
    assert proc.returncode == 0 and json.loads(proc.stdout)["invalid_signature"] == 0, proc.stdout
    other = write_settings(tmp_path / "other.toml", pki, trust_roots=[str(pki.root_pem("other-root"))])
    proc = run_sohoa("--settings", str(other), "fixity", "--json", data_dir=data_dir)
    assert proc.returncode == 2 and json.loads(proc.stdout)["invalid_signature"] == 1


def _reuse_panel(client) -> str:
    """Open a new dossier for the same applicant and return the intake page's reuse panel."""
    code = open_dossier_by_form(client, applicant_id="075123456789", applicant_name="Trần Văn Đức")
    html = client.get(f"/intake/dossiers/{code}").get_data(as_text=True)
    return html[html.index('id="on-file"') :]


def _reason(path) -> str:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return str(pdf.Root.AcroForm.Fields[0].V.Reason)


def test_signed_result_handed_in_is_verified_kept_and_signed(pki, sample_pdfa, data_dir, tmp_path):
    from archive.signing import SigningConfig
    from archive.signing.sign import sign_pdf
    from tests.support.pki import AGENCY_NAME

    config = SigningConfig.from_settings(
        {
            "agency": AGENCY_NAME,
            "pkcs12": str(pki.pkcs12("agency", PASSWORD)),
            "password_env": "P",
            "trust_roots": [str(pki.root_pem())],
        },
        {"P": PASSWORD},
        tmp_path / "signing",
    )
    handed_in = tmp_path / "giay-phep-co-chu-ky.pdf"
    sign_pdf(sample_pdfa, handed_in, config, document_id="ngoai-he-thong", level="B-B")
    settings = write_settings(tmp_path / "s.toml", pki)
    proc = run_sohoa(
        "--settings", str(settings), "ingest", str(handed_in), "--dossier", "new",
        "--applicant-id", "075123456789", "--role", "result", "--json",
        data_dir=data_dir, env={PASSWORD_ENV: PASSWORD},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc_id = json.loads(proc.stdout.splitlines()[0])["document_id"]
    svc = services(load_settings(data_dir, settings))
    doc = svc.repository.load(doc_id)
    assert doc.intake_signature["valid"] and doc.intake_signature["signer"] == AGENCY_NAME
    assert svc.store.get_bytes(doc.original.key) == handed_in.read_bytes()  # kept unchanged
    # A result issued by the center is queued for signing when archived; the worker signs it.
    assert [r["doc_id"] for r in svc.signing_queue.all()] == [doc_id]
    proc = run_sohoa(
        "--settings", str(settings), "worker", "--once", data_dir=data_dir, env={PASSWORD_ENV: PASSWORD}
    )
    assert proc.returncode == 0, proc.stderr
    copies = svc.repository.load(doc_id).certified_copies
    assert len(copies) == 1 and copies[0]["level"] == "B-LTA" and svc.signing_queue.all() == []


def test_a_settings_gap_reads_plainly_to_officials_and_by_name_to_the_admin(
    pki, sample_pdfa, data_dir, tmp_path
):
    svc = services(load_settings(data_dir, write_settings(tmp_path / "s.toml", pki)))
    store_pdfa_document(svc, sample_pdfa, DOC_ID, role="component", department="TP")
    add_officials(svc)
    svc.signing_queue.request(DOC_ID, "confirmed", "tn.tp")
    svc.signing_queue.failed(DOC_ID, "signing_not_configured", "Chưa cấu hình ký số: thiếu [signing] tsa_url")
    seen = {}
    for user in ("bt.tp", "qt"):
        client = create_app(svc, config={"TESTING": True}).test_client()
        login(client, user)
        seen[user] = client.get(f"/documents/{DOC_ID}").get_data(as_text=True)
    assert (
        'data-certified="not-configured"' in seen["bt.tp"] and 'data-certified="error"' not in seen["bt.tp"]
    )
    assert "[signing]" not in seen["bt.tp"] and "chưa được cấu hình ký số" in seen["bt.tp"]
    assert "thiếu [signing] tsa_url" in seen["qt"]  # the admin is told which setting
