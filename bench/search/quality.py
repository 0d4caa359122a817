"""``python -m bench.search.quality``: search quality with and without diacritics (bench/README.md).

Indexes the real-documents set (``bench/search/quality_set.py``) in a temporary tantivy index,
then runs every query typed with diacritics and without, three ways: "before" (the ranking as it
was), "proximity" (bare words typed together score where they stand together) and "after"
(proximity and restored diacritics: the code as it is). Scores per query on documents (pages of one document count
once, in the order of their best page): recall@10 = share of the targets (at most 10) in the
first 10 documents; reciprocal rank of the first target. Two scopes: an official who sees every
department (statistics of all), and a department reviewer (the department filter and only that
department's statistics, as the web app does). ``--noise`` adds OCR-like slips to the pages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from archive.indexes import tantivy_query
from archive.indexes.tantivy_index import TantivyIndex
from archive.model import Document
from archive.search_index import SearchQuery
from archive.vietnamese import fold
from bench.search.quality_set import DEFAULT_CORPUS, Query, load_documents, make_queries

HITS = 50  # pages asked for: enough for 10 distinct documents
PROXIMITY = tantivy_query.PROXIMITY_BOOST
# (name, proximity boost, restore): the ranking before this work, with the proximity score of
# bare words typed together, and with restored diacritics on top (the code as it is).
MODES = (("before", 0.0, False), ("proximity", PROXIMITY, False), ("after", PROXIMITY, True))
TARGET_RECALL = 0.98
TARGET_MRR_GAP = 0.05


def ranked_documents(index: TantivyIndex, query: SearchQuery) -> tuple[list[str], str]:
    seen: list[str] = []
    result = index.search(query)
    for hit in result.hits:
        if hit.document_id not in seen:
            seen.append(hit.document_id)
    return seen, result.restored_query


def _wrongly_restored(restored: str, truth: str) -> bool:
    """Whether a word got diacritics other than the truth's (left unaccented is not wrong)."""
    if not restored:
        return False
    return any(r != t and r != fold(t) for r, t in zip(restored.split(), truth.split(), strict=False))


def score(ranked: list[str], targets: frozenset[str]) -> tuple[float, float]:
    top = ranked[:10]
    recall = len(targets & set(top)) / min(len(targets), 10)
    rr = next((1.0 / (i + 1) for i, d in enumerate(ranked) if d in targets), 0.0)
    return recall, rr


def evaluate(index: TantivyIndex, queries: list[Query], departments: dict[str, str], scoped: bool) -> dict:
    """recall@10 and MRR for the four ways of running each query."""
    sums: dict[str, list[tuple[float, float]]] = {}
    restored_right = restored_total = restored_wrong = 0
    for q in queries:
        dept = departments[min(q.targets)] if scoped else ""
        filters = {"department": dept} if scoped else {}
        scope = (dept,) if scoped else None
        for typed_name, typed in (("with", q.text), ("without", q.unaccented)):
            for mode, proximity, restore in MODES:
                tantivy_query.PROXIMITY_BOOST = proximity
                query = SearchQuery(typed, filters=filters, limit=HITS, restore=restore, departments=scope)
                ranked, restored = ranked_documents(index, query)
                # A reviewer's targets are those of their department.
                targets = frozenset(t for t in q.targets if not scoped or departments[t] == dept)
                for key in (f"{typed_name} {mode}", f"{q.kind}: {typed_name} {mode}"):
                    sums.setdefault(key, []).append(score(ranked, targets))
                if typed_name == "without" and restore:
                    restored_total += 1
                    restored_right += restored == q.text
                    restored_wrong += _wrongly_restored(restored, q.text)
    out = {
        key: {
            "recall@10": round(statistics.mean(r for r, _ in vals), 4),
            "mrr": round(statistics.mean(rr for _, rr in vals), 4),
        }
        for key, vals in sums.items()
    }
    out["restored exactly"] = round(restored_right / max(1, restored_total), 4)
    out["restored wrongly"] = round(restored_wrong / max(1, restored_total), 4)
    return out


def build(docs: list[Document], path: Path) -> TantivyIndex:
    index = TantivyIndex(path)
    index.rebuild(iter(docs))
    return index


def report(results: dict, args: argparse.Namespace) -> str:
    lines = [
        f"{results['documents']} documents, {results['pages']} pages, {results['queries']} queries "
        f"({results['subject']} subject, {results['body']} body, {results['short']} short), seed {args.seed}, noise {args.noise}",
        "",
        "| scope | typed | recall@10 before / proximity / after | MRR before / proximity / after "
        "| restored = truth |",
        "|---|---|---|---|---|",
    ]
    for scope in ("all departments", "one department"):
        r = results[scope]
        kinds = ("", "subject: ", "body: ", "short: ")
        for typed in (f"{kind}{marks}" for kind in kinds for marks in ("with", "without")):
            b, m, a = (r[f"{typed} {mode}"] for mode, _, _ in MODES)
            restored = (
                f"{r['restored exactly']} ({r['restored wrongly']} wrong)" if typed == "without" else ""
            )
            typed = typed.replace(": ", " queries, ")
            lines.append(
                f"| {scope} | {typed} diacritics | {b['recall@10']} / {m['recall@10']} / {a['recall@10']} "
                f"| {b['mrr']} / {m['mrr']} / {a['mrr']} | {restored} |"
            )
        with_a, without_a = r["with after"], r["without after"]
        ok = (
            min(with_a["recall@10"], without_a["recall@10"]) >= TARGET_RECALL
            and with_a["mrr"] - without_a["mrr"] <= TARGET_MRR_GAP
        )
        lines.append(
            f"| {scope} | targets (recall >= {TARGET_RECALL}, MRR gap <= {TARGET_MRR_GAP}) (after) | | | {'met' if ok else 'NOT met'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.search.quality", description=__doc__)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the real-docs folder")
    p.add_argument("--noise", type=float, default=0.0, help="share of syllables with OCR-like slips")
    p.add_argument("--seed", type=int, default=1748)
    p.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    args = p.parse_args(argv)
    start = time.perf_counter()
    docs, texts = load_documents(args.corpus, args.noise, args.seed)
    queries = make_queries(docs, texts, args.seed)
    departments = {d.id: d.department for d in docs}
    with tempfile.TemporaryDirectory(prefix="sohoa-quality-") as tmp:
        index = build(docs, Path(tmp) / "index")
        results = {
            "documents": len(docs),
            "pages": sum(len(d.pages) for d in docs),
            "queries": len(queries),
            "subject": sum(q.kind == "subject" for q in queries),
            "body": sum(q.kind == "body" for q in queries),
            "short": sum(q.kind == "short" for q in queries),
            "all departments": evaluate(index, queries, departments, scoped=False),
            "one department": evaluate(index, queries, departments, scoped=True),
        }
        index.close()
    print(report(results, args))
    if args.json:
        print(json.dumps(results))
    print(f"[quality] {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
