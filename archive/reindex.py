"""Rebuild the search index and the catalogue's document rows from the archive alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from archive.catalogue import Catalogue
from archive.model import Document
from archive.repository import Repository
from archive.search_index import SearchIndex


def reindex(repository: Repository, index: SearchIndex, catalogue: Catalogue,
            on_document: Callable[[Document], None] | None = None) -> int:
    """Stream every manifest once into both; memory does not grow with the archive."""
    catalogue.clear_documents()

    def documents() -> Iterator[Document]:
        for doc in repository.iter_documents():
            catalogue.upsert_document(doc)
            if on_document:
                on_document(doc)
            yield doc

    return index.rebuild(documents())
