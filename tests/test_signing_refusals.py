"""Bad input around certified copies: each gets a clear message, and nothing stored changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.signing import SigningConfig
from archive.signing.sign import sign_pdf
from archive.signing.verify import verify_pdf
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.support.pki import AGENCY_NAME
from tests.support.signing_setup import PASSWORD, PASSWORD_ENV, store_pdfa_document, write_settings

pytest_plugins = ["tests.signing_fixtures"]

DOC_ID = "000.00.12.H19-261201-0002.001"


def _objects(svc) -> dict[str, str]:
    return {key: svc.store.head(key).sha256 for key in svc.store.list("")}


def _certify(data_dir: Path, settings: Path, out: Path, env: dict, doc_id: str = DOC_ID):
    return run_sohoa(
        "--settings", str(settings), "certify", doc_id, "--out", str(out), data_dir=data_dir, env=env
    )


@pytest.mark.parametrize(
    ("cert", "env", "code_words"),
    [
        ("agency", {PASSWORD_ENV: "sai-mật-khẩu"}, "sai mật khẩu"),
        ("nosign", {PASSWORD_ENV: PASSWORD}, "không có mục đích ký số"),
        ("agency", {}, f"thiếu [signing] password_env (biến môi trường {PASSWORD_ENV} chưa đặt)"),
    ],
)
def test_certify_refusals_store_nothing(pki, sample_pdfa, data_dir, tmp_path, cert, env, code_words):
    settings = write_settings(tmp_path / "s.toml", pki, cert)
    svc = services(load_settings(data_dir, settings))
    store_pdfa_document(svc, sample_pdfa, DOC_ID)
    before = _objects(svc)
    out = tmp_path / "copy.pdf"
    proc = _certify(data_dir, settings, out, env)  # {}: the password variable is not set at all
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert code_words in proc.stderr.lower() or code_words in proc.stderr
    assert not out.exists()
    assert _objects(svc) == before


def test_certify_unknown_document_and_missing_settings(pki, data_dir, tmp_path):
    settings = write_settings(tmp_path / "s.toml", pki)
    proc = _certify(data_dir, settings, tmp_path / "x.pdf", {PASSWORD_ENV: PASSWORD}, doc_id="KHONG-CO.001")
    assert proc.returncode == 2 and "Không tìm thấy tài liệu KHONG-CO.001" in proc.stderr
    bare = tmp_path / "bare.toml"
    bare.write_text('[signing]\nagency = "X"\ntrust_roots = ["/tmp/x.pem"]\n', encoding="utf-8")
    proc = _certify(data_dir, bare, tmp_path / "x.pdf", {})
    assert proc.returncode == 2 and "thiếu [signing] pkcs12" in proc.stderr
    proc = run_sohoa("certify", DOC_ID, "--out", str(tmp_path / "x.pdf"), data_dir=data_dir)
    assert proc.returncode == 2 and "thiếu [signing] agency" in proc.stderr


def test_someone_elses_signature_is_untrusted(pki, sample_pdfa, tmp_path, data_dir):
    stranger = SigningConfig.from_settings(
        {
            "agency": "Công ty Lạ",
            "pkcs12": str(pki.pkcs12("stranger", PASSWORD, key_label="nosign")),
            "password_env": "P",
            "trust_roots": [str(pki.root_pem("other-root"))],
        },
        {"P": PASSWORD},
        tmp_path / "signing",
    )
    foreign = sign_pdf(sample_pdfa, tmp_path / "foreign.pdf", stranger, document_id=DOC_ID)
    settings = write_settings(tmp_path / "s.toml", pki)
    proc = run_sohoa("--settings", str(settings), "verify", foreign.file, "--json", data_dir=data_dir)
    assert proc.returncode == 2
    body = json.loads(proc.stdout)
    assert body["intact"] and not body["valid"]
    assert [p["code"] for p in body["problems"]] == ["untrusted"]


def test_corrupt_signature_dictionary(pki, sample_pdfa, tmp_path):
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
    good = Path(sign_pdf(sample_pdfa, tmp_path / "good.pdf", config, document_id=DOC_ID).file)
    data = good.read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[:start] + b"3082ZZZZ" + data[start + 8 :])  # not a CMS object any more
    result = verify_pdf(broken, [str(pki.root_pem())])
    assert not result.valid and not result.intact
    assert result.problems[0]["code"] == "corrupt_signature"
    assert "hỏng" in result.problems[0]["message"]
    other = tmp_path / "no-byterange.pdf"
    other.write_bytes(data.replace(b"/ByteRange", b"/ByteRangX", 1))
    result = verify_pdf(other, [str(pki.root_pem())])
    assert not result.valid and result.problems


def test_unsigned_and_non_pdf(pki, sample_pdfa, tmp_path):
    assert [p["code"] for p in verify_pdf(sample_pdfa, [str(pki.root_pem())]).problems] == ["not_signed"]
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert [p["code"] for p in verify_pdf(junk, [str(pki.root_pem())]).problems] == ["unreadable"]
