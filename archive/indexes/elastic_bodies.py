"""Request bodies of the Elasticsearch backend, as pure functions (unit-tested without a server).

Mapping: ``text`` is analysed by ``vi_exact`` (standard tokenizer, lower-case: diacritics kept);
its sub-field ``text.folded`` by ``vi_folded`` (``đ/Đ -> d/D`` char mapping, then lower-case and
``asciifolding`` with ``preserve_original``). Stripping combining marks leaves ``đ``; the mapping
makes the fold explicit whatever the filter's own table does. The tokenizer splits
``1748/QĐ-UBND`` into ``1748``, ``qđ``, ``ubnd`` as the embedded engine does, so the notation
is searched as a phrase.

Ranking: every query part must match ``text.folded``; a part typed with diacritics adds a
``should`` clause on ``text`` with a large boost, so exact matches rank first. Diacritics restored
from an unaccented query add a small boost per restored part, and bare words typed together a
phrase clause on ``text.folded`` (proximity), as the embedded engine does.
"""

from __future__ import annotations

from archive.model import Document
from archive.search_index import (
    FACET_FIELDS,
    FILTER_FIELDS,
    QueryPart,
    SearchQuery,
    day_bounds,
    page_entries,
    parse_query,
)

KEYWORD_FIELDS = (
    "document_id",
    "dossier_code",
    "department",
    "procedure_code",
    "doc_type",
    "role",
    "owner_id",
    "year",
)
EXACT_BOOST = 10.0
RESTORED_BOOST = 1.0  # restored diacritics: a hint, not the official's own marks
PROXIMITY_BOOST = 2.0
FACET_SIZE = 50
# Below this many distinct documents per bucket Elasticsearch's cardinality is exact.
CARDINALITY_PRECISION = 40_000
HIGHLIGHT_TAGS = ("[", "]")

ANALYSIS = {
    "char_filter": {"vi_d_stroke": {"type": "mapping", "mappings": ["đ => d", "Đ => D"]}},
    "filter": {"vi_ascii": {"type": "asciifolding", "preserve_original": True}},
    "analyzer": {
        "vi_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
        "vi_folded": {
            "type": "custom",
            "tokenizer": "standard",
            "char_filter": ["vi_d_stroke"],
            "filter": ["lowercase", "vi_ascii"],
        },
    },
}


def mappings() -> dict:
    """Page documents: keyword filters, a date, and the text in exact and folded forms."""
    props: dict = {name: {"type": "keyword"} for name in KEYWORD_FIELDS}
    props.update(
        {
            "date": {"type": "date", "format": "strict_date_optional_time||epoch_second"},
            "page": {"type": "integer"},
            "title": {
                "type": "text",
                "analyzer": "vi_exact",
                "fields": {"folded": {"type": "text", "analyzer": "vi_folded"}},
            },
            "text": {
                "type": "text",
                "analyzer": "vi_exact",
                "fields": {"folded": {"type": "text", "analyzer": "vi_folded"}},
            },
        }
    )
    return {"dynamic": "strict", "properties": props}


def index_template(alias: str, shards: int = 1, replicas: int = 1) -> dict:
    """Keyword arguments of ``indices.put_index_template`` for every physical index behind ``alias``."""
    return {
        "name": f"{alias}-template",
        "index_patterns": [f"{alias}-*"],
        "priority": 200,
        "template": {
            "settings": {"number_of_shards": shards, "number_of_replicas": replicas, "analysis": ANALYSIS},
            "mappings": mappings(),
        },
    }


BUILD_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0}


def serve_settings(replicas: int) -> dict:
    """Settings restored after a bulk build, before the index goes behind the alias."""
    return {"refresh_interval": "1s", "number_of_replicas": replicas}


def page_id(document_id: str, page: int) -> str:
    return f"{document_id}:{page}"


def page_actions(doc: Document, index: str):
    """Bulk ``index`` actions for every page of ``doc`` (ids are document:page, so re-adding
    overwrites in place)."""
    for entry in page_entries(doc):
        source = {k: entry[k] for k in (*KEYWORD_FIELDS, "page", "title", "text")}
        source["date"] = entry["date"] or None
        yield {"_op_type": "index", "_index": index, "_id": page_id(doc.id, entry["page"]), "_source": source}


def stale_pages_query(doc: Document) -> dict:
    """The pages of an earlier version of ``doc`` beyond its current page count."""
    return {
        "bool": {"filter": [{"term": {"document_id": doc.id}}, {"range": {"page": {"gt": len(doc.pages)}}}]}
    }


def _part_clauses(part: QueryPart) -> tuple[dict, dict | None]:
    """(required folded clause, optional exact clause or None) of one query part."""
    text = " ".join(part.words)
    kind = "match_phrase" if part.is_phrase else "match"
    folded = {kind: {"text.folded": {"query": text}}}
    if kind == "match":
        folded["match"]["text.folded"]["operator"] = "and"
    has_marks = tuple(w.lower() for w in part.folded) != part.words
    exact = {kind: {"text": {"query": text, "boost": EXACT_BOOST}}} if has_marks else None
    return folded, exact


def filter_clauses(query: SearchQuery) -> list[dict]:
    clauses: list[dict] = []
    for name, value in query.filters.items():
        if name not in FILTER_FIELDS:
            raise ValueError(f"unknown filter field: {name}")
        clauses.append({"term": {name: str(value)}})
    if query.departments is not None:
        clauses.append({"terms": {"department": list(query.departments)}})  # [] matches nothing
    low, high = day_bounds(query)
    if low is not None or high is not None:
        bounds: dict[str, str | int] = {"format": "epoch_second"}
        if low is not None:
            bounds["gte"] = low
        if high is not None:
            bounds["lte"] = high
        clauses.append({"range": {"date": bounds}})
    return clauses


def _restored_clauses(parts: list[QueryPart]) -> list[dict]:
    """A restored part matching exactly scores once more (a boost, not a tier: see tantivy_query)."""
    out = []
    for part in parts:
        if tuple(w.lower() for w in part.folded) != part.words:
            kind = "match_phrase" if part.is_phrase else "match"
            out.append({kind: {"text": {"query": " ".join(part.words), "boost": RESTORED_BOOST}}})
    return out


def _proximity_clause(parts: list[QueryPart]) -> list[dict]:
    """Bare words typed together score where they stand together (as in tantivy_query)."""
    if len(parts) < 2 or any(p.is_phrase for p in parts):
        return []
    words = " ".join(w for p in parts for w in p.words)
    return [{"match_phrase": {"text.folded": {"query": words, "boost": PROXIMITY_BOOST}}}]


def query_clause(query: SearchQuery, restored: list[QueryPart] | None = None) -> dict:
    """The bool query: parts must match folded, exact parts should match, filters filter.
    ``restored``: the query's parts with restored diacritics, each adding a boosted clause."""
    must, should = [], []
    parts = parse_query(query.text)
    for part in parts:
        folded, exact = _part_clauses(part)
        must.append(folded)
        if exact:
            should.append(exact)
    should += _restored_clauses(restored or []) + _proximity_clause(parts)
    filters = filter_clauses(query)
    if not (must or should or filters):
        return {"match_all": {}}
    body: dict = {"bool": {}}
    for key, clauses in (("must", must), ("should", should), ("filter", filters)):
        if clauses:
            body["bool"][key] = clauses
    return body


def facet_aggs(names: tuple[str, ...]) -> dict:
    """Terms per facet, each bucket counting distinct documents (pages are the index entries)."""
    aggs = {}
    for name in names:
        if name not in FACET_FIELDS:
            raise ValueError(f"unknown facet field: {name}")
        aggs[name] = {
            "terms": {"field": name, "size": FACET_SIZE},
            "aggs": {
                "documents": {
                    "cardinality": {"field": "document_id", "precision_threshold": CARDINALITY_PRECISION}
                }
            },
        }
    return aggs


def search_body(query: SearchQuery, highlight: bool = False, parts: list[QueryPart] | None = None) -> dict:
    """The ``search`` request body for one SearchQuery (``parts``: with restored diacritics)."""
    body: dict = {
        "query": query_clause(query, parts),
        "size": max(0, query.limit),
        "from": max(0, query.offset),
        "track_total_hits": True,
        "_source": ["document_id", "dossier_code", "page", "text"],
    }
    if query.sort == "date":
        body["sort"] = [{"date": {"order": "desc", "missing": "_last"}}, {"_doc": "asc"}]
    else:
        body["sort"] = ["_score", {"document_id": "asc"}, {"page": "asc"}]
    if query.facets:
        body["aggs"] = facet_aggs(query.facets)
    if highlight and query.text.strip():
        body["highlight"] = {
            "pre_tags": [HIGHLIGHT_TAGS[0]],
            "post_tags": [HIGHLIGHT_TAGS[1]],
            "fields": {"text.folded": {"fragment_size": 200, "number_of_fragments": 1}},
        }
    return body


def facets_from(response: dict, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    aggs = response.get("aggregations", {})
    return {
        name: {
            b["key"]: int(b["documents"]["value"])
            for b in aggs.get(name, {}).get("buckets", [])
            if b["key"] != ""
        }
        for name in names
    }


def swap_actions(alias: str, old: list[str], new: str) -> list[dict]:
    """One atomic ``update_aliases`` call: the alias leaves the old indexes and points at ``new``."""
    actions: list[dict] = [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"add": {"index": new, "alias": alias, "is_write_index": True}})
    return actions
