"""Keeps the diacritics statistics in step with the index between two commits (any engine).

Adding a document counts its forms; replacing or deleting one takes back the forms of the
version the index holds, read from the index itself (its page text and department), so no
second copy of each document's vocabulary is stored. A document added and replaced again before
the commit is taken back from memory. The changes reach the store at ``flush`` (the engine's
commit), right after the index's own commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from archive.diacritics import VocabularyDelta, document_terms
from archive.model import Document

# document id -> (department, page texts) of the version committed in the index, or None.
Committed = Callable[[str], tuple[str, list[str]] | None]


class VocabularyStore(Protocol):
    def apply(self, delta: VocabularyDelta) -> None: ...

    def clear(self) -> None: ...


def terms_of(doc: Document) -> set[str]:
    """The statistics' forms of one document."""
    return document_terms(page.text for page in doc.pages)


class VocabularyTracker:
    """Pending statistics changes of one index writer."""

    def __init__(self, committed: Committed) -> None:
        self.committed = committed
        self.delta = VocabularyDelta()
        # Documents touched since the last flush: their version now counted (None: none).
        self._touched: dict[str, tuple[str, set[str]] | None] = {}
        self._cleared = False

    def added(self, doc: Document) -> None:
        self.deleted(doc.id)
        terms = terms_of(doc)
        self.delta.add(doc.department, terms)
        self._touched[doc.id] = (doc.department, terms)

    def deleted(self, document_id: str) -> None:
        if document_id in self._touched:
            counted = self._touched[document_id]
        elif self._cleared:
            counted = None
        else:
            found = self.committed(document_id)
            counted = (found[0], document_terms(found[1])) if found else None
        if counted:
            self.delta.add(counted[0], counted[1], -1)
        self._touched[document_id] = None

    def cleared(self) -> None:
        self.delta.counts.clear()
        self._touched.clear()
        self._cleared = True

    def flush(self, store: VocabularyStore) -> None:
        if self._cleared:
            store.clear()
        store.apply(self.delta)
        self._touched.clear()
        self._cleared = False

    def discard(self) -> None:
        """Forget the pending changes (the index writer rolled back)."""
        self.delta.counts.clear()
        self._touched.clear()
        self._cleared = False


def count_all(documents: Iterable[Document], store: VocabularyStore, every: int = 2000) -> Iterable[Document]:
    """Pass ``documents`` through, counting them into ``store`` (a rebuild's fresh one) and
    writing every ``every`` documents so memory stays bounded."""
    delta = VocabularyDelta()
    for n, doc in enumerate(documents, start=1):
        delta.add(doc.department, terms_of(doc))
        yield doc
        if n % every == 0:
            store.apply(delta)
    store.apply(delta)
