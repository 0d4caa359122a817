"""A package carries a document's history as PREMIS events (retention extended, legal hold set
and released, metadata corrected, reuse into another dossier, each fixity run), and a dossier's
package carries the documents reused into it as copies, which an import links instead of storing
twice when the archive already holds the same bytes."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from archive.dossier_records import DossierArchive, record_dossier
from archive.packages.history import load_fixity_runs
from archive.packages.premis import PREMIS_NS
from archive.packages.validate import validate_package
from archive.retention import extend_retention, set_legal_hold
from ingest.dossiers.records import DossierRecords
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.package_fixtures import LIMITS, stored_document

P = f"{{{PREMIS_NS}}}"
SOURCE, REUSING = "HS-GOC-2025", "HS-DUNG-LAI-2025"
SHARED = f"{SOURCE}.001"


@pytest.fixture
def dossiers(svc):
    """SOURCE's document, extended, held and released, corrected, then reused into REUSING (in
    the archive's dossier record and the intake's links); one clean fixity run over it all."""
    for code in (SOURCE, REUSING):
        svc.catalogue.ensure_dossier(code, procedure_name=f"Thủ tục {code}")
        record_dossier(svc.store, {"code": code, "procedure_name": f"Thủ tục {code}"}, actor="tn")
    doc = stored_document(svc, 1, code=SOURCE)
    stored_document(svc, 1, code=REUSING, retention="20")
    repo = svc.repository
    extend_retention(repo, doc, date(2080, 12, 31), actor="lt", role="records", reason="CV 12/UBND")
    set_legal_hold(repo, repo.load(SHARED), True, actor="lt", role="records", reason="Vụ án 7/2025")
    set_legal_hold(repo, repo.load(SHARED), False, actor="lt", role="records", reason="Đình chỉ vụ án")
    metadata = replace(doc.metadata, subject="Về việc cấp GCN QSDĐ")
    repo.revise(SHARED, {"metadata": metadata}, actor="bt", reason="xác nhận")
    DossierArchive(svc.store).record_reuse(REUSING, SHARED, actor="tn")
    DossierRecords(svc.settings.state_db).link(SHARED, REUSING, "tn")
    run_sohoa("fixity", data_dir=svc.settings.data_dir, check=True)
    return svc


def _export(svc, code: str, out: Path) -> Path:
    run_sohoa("package", code, "--out", str(out), data_dir=svc.settings.data_dir, check=True)
    return out


def _events(pkg: Path) -> list[dict]:
    found = validate_package(str(pkg), LIMITS)
    with zipfile.ZipFile(pkg) as zf:
        root = etree.fromstring(
            zf.read(found.folder + "representations/rep1/metadata/preservation/premis.xml")
        )
    return [
        {
            "type": ev.findtext(f"{P}eventType"),
            "detail": ev.findtext(f"{P}eventDetailInformation/{P}eventDetail") or "",
            "agent": ev.findtext(f"{P}linkingAgentIdentifier/{P}linkingAgentIdentifierValue"),
            "outcome": ev.findtext(f"{P}eventOutcomeInformation/{P}eventOutcome") or "",
            "objects": [o.text for o in ev.iter(f"{P}linkingObjectIdentifierValue")],
        }
        for ev in root.iter(f"{P}event")
    ]


def test_history_events_of_a_document(dossiers, tmp_path: Path) -> None:
    events = _events(_export(dossiers, SOURCE, tmp_path / "goc.zip"))
    mine = [e for e in events if any(SHARED in o for o in e["objects"])]
    details = {(e["type"], e["detail"], e["agent"]) for e in mine}
    assert ("policy assignment", "Gia hạn bảo quản đến 31/12/2080; lý do: CV 12/UBND", "lt") in details
    assert ("policy assignment", "Đặt phong tỏa pháp lý; lý do: Vụ án 7/2025", "lt") in details
    assert ("policy assignment", "Gỡ phong tỏa pháp lý; lý do: Đình chỉ vụ án", "lt") in details
    assert ("metadata modification", "Xác nhận, sửa siêu dữ liệu; lý do: xác nhận", "bt") in details
    reuse = [e for e in mine if e["type"] == "reuse"]
    assert len(reuse) == 1 and REUSING in reuse[0]["detail"] and reuse[0]["agent"] == "tn"
    fixity = [e for e in mine if e["type"] == "fixity check"]
    assert {(e["detail"], e["outcome"]) for e in fixity} == {
        ("Kiểm tra định kỳ: SHA-256 khớp", "pass"),
        ("SHA-256 khớp khi đóng gói", "pass"),
    }


def test_fixity_problems_become_failed_events(tmp_path: Path) -> None:
    folder = tmp_path / "fixity"
    folder.mkdir()
    (folder / "fixity-20260101T000000Z.json").write_text(
        json.dumps({"started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:05:00+00:00"})
    )
    problem = {"document_id": SHARED, "key": f"documents/{SHARED}/original", "status": "mismatch"}
    (folder / "fixity-20260101T000000Z.jsonl").write_text(json.dumps(problem) + "\n")
    runs = load_fixity_runs(folder)
    assert runs[0].problems == {SHARED: [f"documents/{SHARED}/original: SHA-256 không khớp"]}


def test_reused_document_is_copied_and_linked_back(dossiers, tmp_path: Path) -> None:
    pkg = _export(dossiers, REUSING, tmp_path / "dung-lai.zip")
    found = validate_package(str(pkg), LIMITS)
    rep = found.folder + "representations/rep1/"
    with zipfile.ZipFile(pkg) as zf:
        assert f"{rep}data/{SHARED}/original" in zf.namelist()  # a copy, not a reference
        described = etree.fromstring(zf.read(f"{rep}metadata/descriptive/{SHARED}.xml"))
        dossier = etree.fromstring(zf.read(found.folder + "metadata/descriptive/dossier.xml"))
        record = json.loads(zf.read(found.dossier_record))
    assert described.findtext("arcFileCode") == REUSING
    assert f"sử dụng lại từ hồ sơ {SOURCE}" in described.findtext("description")
    assert dossier.findtext("totalDoc") == "2" and [x["document_id"] for x in record["links"]] == [SHARED]
    assert any(e["type"] == "reuse" and REUSING in e["detail"] for e in _events(pkg))

    fresh = tmp_path / "fresh"  # an archive without the source: the copy is stored, the link made
    out = json.loads(run_sohoa("import-package", str(pkg), data_dir=fresh, check=True).stdout)
    assert out["already_held"] == [] and SHARED in out["documents"]
    svc2 = services(load_settings(fresh))
    assert svc2.repository.load(SHARED).original.sha256 == dossiers.repository.load(SHARED).original.sha256
    assert [x["document_id"] for x in DossierArchive(svc2.store).load(REUSING).links] == [SHARED]
    assert [x["document_id"] for x in DossierRecords(svc2.settings.state_db).links_of_dossier(REUSING)] == [
        SHARED
    ]


def test_reused_document_already_held_is_linked_not_stored(dossiers, tmp_path: Path) -> None:
    source, reusing = (
        _export(dossiers, SOURCE, tmp_path / "a.zip"),
        _export(dossiers, REUSING, tmp_path / "b.zip"),
    )
    other = tmp_path / "other"
    run_sohoa("import-package", str(source), data_dir=other, check=True)
    versions = len(services(load_settings(other)).store.versions(f"documents/{SHARED}/original"))
    out = json.loads(run_sohoa("import-package", str(reusing), data_dir=other, check=True).stdout)
    assert out["already_held"] == [SHARED]
    svc2 = services(load_settings(other))
    assert len(svc2.store.versions(f"documents/{SHARED}/original")) == versions
    assert [x["document_id"] for x in DossierArchive(svc2.store).load(REUSING).links] == [SHARED]
    # An archive holding another document under that id refuses the package, storing nothing.
    clash = tmp_path / "clash"
    svc3 = services(load_settings(clash))
    stored_document(svc3, 1, code=SOURCE, retention="20", salt=b"another scan")
    refused = run_sohoa("import-package", str(reusing), data_dir=clash)
    assert refused.returncode == 2 and f"tài liệu {SHARED} đã có trong kho này" in refused.stderr
    assert not svc3.repository.exists(f"{REUSING}.001")
