"""Tagging bench: per-field accuracy of ``ingest.tagging.extract`` on the generated labelled corpus.

    .venv/bin/python -m bench.tagging.run [--docs 66] [--jobs 2] [--level mild --level hard] [--errors]

The corpus (tests/support/admin_docs) is rendered, damaged at two levels, OCR'd with Tesseract
(``vie``) once and cached in bench/output/tagging/. A field is right when it equals the label up to
letter case and spacing (diacritics count); identifiers are right when the set found equals the set
in the document exactly.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.tagging.corpus import LEVELS, load
from ingest.tagging import FIELDS, extract
from ingest.tagging.text import SPACES

COLUMNS = (*FIELDS, "identifiers")


def norm(value: str) -> str:
    return SPACES.sub(" ", value or "").strip().casefold()


def score(docs: list, show_errors: bool = False) -> tuple[dict[str, float], float]:
    """Per-field accuracy over ``[(doc, pages)]`` and the mean tagging time per document (ms)."""
    right = dict.fromkeys(COLUMNS, 0)
    spent = 0.0
    for doc, pages in docs:
        t = time.perf_counter()
        result = extract(pages)
        spent += time.perf_counter() - t
        labels, got = doc.labels(), result.values()
        got["identifiers"] = sorted(f"{i.kind}:{i.value}" for i in result.identifiers)
        for name in COLUMNS:
            ok = got[name] == labels[name] if name == "identifiers" else norm(got[name]) == norm(labels[name])
            right[name] += ok
            if not ok and show_errors:
                print(f"  {doc.doc_id} {doc.type_name:16} {name:15} got {got[name]!r}  want {labels[name]!r}")
    return {name: right[name] / len(docs) for name in COLUMNS}, 1000 * spent / len(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=66)
    ap.add_argument("--jobs", type=int, default=2, help="Tesseract processes for what is not cached")
    ap.add_argument("--level", action="append", choices=LEVELS)
    ap.add_argument("--errors", action="store_true", help="list every wrong field")
    args = ap.parse_args(argv)
    levels = tuple(args.level or LEVELS)
    corpus = load(args.docs, levels=levels, jobs=args.jobs)
    types = {doc.type_name for doc, _ in next(iter(corpus.values()))}
    print(f"{args.docs} documents, {len(types)} types; accuracy per field (exact up to case and spacing)\n")
    print("| level | " + " | ".join(COLUMNS) + " | ms/doc |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    rows = []
    for level in levels:
        acc, ms = score(corpus[level], args.errors)
        rows.append(f"| {level} | " + " | ".join(f"{100 * acc[c]:.1f}%" for c in COLUMNS) + f" | {ms:.0f} |")
        print(rows[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
