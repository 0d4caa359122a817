"""The search index interface: one contract, one class per engine (tantivy, Elasticsearch).

The index holds one entry per page. It is derived data: ``sohoa reindex`` rebuilds it from the
manifests in the object store.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from archive.diacritics import Lookup, restore_words, restored_text
from archive.model import Document
from archive.vietnamese import fold, nfc, tokens

FILTER_FIELDS = (
    "document_id",
    "dossier_code",
    "department",
    "procedure_code",
    "doc_type",
    "role",
    "owner_id",
    "year",
)
FACET_FIELDS = ("department", "procedure_code", "doc_type", "role", "year")


@dataclass(frozen=True)
class QueryPart:
    """One required part of a query: a single word or a quoted phrase, as tokens."""

    words: tuple[str, ...]

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(w) for w in self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


def parse_query(text: str) -> list[QueryPart]:
    """Split user input into quoted phrases and words; every part is required."""
    parts: list[QueryPart] = []
    text = nfc(text or "")
    for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', text):
        # An unquoted "1748/QĐ-UBND" stays together: a phrase of its tokens.
        words = tokens(quoted or bare, keep_long=True)
        if words:
            parts.append(QueryPart(tuple(words)))
    return parts


@dataclass
class SearchQuery:
    """What to find: every part of ``text``, exact ``filters``, an optional digitised-date range
    (ISO dates, both inclusive), one page of results and the facets to count (in documents)."""

    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    limit: int = 10
    offset: int = 0
    sort: str = "relevance"  # relevance | date (newest first)
    facets: tuple[str, ...] = ()
    date_from: str = ""  # ISO date, e.g. 2024-01-01
    date_to: str = ""
    # Restore the diacritics of words typed without them (``False``: search exactly as typed).
    restore: bool = True
    # The departments the official may read (``None``: every department, for officials who see
    # everything and the command line). Engines keep entries of other departments out of the
    # query itself, so hits, totals and facet counts stay in scope; their vocabulary never
    # suggests restored words either.
    departments: tuple[str, ...] | None = None

    def statistics_scope(self) -> tuple[str, ...] | None:
        """The departments whose statistics may restore this query: a department filter
        narrows the official's scope (queries.py only lets a filter inside that scope)."""
        wanted = self.filters.get("department")
        if wanted:
            return (wanted,) if self.departments is None or wanted in self.departments else ()
        return self.departments


def day_bounds(query: SearchQuery) -> tuple[int | None, int | None]:
    """The date range as epoch seconds: from the first second of ``date_from`` to the last of
    ``date_to``; ``None`` where open."""

    def seconds(day: str, end: bool) -> int:
        start = datetime.combine(date.fromisoformat(day[:10]), time.min, tzinfo=UTC)
        return int(start.timestamp()) + (86_399 if end else 0)

    return (
        seconds(query.date_from, False) if query.date_from else None,
        seconds(query.date_to, True) if query.date_to else None,
    )


def epoch_seconds(iso: str) -> int:
    """An ISO timestamp (``Z`` or offset; naive means UTC) as epoch seconds; 0 when empty."""
    if not iso:
        return 0
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


@dataclass
class Hit:
    document_id: str
    dossier_code: str
    page: int
    score: float
    text: str  # the whole page text, for snippets


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    restored_query: str = ""  # the query as searched after restoring diacritics, if it changed


@dataclass(frozen=True)
class Restoration:
    """A query with restored diacritics: the parts to rank first, and the text to show."""

    parts: list[QueryPart]
    text: str


def restore_query(query: SearchQuery, lookup: Lookup) -> Restoration | None:
    """The query with the likely diacritics of its unaccented words (``None`` when restoring is
    off or changes nothing). A query with any diacritics is searched as typed: whoever types
    marks types them all, and "ban", "cho", "quy" are words too (restoring them cost recall on
    the quality bench). A phrase with a word the statistics do not know keeps its typed form,
    so its ranking tier stays as it is without restoration."""
    parts = parse_query(query.text)
    words = [w for p in parts for w in p.words]
    if not query.restore or not words or any(fold(w) != w for w in words):
        return None
    forms = restore_words(words, lookup)
    restored, at = [], 0
    for part in parts:
        chosen = forms[at : at + len(part.words)]
        at += len(part.words)
        if part.is_phrase and None in chosen:
            restored.append(part)
        else:
            restored.append(QueryPart(tuple(f or w for f, w in zip(chosen, part.words, strict=True))))
    if restored == parts:
        return None
    return Restoration(restored, restored_text(query.text, forms))


def document_fields(doc: Document) -> dict:
    """The filter, facet and sort fields of a document (every page entry carries them)."""
    return {
        "document_id": doc.id,
        "dossier_code": doc.dossier_code,
        "department": doc.department,
        "procedure_code": doc.procedure_code,
        "doc_type": doc.metadata.type_name,
        "role": doc.role,
        "owner_id": doc.applicant.id,
        "year": str(doc.year),
        "date": doc.digitised_at,
        "ts": epoch_seconds(doc.digitised_at),
        "title": doc.metadata.subject or doc.component_name or doc.original_name,
    }


def page_entries(doc: Document) -> Iterable[dict]:
    """The index entries (one per page) of a document, engine-neutral."""
    base = document_fields(doc)
    for page in doc.pages:
        text = nfc(page.text)
        yield {**base, "page": page.number, "text": text, "text_folded": fold(text)}


class SearchIndex(abc.ABC):
    """A page-level full-text index with Vietnamese folding, filters and facets."""

    @abc.abstractmethod
    def add(self, doc: Document) -> None:
        """Index every page of ``doc``, replacing what was indexed for its id before."""

    @abc.abstractmethod
    def delete(self, document_id: str) -> None:
        """Remove every page of a document."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Make what was added or deleted visible to searchers."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Pages matching every part of the query (with or without diacritics), best first."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    # Forms held by fewer documents (in the official's departments) are never suggested.
    restore_min_documents: int = 2

    def vocabulary(
        self, folded: Collection[str], departments: Collection[str] | None
    ) -> dict[str, dict[str, int]]:
        """{fold: {accented form: documents}} from the statistics kept beside the index, limited
        to ``departments`` (``None``: all) and to forms of at least ``restore_min_documents``
        documents. Engines without statistics know nothing (no restoration)."""
        return {}

    def restoration(self, query: SearchQuery) -> Restoration | None:
        """The query with restored diacritics, learnt only from the departments the query may see."""
        scope = query.statistics_scope()
        return restore_query(query, lambda keys: self.vocabulary(keys, scope))

    def rebuild(self, documents: Iterable[Document], batch: int = 500) -> int:
        """Replace the whole index with ``documents`` (streamed, committed every ``batch``).
        Engines override this to build aside and swap, so searches never see a half index."""
        self.clear()
        count = 0
        for count, doc in enumerate(documents, start=1):
            self.add(doc)
            if count % batch == 0:
                self.commit()
        self.commit()
        return count

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release writers and files."""
