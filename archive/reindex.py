"""Rebuild the search index and the catalogue's document rows from the archive alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from archive.catalogue import Catalogue, document_row
from archive.model import Document
from archive.repository import Repository
from archive.search_index import SearchIndex

CATALOGUE_BATCH = 500


def reindex(
    repository: Repository,
    index: SearchIndex,
    catalogue: Catalogue,
    on_document: Callable[[Document], None] | None = None,
) -> int:
    """Stream every manifest once into both; memory does not grow with the archive (catalogue
    rows go in batches of ``CATALOGUE_BATCH``, one transaction each)."""
    catalogue.clear_documents()
    batch: list[dict] = []

    def documents() -> Iterator[Document]:
        for doc in repository.iter_documents():
            repository.pin_document(doc)  # a lost state: the oldest versions are the record
            batch.append(document_row(doc))
            if len(batch) >= CATALOGUE_BATCH:
                catalogue.upsert_rows(batch)
                batch.clear()
            if on_document:
                on_document(doc)
            yield doc

    count = index.rebuild(documents())
    catalogue.upsert_rows(batch)
    return count
