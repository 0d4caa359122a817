"""``sohoa search QUERY [--json] [--limit N] [--filter field=value ...]``: hits, best first."""

from __future__ import annotations

import json

from archive.search_index import FILTER_FIELDS, SearchQuery, parse_query
from archive.snippets import make_snippet


def register(sub, common) -> None:
    p = sub.add_parser("search", parents=[common], help="search the archive (with or without diacritics)")
    p.add_argument("query")
    p.add_argument("--json", action="store_true", help="JSON lines")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=f"fields: {', '.join(FILTER_FIELDS)}",
    )
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p.set_defaults(func=run)


def run(args, services) -> int:
    filters = {}
    for item in args.filter:
        name, sep, value = item.partition("=")
        if not sep or name not in FILTER_FIELDS:
            raise SystemExit(f"sohoa search: bad --filter {item!r} (fields: {', '.join(FILTER_FIELDS)})")
        filters[name] = value
    result = services.index.search(
        SearchQuery(text=args.query, filters=filters, limit=max(0, args.limit), sort=args.sort)
    )
    parts = parse_query(args.query)
    for hit in result.hits:
        snippet = make_snippet(hit.text, parts)
        row = {
            "document_id": hit.document_id,
            "dossier_code": hit.dossier_code,
            "page": hit.page,
            "score": round(hit.score, 4),
            "snippet": snippet.text,
            "highlights": [list(s) for s in snippet.spans],
        }
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{hit.document_id}  trang {hit.page}  ({hit.score:.2f})  {snippet.marked()}")
    return 0
