"""The certified copy of a document as the page and the API show it (one call for both)."""

from __future__ import annotations

from archive.model import Document
from archive.object_store import ObjectMissing
from ingest.certified_status import certification_status
from search_ui.current import services


def certified_of_id(doc_id: str) -> dict | None:
    """``certified_of`` by id (the reuse panel lists catalogue rows); None for a document that is gone."""
    try:
        doc = services().repository.load(doc_id)
    except ObjectMissing:
        return None
    return certified_of(doc)


def certified_of(doc: Document) -> dict:
    """The document's certified copy, verified, and any pending signing request."""
    svc = services()
    return certification_status(svc.repository, svc.signing, svc.signing_queue, doc)
