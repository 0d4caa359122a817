"""The package fixture shared by the package tests: a dossier of two hand-made documents (one
certified, one under legal hold), packaged by the real ``sohoa package``; and a zip rewriter.
The test modules import its names first, so assertion rewriting is off here: PYTEST_DONT_REWRITE."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.packages.schemas import METS_NS
from archive.packages.zip_limits import ZipLimits
from sohoa.settings import defaults
from tests.conftest import run_sohoa

LIMITS = ZipLimits.from_settings(defaults()["transfer"])
CODE = "HS-PK-2025"
TEXT = "Quyết định về việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình"


def stored_document(
    svc,
    seq: int,
    hold: bool = False,
    code: str = CODE,
    retention: str = "",
    received: str = "2025-03-15",
    salt: bytes = b"",
    signed: bool = False,
) -> Document:
    """A hand-made document with an original, an archival PDF and page text (no OCR); the first
    of a dossier is permanent and certified, the others kept 20 years (unless ``retention``)."""
    doc = Document(
        id=f"{code}.{seq:03d}",
        dossier_code=code,
        department="TNMT",
        procedure_code="1.004227",
        applicant=Applicant(id="001085012345", name="Nguyễn Văn An"),
        metadata=DocumentMetadata(
            type_name="Quyết định",
            number=f"17{seq}/QĐ-UBND",
            issued_date="2025-03-14",
            issuing_organ="UBND huyện Đông Anh",
            subject="Về việc cấp giấy chứng nhận",
            signer="Trần Văn Bình",
        ),
        retention_class=retention or ("permanent" if seq == 1 else "20"),
        retain_until="2045-12-31",
        legal_hold=hold,
        digitised_by="canbo1",
        digitised_at=f"{received}T02:00:00+00:00",
        received_on=received,
        pages=[PageText(1, f"{TEXT} số {seq}", 91.5)],
        intake_signature={"valid": True, "checked_at": "2025-03-15T02:00:00+00:00"} if signed else {},
    )
    src = svc.settings.data_dir / f"{code}-{seq}.jpg"
    src.write_bytes(b"\xff\xd8\xff\xe0 scan %d " % seq + salt + bytes(range(256)) * 40)
    pdf = svc.settings.data_dir / f"{code}-{seq}.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% archival " + str(seq).encode() + b"\n%%EOF\n")
    svc.repository.save(doc, src, "image/jpeg", pdf)
    if seq == 1:  # a certified copy, stored and recorded as sohoa's certify does
        pdf.write_bytes(b"%PDF-1.7\n% signed copy\n%%EOF\n")
        stored = svc.repository.put_document_file(doc, "certified/0001.pdf", pdf, "application/pdf")
        copy = {
            "key": stored.key,
            "sha256": stored.sha256,
            "size": stored.size,
            "version_id": stored.version_id,
        }
        doc = svc.repository.revise(
            doc.id, {"certified_copies": [{**copy, "signer": "UBND", "by": "t"}]}, actor="t"
        )
    svc.index.add(doc)
    svc.index.commit()
    svc.index.close()
    svc.catalogue.upsert_document(doc)
    return doc


@pytest.fixture
def package(svc, tmp_path: Path) -> tuple[Path, list[Document]]:
    svc.catalogue.ensure_dossier(
        CODE, procedure_name="Cấp giấy chứng nhận QSDĐ", applicant_name="Nguyễn Văn An"
    )
    docs = [stored_document(svc, 1), stored_document(svc, 2, hold=True)]
    out = tmp_path / "hs.zip"
    run_sohoa("package", CODE, "--out", str(out), data_dir=svc.settings.data_dir, check=True)
    return out, docs


def rewrite(src: Path, dst: Path, change) -> None:
    """Copy the zip, passing every entry through ``change(name, data) -> data | None`` (None drops it)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def fix_checksums(path: Path) -> None:
    """Recompute every CHECKSUM/SIZE in the METS files (a consistent forger), innermost first."""
    with zipfile.ZipFile(path) as zf:
        contents = {n: zf.read(n) for n in zf.namelist()}
    mets = sorted((n for n in contents if n.endswith("METS.xml")), key=len, reverse=True)
    href = "{http://www.w3.org/1999/xlink}href"
    for name in mets:
        base = name[: -len("METS.xml")]
        root = etree.fromstring(contents[name])
        for el in root.iter():
            if el.get("CHECKSUM"):
                loc = el.find(f"{{{METS_NS}}}FLocat")
                data = contents[base + (loc if loc is not None else el).get(href)]
                el.set("SIZE", str(len(data)))
                el.set("CHECKSUM", hashlib.sha256(data).hexdigest())
        contents[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
