"""Dossiers, reuse links and confirmations are recorded in the archive; ``sohoa reindex`` on an
empty data directory brings back the dossier rows, the links and the confirmed markers."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.dossier_records import DossierArchive
from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.stores.local import LocalStore
from ingest.dossiers.confirm import confirm_metadata
from ingest.dossiers.opening import open_dossier
from ingest.dossiers.reuse import reuse
from ingest.procedures import Procedure
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.support.archive_doc import store_document

APPLICANT = "075203001234"
OFFICER = "quay1"
PROCEDURE = Procedure("2.001610.000.00.00.H19", "Đăng ký hộ kinh doanh", "KHDT", 3)


def _services(tmp_path: Path):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[store]\npath = "{tmp_path / "archive"}"\n', encoding="utf-8")
    return services(load_settings(tmp_path / "data", settings)), settings


def _licence(code: str) -> Document:
    return Document(
        id=f"{code}.001",
        dossier_code=code,
        role="result",
        department="KHDT",
        applicant=Applicant(id=APPLICANT, name="Nguyễn Văn Bình"),
        metadata=DocumentMetadata(type_name="Giấy chứng nhận", number="12/GCN"),
        digitised_at="2026-11-02T09:00:00+00:00",
        pages=[PageText(1, "Giấy chứng nhận đăng ký hộ kinh doanh", 90.0)],
    )


def test_dossier_links_and_confirmations_come_back_from_the_archive(tmp_path):
    svc, settings = _services(tmp_path)
    desk = svc.dossiers
    earlier = open_dossier(desk, OFFICER, PROCEDURE, APPLICANT, "Nguyễn Văn Bình", "counter")
    licence = store_document(svc, _licence(earlier))
    code = open_dossier(desk, OFFICER, PROCEDURE, APPLICANT, "Nguyễn Văn Bình", "postal")
    assert reuse(desk, OFFICER, svc.catalogue.dossier(code), licence.id)
    form = {"type_name": "Giấy chứng nhận", "number": "12/GCN-KHDT", "subject": "Hộ kinh doanh Bình An"}
    confirm_metadata(desk, OFFICER, svc.repository.load(licence.id), form)
    before = svc.catalogue.dossier(code)
    record = DossierArchive(LocalStore(tmp_path / "archive")).load(code)
    assert record.fields["channel"] == "postal" and record.links[0]["document_id"] == licence.id

    shutil.rmtree(tmp_path / "data")
    out = run_sohoa("reindex", "--settings", str(settings), data_dir=tmp_path / "data", check=True).stdout
    assert "2 dossiers, 1 reuse links, 1 confirmations" in out, out

    svc, _ = _services(tmp_path)
    assert svc.catalogue.dossier(code) == before, "the dossier row comes back whole"
    assert [link["document_id"] for link in svc.dossier_records.links_of_dossier(code)] == [licence.id]
    confirmation = svc.dossier_records.confirmation(licence.id)
    assert confirmation and confirmation["confirmed_by"] == "quay1"
    assert confirmation["fields"]["number"] == "12/GCN-KHDT"
    fresh = open_dossier(svc.dossiers, OFFICER, PROCEDURE, APPLICANT, "Nguyễn Văn Bình", "counter")
    assert fresh not in (earlier, code), "the code sequence starts above the archive's codes"
