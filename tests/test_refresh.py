"""After the officer confirms a document's type, the worker re-applies retention (extending,
never shortening) and re-indexes it, so search facets and the due list see the confirmed type."""

from __future__ import annotations

from datetime import date

from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.retention import lock_state
from archive.search_index import SearchQuery
from ingest.refresh import run_refreshes
from tests.support.archive_doc import store_document


def _stored(svc, doc_id: str, type_name: str) -> Document:
    policy = svc.ingest.retention
    cls = policy.class_for("", type_name)
    doc = Document(
        id=doc_id,
        dossier_code="HS-R",
        department="TP",
        applicant=Applicant(id="075203001234"),
        metadata=DocumentMetadata(type_name=type_name),
        retention_class=cls,
        retain_until=policy.retain_until(cls, date(2026, 11, 27)).isoformat(),
        digitised_at="2026-11-27T08:00:00+00:00",
        pages=[PageText(1, "giấy tờ của công dân")],
    )
    return store_document(svc, doc)


def _confirm(svc, doc_id: str, type_name: str) -> None:
    svc.repository.revise(doc_id, {"metadata": DocumentMetadata(type_name=type_name)}, actor="tn.tp")
    svc.refresh_queue.request(doc_id, "metadata confirmed", "tn.tp")


def test_confirmed_type_extends_retention_and_reaches_the_index(svc):
    doc = _stored(svc, "HS-R.001", "")
    assert doc.retention_class == "20"
    _confirm(svc, doc.id, "Quyết định")
    assert run_refreshes(svc.ingest, svc.refresh_queue) == 1
    row = svc.catalogue.document(doc.id)
    assert (row["retention_class"], row["retain_until"]) == ("70", "2096-12-31")
    assert lock_state(svc.repository, svc.repository.load(doc.id)).retain_until == date(2096, 12, 31)
    facets = svc.index.search(SearchQuery(filters={"document_id": doc.id}, facets=("doc_type",))).facets
    assert facets["doc_type"] == {"Quyết định": 1}
    assert svc.refresh_queue.pending() == []


def test_a_shorter_class_never_shortens_retention(svc):
    doc = _stored(svc, "HS-R.002", "Quyết định")
    _confirm(svc, doc.id, "Đơn")
    run_refreshes(svc.ingest, svc.refresh_queue)
    row = svc.catalogue.document(doc.id)
    assert (row["retention_class"], row["retain_until"]) == ("70", "2096-12-31")
    assert row["doc_type"] == "Đơn"


def test_a_destroyed_document_leaves_index_and_catalogue(svc):
    doc = _stored(svc, "HS-R.003", "")
    for key in svc.repository.object_keys(doc):
        svc.store._meta_path(key).write_text(
            svc.store._meta_path(key).read_text().replace(doc.retain_until, "2000-01-01")
        )  # as if retention had lapsed long ago
    svc.repository.destroy(doc)
    svc.refresh_queue.request(doc.id, "destroyed by disposal")
    run_refreshes(svc.ingest, svc.refresh_queue)
    assert svc.catalogue.document(doc.id) is None
    assert svc.index.search(SearchQuery(filters={"document_id": doc.id})).hits == []
