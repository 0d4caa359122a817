"""The Elasticsearch backend of the search index (official ``elasticsearch`` client).

Layout: an alias (``[index] es_index``, default ``sohoa-pages``) points at one physical index
``<alias>-<timestamp>``; an index template gives every such index the Vietnamese analysers and
the mapping (``elastic_bodies``). Writes go through the alias. ``rebuild`` bulk-loads a new
physical index with refresh off and no replicas, restores both, then moves the alias in one
atomic ``update_aliases`` call: searchers see the old index until the new one is complete.

Bulk indexing uses ``helpers.streaming_bulk``: bounded chunks (memory stays flat), retries with
exponential back-off when the cluster answers 429 (back-pressure), and an error if a page is
still refused after the retries.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator

from archive.indexes import elastic_bodies as bodies
from archive.indexes.elastic_vocabulary import ElasticVocabulary
from archive.model import Document
from archive.search_index import Hit, SearchIndex, SearchQuery, SearchResult
from archive.vocabulary_tracker import VocabularyTracker, count_all

MAX_PAGES = 10_000  # Elasticsearch's default result window; more than any document's pages


class BulkError(RuntimeError):
    """Elasticsearch refused some pages even after retries."""


class ElasticIndex(SearchIndex):
    """Pages in Elasticsearch behind an alias; the same contract as the embedded index."""

    def __init__(
        self,
        url: str = "",
        index: str = "sohoa-pages",
        *,
        client=None,
        shards: int = 1,
        replicas: int = 0,
        chunk_size: int = 500,
        max_retries: int = 8,
        request_timeout: float = 60.0,
        highlight: bool = False,
        restore_min_documents: int = 2,
    ) -> None:
        self.restore_min_documents = restore_min_documents
        if client is None:
            from elasticsearch import Elasticsearch

            client = Elasticsearch(url, request_timeout=request_timeout, retry_on_timeout=True, max_retries=3)
        self.es = client
        self.alias = index
        self.shards, self.replicas = shards, replicas
        self.chunk_size, self.max_retries = chunk_size, max_retries
        self.highlight = highlight
        self._ready = False
        self._dirty = False  # writes since the last refresh
        # The diacritics statistics: a side index, kept in step by the tracker.
        self.vocab = ElasticVocabulary(self.es, index, self._bulk, restore_min_documents)
        self._tracker = VocabularyTracker(self._committed)

    def _settle(self) -> None:
        """delete_by_query sees only refreshed pages: refresh first if we wrote since."""
        if self._dirty:
            self.es.indices.refresh(index=self.alias)
            self._dirty = False

    # -- index management -----------------------------------------------------------------
    def _put_template(self) -> None:
        self.es.indices.put_index_template(**bodies.index_template(self.alias, self.shards, self.replicas))

    def _new_physical(self, settings: dict | None = None) -> str:
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
        self.es.indices.create(index=name, settings=settings or {})
        return name

    def _physical(self) -> list[str]:
        """The physical indexes the alias points at (none before the first use)."""
        if not self.es.indices.exists_alias(name=self.alias):
            return []
        return sorted(self.es.indices.get_alias(name=self.alias).keys())

    def ensure(self) -> None:
        """Template, first physical index and alias, if missing (idempotent)."""
        if self._ready:
            return
        self._put_template()
        if not self._physical():
            name = self._new_physical()
            self.es.indices.update_aliases(actions=bodies.swap_actions(self.alias, [], name))
        self.vocab.ensure()
        self._ready = True

    def drop(self) -> None:
        """Delete every physical index behind the alias and the template (tests, decommissioning)."""
        from elasticsearch import NotFoundError

        for name in self._physical() + self.vocab.physical():
            self.es.indices.delete(index=name)
        with contextlib.suppress(NotFoundError):
            self.es.indices.delete_index_template(name=f"{self.alias}-template")
        self._ready = False

    # -- writing --------------------------------------------------------------------------
    def _bulk(self, actions: Iterable[dict]) -> None:
        """Stream ``actions`` in chunks; 429s are retried with back-off, other refusals raise."""
        from elasticsearch import helpers

        failed = [
            info
            for ok, info in helpers.streaming_bulk(
                self.es,
                actions,
                chunk_size=self.chunk_size,
                max_retries=self.max_retries,
                initial_backoff=1,
                max_backoff=60,
                raise_on_error=False,
                yield_ok=False,
            )
            if not ok
        ]
        if failed:
            raise BulkError(f"{len(failed)} page(s) refused, first: {failed[0]}")

    def _committed(self, document_id: str) -> tuple[str, list[str]] | None:
        """(department, page texts) of the indexed version of a document (refreshed first)."""
        self._settle()
        response = self.es.search(
            index=self.alias,
            body={
                "query": {"term": {"document_id": document_id}},
                "size": MAX_PAGES,
                "_source": ["department", "text"],
            },
        )
        hits = getattr(response, "body", response)["hits"]["hits"]
        if not hits:
            return None
        return hits[0]["_source"].get("department", ""), [h["_source"].get("text", "") for h in hits]

    def vocabulary(self, folded, departments) -> dict[str, dict[str, int]]:
        self.ensure()
        return self.vocab.lookup(folded, departments)

    def add(self, doc: Document) -> None:
        self.ensure()
        self._settle()
        self._tracker.added(doc)
        self._bulk(bodies.page_actions(doc, self.alias))
        self._dirty = True
        # Pages beyond the new count belong to an earlier version: remove them.
        self.es.delete_by_query(
            index=self.alias,
            body={"query": bodies.stale_pages_query(doc)},
            conflicts="proceed",
            refresh=False,
        )

    def delete(self, document_id: str) -> None:
        self.ensure()
        self._settle()
        self._tracker.deleted(document_id)
        self._dirty = True
        self.es.delete_by_query(
            index=self.alias,
            body={"query": {"term": {"document_id": document_id}}},
            conflicts="proceed",
            refresh=False,
        )

    def commit(self) -> None:
        self.ensure()
        self.es.indices.refresh(index=self.alias)
        self._dirty = False
        self._tracker.flush(self.vocab)

    def clear(self) -> None:
        self.ensure()
        self.es.delete_by_query(
            index=self.alias, body={"query": {"match_all": {}}}, conflicts="proceed", refresh=True
        )
        self._tracker.discard()
        self.vocab.clear()

    def rebuild(self, documents: Iterable[Document], batch: int = 500) -> int:
        """Bulk-load a new physical index, then move the alias to it atomically."""
        self.ensure()
        old = self._physical()
        new = self._new_physical(bodies.BUILD_SETTINGS)
        self.vocab.index = new_vocab = self.vocab.new_physical()  # statistics built beside it
        counter = [0]

        def actions() -> Iterator[dict]:
            for doc in count_all(documents, self.vocab):
                counter[0] += 1
                yield from bodies.page_actions(doc, new)

        try:
            self._bulk(actions())
            self.es.indices.put_settings(index=new, settings=bodies.serve_settings(self.replicas))
            self.es.indices.refresh(index=new)
        except Exception:
            self.vocab.index = self.vocab.alias
            for name in (new, new_vocab):  # the live indexes were never touched
                self.es.indices.delete(index=name)
            raise
        self.es.indices.update_aliases(actions=bodies.swap_actions(self.alias, old, new))
        self.vocab.swap(new_vocab)
        for name in old:
            self.es.indices.delete(index=name)
        return counter[0]

    # -- reading --------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        self.ensure()
        # Restored diacritics boost like diacritics typed (date order has no ranking).
        restoration = self.restoration(query) if query.sort != "date" else None
        parts = restoration.parts if restoration else None
        response = self.es.search(index=self.alias, body=bodies.search_body(query, self.highlight, parts))
        response = getattr(response, "body", response)
        hits = []
        for h in response["hits"]["hits"]:
            src = h["_source"]
            hits.append(
                Hit(
                    document_id=src["document_id"],
                    dossier_code=src["dossier_code"],
                    page=src["page"],
                    score=float(h.get("_score") or 0.0) if query.sort != "date" else 0.0,
                    text=src.get("text", ""),
                )
            )
        total = response["hits"]["total"]["value"]
        facets = bodies.facets_from(response, query.facets) if query.facets else {}
        restored = restoration.text if restoration else ""
        return SearchResult(hits=hits, total=total, facets=facets, restored_query=restored)
