"""SearchQuery -> tantivy queries, for the pages index and the documents index.

Every query part must match the folded field. Exact diacritics rank first by tiers: the pages
where every part typed with diacritics matches the exact field come first (by score), then the
rest. Measured at 100k pages (bench/README.md) a common-term query costs 1.6x less CPU than the
former single query with an "exact OR folded" union per part: tier 1 usually fills the first
result page, and scoring every candidate on both fields was most of the work.
"""

from __future__ import annotations

import tantivy

from archive.search_index import FILTER_FIELDS, QueryPart, SearchQuery, day_bounds, parse_query

Clause = tuple[tantivy.Occur, tantivy.Query]
PROXIMITY_BOOST = 2.0
PROXIMITY_MAX_PAGES = 10_000
# A restored word matching exactly adds its exact-field score once more (quality bench: 1.0 beat
# 0.25-0.5, and an extra boost on the restored words' exact sequence cost MRR, as a wrong
# restoration, e.g. a place name never learnt, then pulls its phrase up).
RESTORED_BOOST = 1.0


def _words_query(schema: tantivy.Schema, field: str, words: tuple[str, ...]) -> tantivy.Query:
    if len(words) == 1:
        return tantivy.Query.term_query(schema, field, words[0])
    return tantivy.Query.phrase_query(schema, field, list(words))


def text_clauses(schema: tantivy.Schema, parts: list[QueryPart], exact: bool) -> list[Clause]:
    """One required clause per part: on the exact field if ``exact`` and the part was typed
    with diacritics, else on the folded field."""
    clauses: list[Clause] = []
    for part in parts:
        folded = tuple(w.lower() for w in part.folded)
        if exact and folded != part.words:
            clauses.append((tantivy.Occur.Must, _words_query(schema, "text", part.words)))
        else:
            clauses.append((tantivy.Occur.Must, _words_query(schema, "text_folded", folded)))
    return clauses


def has_exact_tier(query: SearchQuery, parts: list[QueryPart] | None = None) -> bool:
    """Whether any part has diacritics, typed or restored (``parts``; else all matches are one
    tier)."""
    parts = parse_query(query.text) if parts is None else parts
    return any(tuple(w.lower() for w in p.folded) != p.words for p in parts)


def filter_clauses(schema: tantivy.Schema, query: SearchQuery) -> list[Clause]:
    """Exact filters on raw fields and the digitised-date range on ``ts``."""
    clauses: list[Clause] = []
    for name, value in query.filters.items():
        if name not in FILTER_FIELDS:
            raise ValueError(f"unknown filter field: {name}")
        clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, name, str(value))))
    if query.departments is not None:
        scope = (
            tantivy.Query.term_set_query(schema, "department", list(query.departments))
            if query.departments
            else tantivy.Query.empty_query()
        )
        clauses.append((tantivy.Occur.Must, scope))
    low, high = day_bounds(query)
    if low is not None or high is not None:
        clauses.append(
            (
                tantivy.Occur.Must,
                tantivy.Query.range_query(schema, "ts", tantivy.FieldType.Integer, low, high),
            )
        )
    return clauses


def _combine(clauses: list[Clause]) -> tantivy.Query:
    if not clauses:
        return tantivy.Query.all_query()
    if len(clauses) == 1 and clauses[0][0] == tantivy.Occur.Must:
        return clauses[0][1]
    return tantivy.Query.boolean_query(clauses)


def proximity_clauses(schema: tantivy.Schema, parts: list[QueryPart], proximity: bool) -> list[Clause]:
    """For two or more bare words, an optional clause that scores pages where they stand
    together in the order typed: someone who types words of a title looks for that title (the
    quality bench's subject and body queries). On the folded field, so it rewards adjacency in
    both tiers whatever the marks. Only when ``proximity`` (see ``proximity_applies``)."""
    if not proximity or len(parts) < 2 or any(p.is_phrase for p in parts) or not PROXIMITY_BOOST:
        return []
    words = tuple(w.lower() for p in parts for w in p.folded)
    phrase = _words_query(schema, "text_folded", words)
    return [(tantivy.Occur.Should, tantivy.Query.boost_query(phrase, PROXIMITY_BOOST))]


def proximity_applies(searcher: tantivy.Searcher, query: SearchQuery) -> bool:
    """Whether the proximity score is worth its cost: checking positions costs per candidate
    page (3x the CPU of "hồ sơ" at 100k pages, bench/README.md), so only when the query's rarest
    word is on at most ``PROXIMITY_MAX_PAGES`` pages. Common-word queries keep plain BM25."""
    parts = parse_query(query.text)
    if len(parts) < 2 or any(p.is_phrase for p in parts) or not PROXIMITY_BOOST:
        return False
    rarest = min(searcher.doc_freq("text_folded", w.lower()) for p in parts for w in p.folded)
    return rarest <= PROXIMITY_MAX_PAGES


def ranked_query(schema: tantivy.Schema, query: SearchQuery, proximity: bool = False) -> tantivy.Query:
    """The pages ranking of every match: ``match_query`` plus the proximity score."""
    parts = parse_query(query.text)
    return _combine(
        text_clauses(schema, parts, exact=False)
        + proximity_clauses(schema, parts, proximity)
        + filter_clauses(schema, query)
    )


def restored_ranking(
    schema: tantivy.Schema, query: SearchQuery, restored: list[QueryPart], proximity: bool = False
) -> tantivy.Query:
    """The pages ranking of an unaccented query whose diacritics were restored: every folded
    match, and each restored part that matches exactly adds a boosted score. A boost, not a
    tier: a wrongly restored word (8% of queries on the quality bench) then costs a little
    score, not the page's place behind every page of the wrong word."""
    parts = parse_query(query.text)
    boosts: list[Clause] = [
        (
            tantivy.Occur.Should,
            tantivy.Query.boost_query(_words_query(schema, "text", p.words), RESTORED_BOOST),
        )
        for p in restored
        if tuple(w.lower() for w in p.folded) != p.words
    ]
    return _combine(
        text_clauses(schema, parts, exact=False)
        + proximity_clauses(schema, parts, proximity)
        + boosts
        + filter_clauses(schema, query)
    )


def match_query(schema: tantivy.Schema, query: SearchQuery) -> tantivy.Query:
    """Everything that matches: folded parts and filters (pages or documents index)."""
    return _combine(
        text_clauses(schema, parse_query(query.text), exact=False) + filter_clauses(schema, query)
    )


def exact_tier(
    schema: tantivy.Schema, query: SearchQuery, parts: list[QueryPart] | None = None, proximity: bool = False
) -> tantivy.Query:
    """Tier 1 on the pages index: parts with diacritics (typed, or restored: ``parts``) match
    them exactly."""
    parts = parse_query(query.text) if parts is None else parts
    return _combine(
        text_clauses(schema, parts, exact=True)
        + proximity_clauses(schema, parts, proximity)
        + filter_clauses(schema, query)
    )
