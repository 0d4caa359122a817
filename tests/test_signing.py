"""Certified electronic copies against a real CA, TSA, OCSP and CRL on 127.0.0.1: `sohoa certify`
signs and stores, `sohoa verify` checks; tampering, revocation, strangers and expiry are named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from fontTools.ttLib import TTFont

from archive.signing import SigningConfig
from archive.signing.sign import sign_pdf
from archive.signing.verify import verify_pdf
from ocr.pdfa import pdfa_report
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.support.pdfa_sample import strip_signatures
from tests.support.pki import AGENCY_NAME
from tests.support.signing_setup import PASSWORD, PASSWORD_ENV, store_pdfa_document, write_settings

pytest_plugins = ["tests.signing_fixtures"]  # the served test PKI and the sample PDF/A, once a session

DOC_ID = "000.00.12.H19-261201-0001.001"
ENV = {PASSWORD_ENV: PASSWORD}


def _config(pki, tmp_path: Path, cert: str = "agency", **over) -> SigningConfig:
    section = {
        "agency": AGENCY_NAME,
        "pkcs12": str(pki.pkcs12(cert, PASSWORD)),
        "password_env": PASSWORD_ENV,
        "trust_roots": [str(pki.root_pem())],
        "tsa_url": pki.tsa_url,
        **over,
    }
    return SigningConfig.from_settings(section, ENV, tmp_path / "signing")


@pytest.fixture
def certified(pki, sample_pdfa, data_dir, tmp_path):
    """A document certified through the command line at the default level (B-LTA with a TSA)."""
    settings = write_settings(tmp_path / "settings.toml", pki)
    svc = services(load_settings(data_dir, settings))
    store_pdfa_document(svc, sample_pdfa, DOC_ID)
    out = tmp_path / "ban-sao.pdf"
    proc = run_sohoa(
        "--settings", str(settings), "certify", DOC_ID, "--out", str(out), data_dir=data_dir, env=ENV
    )
    assert proc.returncode == 0, proc.stderr
    return {"svc": svc, "settings": settings, "out": out, "json": json.loads(proc.stdout)}


def test_certify_signs_stores_and_verifies_offline(certified, sample_pdfa, pki, tmp_path, data_dir):
    info, out, svc = certified["json"], certified["out"], certified["svc"]
    assert info["document_id"] == DOC_ID and info["level"] == "B-LTA"
    assert info["signer"] == AGENCY_NAME
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", info["signed_at"])
    # The archival PDF/A is an unchanged prefix of the copy, and stays stored as it was.
    signed = out.read_bytes()
    assert signed.startswith(sample_pdfa.read_bytes()) and len(signed) > sample_pdfa.stat().st_size
    doc = svc.repository.load(DOC_ID)
    assert svc.store.get_bytes(doc.archival.key) == sample_pdfa.read_bytes()
    # Stored as a write-once object of the document, recorded by a revision.
    assert [c["sha256"] for c in doc.certified_copies] == [info["sha256"]]
    assert svc.store.get_bytes(doc.certified_copies[0]["key"]) == signed
    # Offline: no fetching; the copy carries its certificates, CRL/OCSP and time-stamps.
    result = verify_pdf(out, [str(pki.root_pem())], fetch=False)
    assert result.valid and result.intact and not result.problems and not result.warnings
    assert (result.level, result.document_id, result.signer) == ("B-LTA", DOC_ID, AGENCY_NAME)
    assert result.signed_at == info["signed_at"] and result.timestamp
    # A second request hands out the stored copy: nothing new is signed or stored.
    again = tmp_path / "again.pdf"
    proc = run_sohoa(
        "--settings",
        str(certified["settings"]),
        "certify",
        DOC_ID,
        "--out",
        str(again),
        data_dir=data_dir,
        env=ENV,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["sha256"] == info["sha256"]
    assert again.read_bytes() == signed
    assert len(svc.repository.load(DOC_ID).certified_copies) == 1


def test_verify_command_json_and_exit_codes(certified, data_dir, tmp_path):
    settings, out = str(certified["settings"]), certified["out"]
    proc = run_sohoa("--settings", settings, "verify", str(out), "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert {k: body[k] for k in ("valid", "intact", "level", "document_id")} == {
        "valid": True,
        "intact": True,
        "level": "B-LTA",
        "document_id": DOC_ID,
    }
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(out.read_bytes())
    data[data.index(b"JFIF") + 200] ^= 0x01  # one byte of the page image, inside the signed range
    tampered.write_bytes(bytes(data))
    proc = run_sohoa("--settings", settings, "verify", str(tampered), "--json", data_dir=data_dir)
    assert proc.returncode == 2
    body = json.loads(proc.stdout)
    assert not body["valid"] and not body["intact"]
    assert "tampered" in [p["code"] for p in body["problems"]]


def test_signed_copy_keeps_pdfa_and_stamp_reads_vietnamese(certified):
    out = certified["out"]
    with pikepdf.open(out) as pdf, pdf.open_metadata() as meta:
        assert (meta.pdfa_status or "") == "2B"
    stripped = strip_signatures(out, out.with_name("stripped.pdf"))
    assert pdfa_report(stripped).findings == []
    _assert_stamp_font_widths(out)
    lines = _stamp_text(stripped).splitlines()
    assert lines == ["BẢN SAO ĐIỆN TỬ", AGENCY_NAME, f"Thời gian ký: {certified['json']['signed_at']}"]


def _stamp_text(stripped: Path) -> str:
    """Text of the stamp as a reader extracts it (top right of page 1)."""
    with pdfplumber.open(stripped) as pdf:
        page = pdf.pages[0]
        return page.within_bbox((page.width / 2, 0, page.width, 80)).extract_text()


def _assert_stamp_font_widths(signed: Path) -> None:
    """The stamp font is embedded and its /W widths are the glyphs' advances in 1/1000 em."""
    with pikepdf.open(signed) as pdf:
        fonts = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary)
            and obj.get("/Type") == "/Font"
            and obj.get("/Subtype") == "/Type0"
        ]
        assert fonts, "no embedded stamp font"
        cid = fonts[0].DescendantFonts[0]
        font_file = cid.FontDescriptor.FontFile2.read_bytes()
        widths = list(cid.W)
    import io

    tt = TTFont(io.BytesIO(font_file))
    upem, hmtx, order = tt["head"].unitsPerEm, tt["hmtx"], tt.getGlyphOrder()
    checked = 0
    for i in range(0, len(widths), 2):
        first, run = int(widths[i]), widths[i + 1]
        for n, w in enumerate(run):
            advance = hmtx[order[first + n]][0] * 1000 / upem
            assert abs(float(w) - advance) <= 1, (first + n, float(w), advance)
            checked += 1
    assert checked >= 20  # the stamp's distinct letters


def test_problems_are_named(pki, sample_pdfa, tmp_path):
    root = [str(pki.root_pem())]
    cases = {}
    # Revoked certificate (the CRL/OCSP on 127.0.0.1 says so).
    revoked = sign_pdf(
        sample_pdfa, tmp_path / "rev.pdf", _config(pki, tmp_path, "revoked"), document_id=DOC_ID, level="B-B"
    )
    cases["revoked"] = verify_pdf(revoked.file, root, fetch=True)
    # Untrusted root: the copy checked against somebody else's CA.
    good = sign_pdf(
        sample_pdfa, tmp_path / "good.pdf", _config(pki, tmp_path), document_id=DOC_ID, level="B-T"
    )
    cases["untrusted"] = verify_pdf(good.file, [str(pki.root_pem("other-root"))], fetch=False)
    # Expired certificate and no time-stamp to show it signed while valid.
    expired = sign_pdf(
        sample_pdfa, tmp_path / "exp.pdf", _config(pki, tmp_path, "expired"), document_id=DOC_ID, level="B-B"
    )
    cases["expired_no_timestamp"] = verify_pdf(expired.file, root, fetch=False)
    for code, result in cases.items():
        assert not result.valid, code
        assert code in [p["code"] for p in result.problems], (code, result.problems)
    assert verify_pdf(good.file, root, fetch=False).valid


def test_bb_without_tsa_warns(pki, sample_pdfa, tmp_path):
    config = _config(pki, tmp_path, tsa_url="")
    copy = sign_pdf(sample_pdfa, tmp_path / "bb.pdf", config, document_id=DOC_ID)
    result = verify_pdf(copy.file, [str(pki.root_pem())], fetch=True)
    assert copy.level == result.level == "B-B" and result.valid
    assert "no_timestamp" in [w["code"] for w in result.warnings]


def test_renew_timestamps_when_due(certified, pki, data_dir, tmp_path):
    svc, first = certified["svc"], certified["out"].read_bytes()
    not_due = run_sohoa(
        "--settings", str(certified["settings"]), "certify", "--renew-timestamps", data_dir=data_dir, env=ENV
    )
    assert not_due.returncode == 0 and not_due.stdout.strip() == ""  # TSA certificate good until 2050
    due = write_settings(tmp_path / "due.toml", pki, renew_days=365 * 40)
    proc = run_sohoa("--settings", str(due), "certify", "--renew-timestamps", data_dir=data_dir, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"document_id": DOC_ID, "renewed": True}
    copies = svc.repository.load(DOC_ID).certified_copies
    assert len(copies) == 2 and copies[1]["level"] == "B-LTA"
    renewed = svc.store.get_bytes(copies[1]["key"])
    assert renewed.startswith(first)  # the renewal is another incremental update
    out = tmp_path / "renewed.pdf"
    out.write_bytes(renewed)
    with pikepdf.open(out) as pdf:
        stamps = [
            f
            for f in pdf.Root.AcroForm.Fields
            if f.get("/V") is not None and f.V.get("/Type") == "/DocTimeStamp"
        ]
    assert len(stamps) == 2
    result = verify_pdf(out, [str(pki.root_pem())], fetch=False)
    assert result.valid and result.level == "B-LTA", result.problems
