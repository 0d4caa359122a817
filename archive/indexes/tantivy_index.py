"""The embedded search index: tantivy, in the data directory.

Each page is one tantivy document with two text fields: ``text`` (NFC, lower-cased words) and
``text_folded`` (diacritics stripped). A query part matches either; matching ``text`` is boosted,
so exact diacritics rank first. Only the built-in tokenizer is used, so no process has to
register anything to open the index.

Generations: the index lives in ``<root>/gen-<n>/`` and ``<root>/CURRENT`` names the live one.
A rebuild writes a new generation and swaps ``CURRENT`` atomically; readers notice and reopen.
Tantivy's writer lock holds across processes: one process writes (the worker), others read.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import tantivy

from archive.model import Document
from archive.search_index import (
    FACET_FIELDS,
    FILTER_FIELDS,
    Hit,
    QueryPart,
    SearchIndex,
    SearchQuery,
    SearchResult,
    page_entries,
    parse_query,
)

RAW_FIELDS = ("document_id", "dossier_code", "department", "procedure_code", "doc_type", "role",
              "owner_id", "year", "date")
EXACT_BOOST = 2.0
WRITER_HEAP = 64_000_000
RELOAD_EVERY = 0.5  # seconds between reader reloads


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    for name in RAW_FIELDS:
        b.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    b.add_integer_field("page", stored=True, indexed=True, fast=True)
    b.add_text_field("title", stored=True)
    b.add_text_field("text", stored=True, tokenizer_name="default")
    b.add_text_field("text_folded", stored=False, tokenizer_name="default")
    return b.build()


class TantivyIndex(SearchIndex):
    """Tantivy index with generations for no-downtime rebuilds."""

    def __init__(self, root: str | Path, *, generation: str | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self._pinned = generation
        self._writer = None
        self._opened_gen = ""
        self._index: tantivy.Index | None = None
        self._last_reload = 0.0

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

    def _idx(self) -> tantivy.Index:
        gen = self.current_generation()
        if self._index is None or gen != self._opened_gen:
            if self._writer is not None:
                self._writer = None
            path = self.root / gen
            path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self.schema, path=str(path), reuse=True)
            self._opened_gen = gen
        return self._index

    def _w(self):
        idx = self._idx()
        if self._writer is None:
            self._writer = idx.writer(heap_size=WRITER_HEAP, num_threads=1)
        return self._writer

    # -- writing --------------------------------------------------------------------------
    def add(self, doc: Document) -> None:
        writer = self._w()
        writer.delete_documents_by_term("document_id", doc.id)
        for entry in page_entries(doc):
            writer.add_document(tantivy.Document(**{k: [v] for k, v in entry.items()}))

    def delete(self, document_id: str) -> None:
        self._w().delete_documents_by_term("document_id", document_id)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None  # releases the cross-process writer lock between jobs
        if self._index is not None:
            self._index.reload()

    def clear(self) -> None:
        self._w().delete_all_documents()

    def rebuild(self, documents, batch: int = 500) -> int:
        """Build a new generation aside, then publish it: searchers switch over at once."""
        fresh = TantivyIndex(self.root, generation=self.new_generation())
        count = 0
        for count, doc in enumerate(documents, start=1):
            fresh.add(doc)
            if count % batch == 0:
                fresh.commit()
        fresh.commit()
        self.close()
        self.publish(fresh.current_generation())
        self.drop_old_generations()
        return count

    def close(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None

    # -- reading --------------------------------------------------------------------------
    def _searcher(self) -> tantivy.Searcher:
        idx = self._idx()
        now = time.monotonic()
        if now - self._last_reload > RELOAD_EVERY:
            idx.reload()
            self._last_reload = now
        return idx.searcher()

    def _part_query(self, part: QueryPart) -> tantivy.Query:
        def one(field: str, words: tuple[str, ...]) -> tantivy.Query:
            if len(words) == 1:
                return tantivy.Query.term_query(self.schema, field, words[0])
            return tantivy.Query.phrase_query(self.schema, field, list(words))

        exact = tantivy.Query.boost_query(one("text", part.words), EXACT_BOOST)
        folded = one("text_folded", tuple(w.lower() for w in part.folded))
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, exact), (tantivy.Occur.Should, folded)])

    def _query(self, query: SearchQuery) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, self._part_query(p)) for p in parse_query(query.text)]
        for name, value in query.filters.items():
            if name not in FILTER_FIELDS:
                raise ValueError(f"unknown filter field: {name}")
            clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, name, str(value))))
        if not clauses:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query(clauses)

    def search(self, query: SearchQuery) -> SearchResult:
        searcher = self._searcher()
        tq = self._query(query)
        kwargs = {"limit": max(1, query.limit), "offset": max(0, query.offset), "count": True}
        if query.sort == "date":
            kwargs["order_by_field"] = "date"
        result = searcher.search(tq, **kwargs)
        hits = []
        for score, address in result.hits[: query.limit]:
            d = searcher.doc(address).to_dict()
            hits.append(Hit(document_id=d["document_id"][0], dossier_code=d["dossier_code"][0],
                            page=d["page"][0], score=float(score) if query.sort != "date" else 0.0,
                            text=d["text"][0] if d.get("text") else ""))
        facets = self._facets(searcher, tq, query.facets) if query.facets else {}
        return SearchResult(hits=hits if query.limit > 0 else [], total=result.count or 0, facets=facets)

    def _facets(self, searcher: tantivy.Searcher, tq: tantivy.Query, names: tuple[str, ...]) -> dict:
        aggs = {}
        for name in names:
            if name not in FACET_FIELDS:
                raise ValueError(f"unknown facet field: {name}")
            aggs[name] = {"terms": {"field": name, "size": 50},
                          "aggs": {"docs": {"cardinality": {"field": "document_id"}}}}
        raw = searcher.aggregate(tq, aggs)
        out: dict[str, dict[str, int]] = {}
        for name in names:
            buckets = raw.get(name, {}).get("buckets", [])
            out[name] = {b["key"]: int(round(b["docs"]["value"])) for b in buckets if b["key"] != ""}
        return out
