"""The embedded search index: tantivy, in the data directory.

Two tantivy indexes per generation:
- ``pages``: one entry per page with ``text`` (NFC, lower-cased words, stored for snippets) and
  ``text_folded`` (diacritics stripped). A query part must match ``text_folded``; matching
  ``text`` as well adds a boosted score, so exact diacritics rank first.
- ``docs``: one entry per document with the folded text of all its pages (pages as separate
  values, so a phrase never spans two pages) and the same filter fields. Facets count documents
  here with plain ``terms`` aggregations: the per-bucket ``cardinality`` over pages cost 10x more
  (bench/README.md).
Only the built-in tokenizer is used, so no process has to register anything to open the index.

Generations: ``<root>/gen-<n>/{pages,docs}`` and ``<root>/CURRENT`` names the live one. A rebuild
writes a new generation and swaps ``CURRENT`` atomically; readers notice and reopen.
Tantivy's writer lock holds across processes: one process writes (the worker), others read.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import tantivy

from archive.indexes.tantivy_query import (
    exact_tier,
    has_exact_tier,
    match_query,
    proximity_applies,
    ranked_query,
    restored_ranking,
)
from archive.model import Document
from archive.search_index import (
    FACET_FIELDS,
    Hit,
    SearchIndex,
    SearchQuery,
    SearchResult,
    document_fields,
    page_entries,
)
from archive.vocabulary_store import SqliteVocabulary
from archive.vocabulary_tracker import VocabularyTracker, count_all

RAW_FIELDS = (
    "document_id",
    "dossier_code",
    "department",
    "procedure_code",
    "doc_type",
    "role",
    "owner_id",
    "year",
)
# Columnar (fast) fields cost memory at every flush and merge: only what is aggregated or sorted.
FAST_FIELDS = FACET_FIELDS
STORED_FIELDS = ("document_id", "dossier_code")  # what a Hit needs besides page and text
PARTS = ("pages", "docs")
WRITER_HEAP = {"pages": 64_000_000, "docs": 32_000_000}
# A rebuild writes one big generation: a larger heap means fewer segments to merge, but merges
# of big segments add their own memory (1.9 GB peak at 1M pages with 256+128 MB; bench/README.md).
REBUILD_HEAP = {"pages": 128_000_000, "docs": 64_000_000}
MIN_HEAP = 15_000_000
RELOAD_EVERY = 0.5  # seconds between reader reloads
FACET_SIZE = 50
VOCABULARY = "vocab.sqlite3"  # the diacritics statistics, one file per generation
MAX_PAGES = 100_000  # more pages than any document may have ([limits] max_pages)


class IndexFormatError(RuntimeError):
    """The index on disk was written by an older layout: ``sohoa reindex`` rebuilds it."""


def _schema(part: str) -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    for name in RAW_FIELDS:
        b.add_text_field(
            name,
            stored=part == "pages" and name in STORED_FIELDS,
            fast=name in FAST_FIELDS,
            tokenizer_name="raw",
        )
    b.add_integer_field("ts", stored=False, indexed=True, fast=True)
    b.add_text_field("text_folded", stored=False, tokenizer_name="default")
    if part == "pages":
        b.add_integer_field("page", stored=True, indexed=False, fast=False)
        b.add_text_field("text", stored=True, tokenizer_name="default")
    return b.build()


PAGE_FIELDS = (*RAW_FIELDS, "ts", "page", "text", "text_folded")


def _doc_entry(doc: Document, pages: list[dict]) -> tantivy.Document:
    """The document-level entry: filter fields once, the folded text of every page."""
    base = document_fields(doc)
    fields = {k: [base[k]] for k in (*RAW_FIELDS, "ts")}
    fields["text_folded"] = [p["text_folded"] for p in pages] or [""]
    return tantivy.Document(**fields)


class TantivyIndex(SearchIndex):
    """Tantivy pages + documents indexes, with generations for no-downtime rebuilds."""

    def __init__(
        self,
        root: str | Path,
        *,
        generation: str | None = None,
        rebuild_heap_mb: int | None = None,
        restore_min_documents: int = 2,
    ) -> None:
        self.root = Path(root)
        self.restore_min_documents = restore_min_documents
        # Total writer heap for rebuilds, split 2:1 between pages and documents (tantivy wants
        # at least 15 MB per writer thread).
        self.rebuild_heap = (
            {
                "pages": max(MIN_HEAP, rebuild_heap_mb * 2_000_000 // 3),
                "docs": max(MIN_HEAP, rebuild_heap_mb * 1_000_000 // 3),
            }
            if rebuild_heap_mb
            else REBUILD_HEAP
        )
        self.root.mkdir(parents=True, exist_ok=True)
        self.schemas = {part: _schema(part) for part in PARTS}
        self.schema = self.schemas["pages"]
        self._pinned = generation
        self._writers: dict[str, tantivy.IndexWriter] = {}
        self._opened_gen = ""
        self._indexes: dict[str, tantivy.Index] = {}
        self._last_reload = 0.0
        self._vocab: SqliteVocabulary | None = None
        self._vocab_gen = ""
        self._tracker = VocabularyTracker(self._committed)

    # -- generations ----------------------------------------------------------------------
    def current_generation(self) -> str:
        if self._pinned:
            return self._pinned
        try:
            return (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            self.publish("gen-1")
            return "gen-1"

    def publish(self, generation: str) -> None:
        """Make ``generation`` the live one (atomic rename of the pointer file)."""
        (self.root / generation).mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"CURRENT.{os.getpid()}"
        tmp.write_text(generation)
        os.replace(tmp, self.root / "CURRENT")

    def new_generation(self) -> str:
        """A fresh, empty generation directory name (not yet live)."""
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        name = f"gen-{max(numbers, default=0) + 1}"
        (self.root / name).mkdir()
        return name

    def drop_old_generations(self) -> None:
        live = self.current_generation()
        for path in self.root.glob("gen-*"):
            if path.name != live:
                shutil.rmtree(path, ignore_errors=True)

    def _idx(self, part: str = "pages") -> tantivy.Index:
        gen = self.current_generation()
        if not self._indexes or gen != self._opened_gen:
            self._writers.clear()
            base = self.root / gen
            if (base / "meta.json").exists():
                raise IndexFormatError(f"{base} has the old single-index layout: run `sohoa reindex`")
            for name in PARTS:
                (base / name).mkdir(parents=True, exist_ok=True)
                try:
                    self._indexes[name] = tantivy.Index(self.schemas[name], path=str(base / name), reuse=True)
                except ValueError as exc:
                    raise IndexFormatError(f"{base / name}: {exc}; run `sohoa reindex`") from exc
            self._opened_gen = gen
        return self._indexes[part]

    def _store(self) -> SqliteVocabulary:
        """The statistics of the live generation (reopened when a rebuild swapped it)."""
        gen = self.current_generation()
        if self._vocab is None or gen != self._vocab_gen:
            if self._vocab is not None:
                self._vocab.close()
            self._vocab, self._vocab_gen = SqliteVocabulary(self.root / gen / VOCABULARY), gen
        return self._vocab

    def vocabulary(self, folded, departments) -> dict[str, dict[str, int]]:
        return self._store().lookup(folded, departments, self.restore_min_documents)

    def _committed(self, document_id: str) -> tuple[str, list[str]] | None:
        """(department, page texts) of the committed version of a document, for taking its
        forms back out of the statistics."""
        pages = self._searcher("pages")
        found = pages.search(
            tantivy.Query.term_query(self.schema, "document_id", document_id), limit=MAX_PAGES
        ).hits
        if not found:
            return None
        texts = [(pages.doc(a).to_dict().get("text") or [""])[0] for _, a in found]
        raw = self._searcher("docs").aggregate(
            tantivy.Query.term_query(self.schemas["docs"], "document_id", document_id),
            {"d": {"terms": {"field": "department", "size": 1}}},
        )
        buckets = raw.get("d", {}).get("buckets", [])
        return (buckets[0]["key"] if buckets else ""), texts

    def _w(self, part: str, heap: int | None = None) -> tantivy.IndexWriter:
        idx = self._idx(part)
        if part not in self._writers:
            self._writers[part] = idx.writer(heap_size=heap or WRITER_HEAP[part], num_threads=1)
        return self._writers[part]

    # -- writing --------------------------------------------------------------------------
    def add(self, doc: Document) -> None:
        self.delete(doc.id)
        self._tracker.added(doc)
        self._add(self._w("pages"), self._w("docs"), doc)

    @staticmethod
    def _add(pages_writer: tantivy.IndexWriter, docs_writer: tantivy.IndexWriter, doc: Document) -> None:
        pages = list(page_entries(doc))
        for entry in pages:
            pages_writer.add_document(tantivy.Document(**{k: [entry[k]] for k in PAGE_FIELDS}))
        docs_writer.add_document(_doc_entry(doc, pages))

    def delete(self, document_id: str) -> None:
        self._tracker.deleted(document_id)
        for part in PARTS:
            self._w(part).delete_documents_by_term("document_id", document_id)

    def commit(self) -> None:
        # Documents first: a facet count may lead the page hits by one commit, never lag them.
        for part in ("docs", "pages"):
            writer = self._writers.pop(part, None)
            if writer is not None:
                writer.commit()
                writer.wait_merging_threads()  # dropping it releases the cross-process writer lock
        for idx in self._indexes.values():
            idx.reload()
        self._tracker.flush(self._store())

    def clear(self) -> None:
        self._tracker.cleared()
        for part in PARTS:
            self._w(part).delete_all_documents()

    def rebuild(self, documents: Iterable[Document], batch: int = 500) -> int:
        """Build a new generation aside, then publish it: searchers switch over at once.

        Nobody reads the new generation before it is published, so there is one commit at the
        end (the writers flush segments on their own when their heaps fill; memory stays
        bounded) and no delete-before-add. ``batch`` is part of the interface, unused here."""
        fresh = TantivyIndex(self.root, generation=self.new_generation())
        pages_writer, docs_writer = (fresh._w(part, self.rebuild_heap[part]) for part in PARTS)
        count = 0
        try:
            for doc in count_all(documents, fresh._store()):
                count += 1
                self._add(pages_writer, docs_writer, doc)
            fresh.commit()
        except BaseException:
            # The live generation was never touched; drop the half-built one.
            fresh.close()
            fresh._store().close()
            shutil.rmtree(self.root / fresh.current_generation(), ignore_errors=True)
            raise
        fresh._store().close()
        self.close()
        self.publish(fresh.current_generation())
        self.drop_old_generations()
        return count

    def close(self) -> None:
        for writer in self._writers.values():
            writer.rollback()
        self._writers.clear()
        self._tracker.discard()

    # -- reading --------------------------------------------------------------------------
    def _searcher(self, part: str = "pages") -> tantivy.Searcher:
        idx = self._idx(part)
        now = time.monotonic()
        if now - self._last_reload > RELOAD_EVERY:
            for each in self._indexes.values():
                each.reload()
            self._last_reload = now
        return idx.searcher()

    def search(self, query: SearchQuery) -> SearchResult:
        searcher = self._searcher("pages")
        limit, offset = max(0, query.limit), max(0, query.offset)
        # Restored diacritics rank pages like diacritics typed (date order has no ranking).
        restoration = self.restoration(query) if query.sort != "date" else None
        if query.sort == "date":
            total, ranked = self._ranked(searcher, match_query(self.schema, query), limit, offset, True)
        elif restoration:
            near = proximity_applies(searcher, query)
            tq = restored_ranking(self.schema, query, restoration.parts, near)
            total, ranked = self._ranked(searcher, tq, limit, offset)
        elif has_exact_tier(query):
            total, ranked = self._tiered(searcher, query, limit, offset)
        else:
            tq = ranked_query(self.schema, query, proximity_applies(searcher, query))
            total, ranked = self._ranked(searcher, tq, limit, offset)
        hits = [self._hit(searcher, score, address) for score, address in ranked]
        facets = self._facets(query) if query.facets else {}
        restored = restoration.text if restoration else ""
        return SearchResult(hits=hits, total=total, facets=facets, restored_query=restored)

    @staticmethod
    def _ranked(
        searcher: tantivy.Searcher, tq: tantivy.Query, limit: int, offset: int, by_date: bool = False
    ) -> tuple[int, list]:
        """(total, [(score, address)]) of one query; tantivy's search(limit=0) panics, so ask
        for one hit and drop it."""
        order_by = "ts" if by_date else None
        result = searcher.search(tq, limit=max(1, limit), offset=offset, count=True, order_by_field=order_by)
        total: int = result.count or 0  # type: ignore[attr-defined]  # the binding's stub lacks count
        return total, [(0.0 if by_date else s, a) for s, a in result.hits[:limit]]

    def _tiered(self, searcher: tantivy.Searcher, query: SearchQuery, limit: int, offset: int):
        """Exact-diacritics tier first, then the folded-only tier. Scores are mapped so they
        still decrease down the list: tier 1 to 1 + s, tier 2 to s / (1 + s) (below 1)."""
        near = proximity_applies(searcher, query)
        exact, match = exact_tier(self.schema, query, None, near), ranked_query(self.schema, query, near)
        count1, first = self._ranked(searcher, exact, limit, offset)
        ranked = [(1.0 + s, a) for s, a in first]
        if limit and len(ranked) == limit:
            # Tier 1 filled the page: count the rest without scoring (an aggregation is ~6x cheaper).
            return self._count(searcher, match_query(self.schema, query)), ranked
        # Tier 1 ends on this page, so it has at most offset + limit hits: know them all, then
        # read tier 2 off the plain match ranking. One more evaluation instead of two for a
        # "match AND NOT exact" query (rare phrases: bench/README.md).
        tier1 = first if offset == 0 else self._ranked(searcher, exact, count1, 0)[1]
        seen = {(a.segment_ord, a.doc) for _, a in tier1}
        skip, need = max(0, offset - count1), limit - len(ranked)
        total, matches = self._ranked(searcher, match, skip + need + count1, 0)
        rest = [(s, a) for s, a in matches if (a.segment_ord, a.doc) not in seen][skip : skip + need]
        return total, ranked + [(s / (1.0 + s), a) for s, a in rest]

    @staticmethod
    def _count(searcher: tantivy.Searcher, tq: tantivy.Query) -> int:
        raw = searcher.aggregate(tq, {"n": {"value_count": {"field": "ts"}}})
        return int(raw.get("n", {}).get("value") or 0)

    @staticmethod
    def _hit(searcher: tantivy.Searcher, score: float, address) -> Hit:
        d = searcher.doc(address).to_dict()
        return Hit(
            document_id=d["document_id"][0],
            dossier_code=d["dossier_code"][0],
            page=d["page"][0],
            score=float(score),
            text=d["text"][0] if d.get("text") else "",
        )

    def _facets(self, query: SearchQuery) -> dict[str, dict[str, int]]:
        """Document counts per value: ``terms`` over the documents index, no cardinality."""
        unknown = [name for name in query.facets if name not in FACET_FIELDS]
        if unknown:
            raise ValueError(f"unknown facet field: {unknown[0]}")
        aggs = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in query.facets}
        raw = self._searcher("docs").aggregate(match_query(self.schemas["docs"], query), aggs)
        return {
            name: {
                b["key"]: int(b["doc_count"]) for b in raw.get(name, {}).get("buckets", []) if b["key"] != ""
            }
            for name in query.facets
        }
