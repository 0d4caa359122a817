"""Documents in the archive: write-once manifest, revisions for later changes."""

from __future__ import annotations

import pytest

from archive.model import Document, DocumentMetadata, PageText
from archive.object_store import ObjectExists
from archive.repository import Repository
from archive.stores.local import LocalStore


@pytest.fixture
def repo(tmp_path) -> Repository:
    return Repository(LocalStore(tmp_path / "archive"))


def _saved(repo: Repository, tmp_path) -> Document:
    original = tmp_path / "scan.png"
    original.write_bytes(b"\x89PNG fake bytes")
    doc = Document(
        id="HS-1.001",
        dossier_code="HS-1",
        retain_until="2040-12-31",
        metadata=DocumentMetadata(type_name="Quyết định"),
        pages=[PageText(1, "hồ sơ")],
    )
    return repo.save(doc, original, "image/png", None)


def test_manifest_is_write_once_and_revisions_apply_in_order(repo, tmp_path):
    doc = _saved(repo, tmp_path)
    with pytest.raises(ObjectExists):
        repo.store.put_bytes("documents/HS-1.001/manifest.json", b"{}")
    repo.revise(
        doc.id, {"metadata": DocumentMetadata(type_name="Quyết định", number="12/QĐ-UBND")}, actor="a"
    )
    repo.revise(doc.id, {"valid_until": "2030-01-01"}, actor="b", reason="giấy phép có thời hạn")
    loaded = repo.load(doc.id)
    assert loaded.metadata.number == "12/QĐ-UBND"
    assert loaded.valid_until == "2030-01-01"
    assert loaded.pages[0].text == "hồ sơ", "pages and checksums never change"
    assert [d.metadata.number for d in repo.iter_documents()] == ["12/QĐ-UBND"]


def test_only_revisable_fields_change(repo, tmp_path):
    doc = _saved(repo, tmp_path)
    with pytest.raises(ValueError):
        repo.revise(doc.id, {"pages": []}, actor="a")
    with pytest.raises(ValueError):
        repo.revise(doc.id, {"original": None}, actor="a")
