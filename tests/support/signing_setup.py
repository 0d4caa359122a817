"""Helpers for certified-copy tests: settings files for ``[signing]`` on the test PKI and a stored
document whose archival file is a given PDF/A."""

from __future__ import annotations

import json
from pathlib import Path

from archive.model import Applicant, Document, DocumentMetadata
from tests.support.pki import AGENCY_NAME, ServedPki

PASSWORD_ENV = "SOHOA_TEST_P12_PASSWORD"
PASSWORD = "mật-khẩu-ký-số"
DOC_LINES = ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "GIẤY PHÉP XÂY DỰNG", "Số: 215/GPXD-UBND"]


def signing_toml(pki: ServedPki, cert: str = "agency", **over) -> str:
    """A ``[signing]`` section for the test PKI (PKCS#12 of certificate ``cert``)."""
    values = {
        "agency": AGENCY_NAME,
        "pkcs12": str(pki.pkcs12(cert, PASSWORD)),
        "password_env": PASSWORD_ENV,
        "trust_roots": [str(pki.root_pem())],
        "tsa_url": pki.tsa_url,
        "stamp_text": "BẢN SAO ĐIỆN TỬ",
        **over,
    }
    lines = ["[signing]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def write_settings(path: Path, pki: ServedPki, cert: str = "agency", **over) -> Path:
    path.write_text(signing_toml(pki, cert, **over), encoding="utf-8")
    return path


def store_pdfa_document(
    svc,
    pdfa: Path,
    doc_id: str = "000.00.12.H19-261201-0001.001",
    role: str = "result",
    department: str = "XD",
):
    """A document whose archival file is ``pdfa``, saved in the archive (no OCR, no index)."""
    doc = Document(
        id=doc_id,
        dossier_code=doc_id.rsplit(".", 1)[0],
        role=role,
        department=department,
        applicant=Applicant(id="075123456789", name="Trần Văn Đức"),
        metadata=DocumentMetadata(type_name="Giấy phép", number="215/GPXD-UBND"),
        retain_until="2080-12-31",
        digitised_at="2026-12-01T02:00:00+00:00",
    )
    src = svc.settings.data_dir / f"{doc_id}.src"
    src.write_bytes(pdfa.read_bytes())
    saved = svc.repository.save(doc, src, "application/pdf", pdfa)
    svc.catalogue.ensure_dossier(doc.dossier_code, department=department)
    svc.catalogue.upsert_document(saved)
    return saved
