"""The certified copy of a document as the page and the API show it (one call for both)."""

from __future__ import annotations

from archive.model import Document
from ingest.certified_status import certification_status
from search_ui.current import services


def certified_of(doc: Document) -> dict:
    """The document's certified copy, verified, and any pending signing request."""
    svc = services()
    return certification_status(svc.repository, svc.signing, svc.signing_queue, doc)
