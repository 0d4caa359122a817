"""Attacks by someone holding the service's own S3 keys, on the real RADOS Gateway.

Each attack uses a raw minio client (not sohoa's store) with sohoa's keys: a forged newer version
of a manifest, a legal hold turned off, a delete marker on a manifest, an edited revision, a
revision key added. Each must end in a specific fixity report (and an audit entry), and no data
may be loaded from a forged version.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from minio.commonconfig import COMPLIANCE
from minio.retention import Retention

from archive.audit import AuditLog
from archive.catalogue import Catalogue
from archive.fixity import run_fixity
from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.repository import Repository
from archive.retention import extend_retention

pytest_plugins = ["tests.s3_fixtures"]
pytestmark = pytest.mark.s3

LATER = date.today() + timedelta(days=3650)


def _save(repo: Repository, tmp_path, doc_id: str, *, hold: bool = False) -> Document:
    """Store a small hand-made document through the repository (no OCR)."""
    doc = Document(
        id=doc_id,
        dossier_code="D-TAMPER",
        applicant=Applicant(id="075203001234", name="Nguyễn Thị Lan"),
        metadata=DocumentMetadata(type_name="Quyết định", subject="Về việc cấp phép"),
        retention_class="70",
        retain_until=LATER.isoformat(),
        legal_hold=hold,
        pages=[PageText(number=1, text="Quyết định cấp phép xây dựng")],
    )
    original, archival = tmp_path / f"{doc_id}.png", tmp_path / f"{doc_id}.pdf"
    original.write_bytes(f"PNG {doc_id}".encode())
    archival.write_bytes(f"%PDF-1.7 {doc_id}".encode())
    return repo.save(doc, original, "image/png", archival)


def _run(repo: Repository, tmp_path):
    log = AuditLog(repo.store, tmp_path / "audit")
    summary = run_fixity(repo, tmp_path / "reports", audit=log.append)
    with open(summary.report, encoding="utf-8") as fh:
        problems = [json.loads(line) for line in fh]
    return summary, problems, [e for e in log.entries() if e["action"].startswith("fixity.")]


def _forge(store, key: str, body: bytes, until: datetime | None = None) -> str:
    retention = Retention(COMPLIANCE, until) if until else None
    result = store.client.put_object(
        store.bucket, key, io.BytesIO(body), len(body), content_type="application/json", retention=retention
    )
    return result.version_id


@pytest.fixture
def repo(fresh_s3_store, tmp_path) -> Repository:
    return Repository(fresh_s3_store, pins=Catalogue(tmp_path / "state.sqlite3"))


def test_forged_newer_manifest_is_not_loaded_and_is_reported(repo, tmp_path) -> None:
    doc = _save(repo, tmp_path, "T1.001")
    forged = json.loads(doc.to_json())
    forged["applicant"] = {"id": "001099000001", "kind": "citizen", "name": "Kẻ Giả Mạo"}
    forged["retention_class"] = "5"
    key = "documents/T1.001/manifest.json"
    forged_version = _forge(repo.store, key, json.dumps(forged).encode())

    loaded = repo.load("T1.001")
    assert loaded.applicant.name == "Nguyễn Thị Lan" and loaded.retention_class == "70"
    # Even without the catalogue's record (a lost state), the oldest version is read.
    assert Repository(repo.store).load("T1.001").applicant.id == "075203001234"

    summary, problems, audited = _run(repo, tmp_path)
    assert (summary.tampered, summary.mismatch, summary.clean) == (1, 0, False)
    [p] = problems
    assert p["key"] == key and p["status"] == "tampered" and forged_version in p["message"]
    assert [(e["action"], e["details"]["key"]) for e in audited[:1]] == [("fixity.tampered", key)]


def test_legal_hold_lifted_and_retention_moved_behind_our_back_is_drift(repo, tmp_path) -> None:
    doc = _save(repo, tmp_path, "T2.001", hold=True)
    store = repo.store
    manifest = "documents/T2.001/manifest.json"
    store.client.disable_object_legal_hold(store.bucket, manifest, version_id=repo.pinned(manifest))
    later = datetime.combine(LATER + timedelta(days=400), datetime.min.time(), tzinfo=UTC)
    store.client.set_object_retention(
        store.bucket, doc.original.key, Retention(COMPLIANCE, later), version_id=doc.original.version_id
    )
    summary, problems, audited = _run(repo, tmp_path)
    assert summary.drift == 2 and summary.tampered == 0
    found = {p["key"]: p["message"] for p in problems}
    assert "legal hold off, records say on" in found[manifest]
    assert f"records say {LATER.isoformat()}" in found[doc.original.key]
    assert {e["details"]["key"] for e in audited if e["action"] == "fixity.drift"} == set(found)


def test_delete_marker_on_a_manifest_hides_nothing(repo, tmp_path) -> None:
    _save(repo, tmp_path, "T3.001")
    key = "documents/T3.001/manifest.json"
    repo.store.client.remove_object(repo.store.bucket, key)  # a plain DELETE: a delete marker
    assert [d.id for d in repo.iter_documents()] == ["T3.001"]
    summary, problems, _ = _run(repo, tmp_path)
    assert summary.documents == 1 and summary.tampered == 1
    assert problems[0]["key"] == key and "delete marker" in problems[0]["message"]


def test_edited_and_added_revisions_are_not_applied_and_are_reported(repo, tmp_path) -> None:
    doc = _save(repo, tmp_path, "T4.001")
    extend_retention(repo, doc, date(2100, 1, 1), actor="lan", role="records", reason="QĐ 12/QĐ-UBND")
    assert repo.load("T4.001").retain_until == "2100-01-01"
    rev1 = "documents/T4.001/revisions/000001.json"
    edited = {"changes": {"retain_until": "2027-01-01"}, "by": "records", "reason": "", "at": ""}
    _forge(repo.store, rev1, json.dumps(edited).encode())
    added = {"changes": {"legal_hold": False, "retention_class": "5"}, "by": "x", "reason": "", "at": ""}
    rev2 = "documents/T4.001/revisions/000002.json"
    _forge(repo.store, rev2, json.dumps(added).encode())

    loaded = repo.load("T4.001")
    assert (loaded.retain_until, loaded.retention_class) == ("2100-01-01", "70")
    summary, problems, _ = _run(repo, tmp_path)
    status = {p["key"]: p["status"] for p in problems}
    assert status == {rev1: "tampered", rev2: "orphan"}


def test_orphans_are_reported_unless_an_open_job_owns_them(repo, tmp_path) -> None:
    _save(repo, tmp_path, "T5.001")
    repo.store.put_bytes("documents/T5.002/original", b"left by a failed job", retain_until=LATER)
    summary, problems, _ = _run(repo, tmp_path)
    assert summary.orphan == 1 and problems[0]["key"] == "documents/T5.002/original"
    again = run_fixity(repo, tmp_path / "reports2", pending=["T5.002"])
    assert again.clean
