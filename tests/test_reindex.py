"""Reindex from the archive alone: documents stored with their manifests in a LocalStore are
found again after ``reindex``; the stream keeps memory flat (checked through the bench)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive.catalogue import Catalogue
from archive.indexes.tantivy_index import TantivyIndex
from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.reindex import reindex
from archive.repository import Repository
from archive.search_index import SearchQuery
from archive.stores.local import LocalStore

ROOT = Path(__file__).resolve().parents[1]


def stored(repo: Repository, tmp_path: Path, doc_id: str, *pages: str, department: str = "STNMT") -> Document:
    original = tmp_path / f"{doc_id}.png"
    original.write_bytes(b"\x89PNG fake scan of " + doc_id.encode())
    doc = Document(
        id=doc_id,
        dossier_code=f"000.00.12.H19-240305-{doc_id[-4:]}",
        role="result",
        department=department,
        applicant=Applicant(id="075090000123", name="Trần Thị Bình"),
        metadata=DocumentMetadata(type_name="Giấy chứng nhận", number="125/GCN-STNMT"),
        digitised_at="2024-03-05T09:00:00Z",
        pages=[PageText(number=n, text=t, confidence=91.0) for n, t in enumerate(pages, 1)],
    )
    return repo.save(doc, original, "image/png", None)


def test_reindex_rebuilds_index_and_catalogue_from_manifests(tmp_path):
    repo = Repository(LocalStore(tmp_path / "archive"))
    stored(repo, tmp_path, "doc-0001", "Giấy chứng nhận quyền sử dụng đất", "thửa đất số 12 tại Biên Hòa")
    stored(repo, tmp_path, "doc-0002", "Quyết định số 1748/QĐ-UBND", department="SXD")
    index, catalogue = TantivyIndex(tmp_path / "index"), Catalogue(tmp_path / "state.sqlite3")
    # The live index holds something the archive no longer has: reindex must drop it.
    index.add(Document(id="gone-0001", dossier_code="X", pages=[PageText(1, "quyền sử dụng đất cũ")]))
    index.commit()

    assert reindex(repo, index, catalogue) == 2
    assert [(h.document_id, h.page) for h in index.search(SearchQuery(text="quyen su dung dat")).hits] == [
        ("doc-0001", 1)
    ]
    assert [h.document_id for h in index.search(SearchQuery(text="Biên Hòa")).hits] == ["doc-0001"]
    assert [h.document_id for h in index.search(SearchQuery(text="1748/QĐ-UBND")).hits] == ["doc-0002"]
    facets = index.search(SearchQuery(facets=("department",))).facets["department"]
    assert facets == {"STNMT": 1, "SXD": 1}
    assert catalogue.document("doc-0001")["pages"] == 2

    # Idempotent: a second run gives the same index, no duplicate pages.
    assert reindex(repo, index, catalogue) == 2
    assert index.search(SearchQuery(text="")).total == 3


def test_reindex_ignores_documents_without_manifest(tmp_path):
    store = LocalStore(tmp_path / "archive")
    repo = Repository(store)
    stored(repo, tmp_path, "doc-0001", "hợp đồng")
    store.put_bytes("documents/doc-0002/original", b"crashed before its manifest")
    index = TantivyIndex(tmp_path / "index")
    assert reindex(repo, index, Catalogue(tmp_path / "state.sqlite3")) == 1
    assert [h.document_id for h in index.search(SearchQuery(text="hop dong")).hits] == ["doc-0001"]


def bench_phase(work: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.search", "--work", str(work), *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_reindex_streams_with_flat_memory(tmp_path):
    """The bench's reindex phase on ~1,250 manifests with the null engine (it keeps nothing), so
    what is measured is the streaming path: store listing, manifests, catalogue. Its heap must
    not grow with what was read (holding the manifests would add at least their size)."""
    bench_phase(tmp_path, "--phase", "archive", "--archive-pages", "4000")
    result = bench_phase(tmp_path, "--phase", "reindex", "--engine", "null", "--sample-every", "100")
    assert result["documents"] > 1000
    anon = [sample[2] for sample in result["rss_samples"]]
    read_mb = result["manifest_mb"] * (len(anon) - 2) / len(anon)
    growth = max(anon[2:]) - anon[1]
    assert growth < 0.2 * read_mb, (growth, read_mb, anon)
