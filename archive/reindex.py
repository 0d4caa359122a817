"""Rebuild the search index and the catalogue's document rows from the archive alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from archive.catalogue import BUILD_TABLE, Catalogue, document_row
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
    rows go in batches of ``CATALOGUE_BATCH``, one transaction each). Both are built aside (a new
    index generation, a build table) and swapped in at the end: until then the old ones serve,
    and a reindex killed half-way leaves them whole."""
    catalogue.begin_rebuild()
    batch: list[dict] = []

    def documents() -> Iterator[Document]:
        for doc in repository.iter_documents():
            repository.pin_document(doc)  # a lost state: the oldest versions are the record
            batch.append(document_row(doc))
            if len(batch) >= CATALOGUE_BATCH:
                catalogue.upsert_rows(batch, BUILD_TABLE)
                batch.clear()
            if on_document:
                on_document(doc)
            yield doc

    count = index.rebuild(documents())
    catalogue.upsert_rows(batch, BUILD_TABLE)
    catalogue.finish_rebuild()
    return count
