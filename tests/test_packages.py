"""E-ARK CSIP packages of a dossier: export is schema-valid, a round trip into a fresh data
directory loses nothing, and a tampered package is refused with its first problem, writing nothing."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from archive.model import Document
from archive.packages.export import PackageError, export_dossier
from archive.packages.schemas import METS_NS, mets_schema, tt05_schema
from archive.packages.validate import validate_package
from archive.search_index import SearchQuery
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.package_fixtures import CODE, LIMITS, fix_checksums, rewrite

pytest_plugins = ["tests.s3_fixtures", "tests.package_fixtures"]


def test_export_is_schema_valid(package) -> None:
    out, docs = package
    found = validate_package(str(out), LIMITS)
    assert found.objid.startswith("urn:uuid:") and found.folder == "uuid-" + found.objid[9:] + "/"
    assert found.package_type == "AIP" and len(found.records) == 2
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        root = etree.fromstring(zf.read(found.folder + "METS.xml"))
        assert mets_schema().validate(root), mets_schema().error_log
        rep = etree.fromstring(zf.read(found.folder + "representations/rep1/METS.xml"))
        assert mets_schema().validate(rep)
        dossier = etree.fromstring(zf.read(found.folder + "metadata/descriptive/dossier.xml"))
        assert tt05_schema("EAD.xsd").validate(dossier)
        assert [c.tag for c in dossier][:3] == ["arcFileCode", "title", "maintenance"]
        assert dossier.findtext("totalDoc") == "2" and dossier.findtext("maintenance") == "Vĩnh viễn"
        doc_md = etree.fromstring(
            zf.read(f"{found.folder}representations/rep1/metadata/descriptive/{CODE}.001.xml")
        )
        assert tt05_schema("EAD_doc.xsd").validate(doc_md)
        assert doc_md.findtext("issuedDate") == "14/03/2025" and doc_md.findtext("codeNotation") == "QĐ-UBND"
        data = zf.read(f"{found.folder}representations/rep1/data/{CODE}.001/archival.pdf")
        assert hashlib.sha256(data).hexdigest() == docs[0].archival.sha256
    assert any(n.endswith("schemas/EAD_doc.xsd") for n in names)
    assert root.find(f"{{{METS_NS}}}structMap").get("LABEL") == "CSIP"


def test_sip_package(svc, package, tmp_path: Path) -> None:
    out = tmp_path / "sip.zip"
    result = export_dossier(svc.repository, svc.catalogue, CODE, out, "SIP")
    assert validate_package(str(out), LIMITS).package_type == "SIP" and result.documents == 2


def test_wrong_date_value_is_refused(package, tmp_path: Path) -> None:
    """The Circular's schema takes any string: sohoa's own rules catch an ISO date."""
    out, _ = package
    bad = tmp_path / "bad.zip"
    rewrite(out, bad, lambda n, d: d.replace(b"14/03/2025", b"2025-03-14") if n.endswith(".002.xml") else d)
    fix_checksums(bad)
    _refused(bad, tmp_path / "o5", r"002\.xml: <issuedDate> không phải ngày dd/mm/yyyy")


def test_unknown_dossier_is_refused(data_dir: Path, tmp_path: Path) -> None:
    proc = run_sohoa("package", "KHONG-CO", "--out", str(tmp_path / "x.zip"), data_dir=data_dir)
    assert proc.returncode == 2 and "KHONG-CO" in proc.stderr
    assert not (tmp_path / "x.zip").exists()


def test_round_trip_into_fresh_archive(package, tmp_path: Path) -> None:
    out, docs = package
    other = tmp_path / "other"
    checked = run_sohoa("import-package", str(out), "--check", data_dir=other, check=True)
    assert '"valid": true' in checked.stdout and not services(load_settings(other)).repository.exists(
        docs[0].id
    )
    proc = run_sohoa("import-package", str(out), data_dir=other, check=True)
    assert f"{CODE}.001" in proc.stdout
    svc2 = services(load_settings(other))
    for doc in docs:
        back = svc2.repository.load(doc.id)
        assert back.original.sha256 == doc.original.sha256 and back.archival.sha256 == doc.archival.sha256
        assert back.metadata == doc.metadata and back.applicant == doc.applicant
        assert (back.retain_until, back.legal_hold, back.retention_class) == (
            doc.retain_until,
            doc.legal_hold,
            doc.retention_class,
        )
        assert back.pages == doc.pages
        assert [c["sha256"] for c in back.certified_copies] == [c["sha256"] for c in doc.certified_copies]
        for copy in back.certified_copies:
            assert hashlib.sha256(svc2.store.get_bytes(copy["key"])).hexdigest() == copy["sha256"]
        _objects_kept(svc2, back, doc)
        assert svc2.catalogue.document(doc.id)["dossier_code"] == CODE
    assert svc2.catalogue.dossier(CODE)["procedure_name"] == "Cấp giấy chứng nhận QSDĐ"
    hits = svc2.index.search(SearchQuery(text="chứng nhận quyền sử dụng đất", limit=10)).hits
    assert {h.document_id for h in hits} == {d.id for d in docs}
    again = run_sohoa("import-package", str(out), data_dir=other)
    assert again.returncode == 2 and "đã có trong kho" in again.stderr


def _objects_kept(svc2, back: Document, doc: Document) -> None:
    """Every stored object of the imported document has the bytes, retention and hold of the source."""
    for stored in (back.original, back.archival):
        info = svc2.store.head(stored.key)
        assert hashlib.sha256(svc2.store.get_bytes(stored.key)).hexdigest() == stored.sha256
        assert info.retain_until is not None and info.retain_until >= date.fromisoformat(doc.retain_until)
        assert info.legal_hold == doc.legal_hold


def test_round_trip_through_s3_archive(package, s3_env, tmp_path: Path) -> None:
    """Import into an S3 (Object Lock) archive, then package again from it: same documents."""
    from tests.s3_fixtures import new_bucket_name, store_settings

    out, docs = package
    cfg = {**store_settings(s3_env, new_bucket_name("pkg")), "retention_mode": "COMPLIANCE"}
    settings = tmp_path / "s3.toml"
    settings.write_text(
        '[store]\nbackend = "s3"\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in cfg.items())
    )
    s3_data = tmp_path / "s3data"
    run_sohoa("--settings", str(settings), "import-package", str(out), data_dir=s3_data, check=True)
    svc2 = services(load_settings(s3_data, str(settings)))
    for doc in docs:
        _objects_kept(svc2, svc2.repository.load(doc.id), doc)
    again = tmp_path / "again.zip"
    run_sohoa("--settings", str(settings), "package", CODE, "--out", str(again), data_dir=s3_data, check=True)
    found = validate_package(str(again), LIMITS)
    with zipfile.ZipFile(again) as zf:
        for doc in docs:
            data = zf.read(f"{found.folder}representations/rep1/data/{doc.id}/original")
            assert hashlib.sha256(data).hexdigest() == doc.original.sha256


def _refused(pkg: Path, other: Path, words: str) -> None:
    with pytest.raises(PackageError, match=words):
        validate_package(str(pkg), LIMITS)
    proc = run_sohoa("import-package", str(pkg), data_dir=other)
    assert proc.returncode == 2 and re.search(words, proc.stderr), proc.stderr
    svc2 = services(load_settings(other))
    assert list(svc2.store.list("")) == [] and svc2.catalogue.document(f"{CODE}.001") is None


def test_changed_byte_is_refused(package, tmp_path: Path) -> None:
    out, _ = package
    bad = tmp_path / "bad.zip"

    def flip(name: str, data: bytes) -> bytes:
        return data.replace(b"archival 2", b"archival 3") if name.endswith(".002/archival.pdf") else data

    rewrite(out, bad, flip)
    _refused(bad, tmp_path / "o1", r"002/archival\.pdf: SHA-256 không khớp")


def test_reordered_metadata_is_refused(package, tmp_path: Path) -> None:
    out, _ = package
    bad = tmp_path / "bad.zip"

    def swap(name: str, data: bytes) -> bytes:
        if not name.endswith(f"{CODE}.001.xml"):
            return data
        root = etree.fromstring(data)
        root.insert(0, root.find("mode"))  # mode before arcFileCode
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    rewrite(out, bad, swap)
    fix_checksums(bad)  # checksums recomputed: the Circular's schema must still catch it
    _refused(bad, tmp_path / "o2", r"001\.xml: không đúng lược đồ .*mode")


def test_broken_reference_is_refused(package, tmp_path: Path) -> None:
    out, _ = package
    bad = tmp_path / "bad.zip"

    def drop(name: str, data: bytes) -> bytes | None:
        return None if name.endswith(".001/original") else data

    rewrite(out, bad, drop)
    _refused(bad, tmp_path / "o3", r"tham chiếu hỏng, không có tệp 'data/HS-PK-2025\.001/original'")


def test_missing_schema_is_refused(package, tmp_path: Path) -> None:
    out, _ = package
    bad = tmp_path / "bad.zip"
    rewrite(out, bad, lambda name, data: None if name.endswith("schemas/EAD_doc.xsd") else data)
    _refused(bad, tmp_path / "o4", r"thiếu lược đồ .*schemas/EAD_doc\.xsd")
