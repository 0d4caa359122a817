"""Tagging bench. By default the real documents (``bench.tagging.run_real``); with ``--generated``,
per-field accuracy of ``ingest.tagging.extract`` on the generated labelled corpus:

    .venv/bin/python -m bench.tagging.run --generated [--docs 66] [--jobs 2] [--level mild --level hard]

The corpus (tests/support/admin_docs) is rendered, damaged at two levels, OCR'd with Tesseract
(``vie``) once and cached in bench/output/tagging/. A field is right when it equals the label up to
letter case and spacing (diacritics count); identifiers are right when the set found equals the set
in the document exactly. Rows "+ eng digits" add the second opinion on digit runs
(``ingest.tagging.digits.reread_digits``: the page read again with Tesseract ``eng``).
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.tagging.corpus import ENGINES, LEVELS, load
from ingest.tagging import FIELDS, extract
from ingest.tagging.text import SPACES

COLUMNS = (*FIELDS, "identifiers")


def norm(value: str) -> str:
    return SPACES.sub(" ", value or "").strip().casefold()


def score(docs: list, show_errors: bool = False) -> tuple[dict[str, float], float, tuple[int, int]]:
    """Per-field accuracy over ``[(doc, pages)]``, the mean tagging time per document (ms), and
    (wrong fields proposed with confidence >= 0.8, all wrong fields): how well confidence flags errors."""
    right = dict.fromkeys(COLUMNS, 0)
    spent, sure_wrong, wrong = 0.0, 0, 0
    for doc, pages in docs:
        t = time.perf_counter()
        result = extract(pages)
        spent += time.perf_counter() - t
        labels, got = doc.labels(), result.values()
        got["identifiers"] = sorted(f"{i.kind}:{i.value}" for i in result.identifiers)
        for name in COLUMNS:
            ok = got[name] == labels[name] if name == "identifiers" else norm(got[name]) == norm(labels[name])
            right[name] += ok
            if not ok and name != "identifiers":
                wrong += 1
                sure_wrong += result.get(name).confidence >= 0.8
            if not ok and show_errors:
                print(f"  {doc.doc_id} {doc.type_name:16} {name:15} got {got[name]!r}  want {labels[name]!r}")
    return {name: right[name] / len(docs) for name in COLUMNS}, 1000 * spent / len(docs), (sure_wrong, wrong)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=66)
    ap.add_argument("--seed", type=int, default=2024, help="another seed gives a held-out corpus")
    ap.add_argument("--jobs", type=int, default=2, help="Tesseract processes for what is not cached")
    ap.add_argument("--level", action="append", choices=LEVELS)
    ap.add_argument("--errors", action="store_true", help="list every wrong field")
    ap.add_argument(
        "--engine",
        choices=ENGINES,
        default="tesseract",
        help="plain Tesseract (default, fast) or the service's ocr.ocr_to_pdfa (slow)",
    )
    args = ap.parse_args(argv)
    levels = tuple(args.level or LEVELS)
    corpus = load(args.docs, args.seed, levels=levels, jobs=args.jobs, engine=args.engine)
    reread = load(
        args.docs, args.seed, levels=levels, jobs=args.jobs, progress=False, digits=True, engine=args.engine
    )
    types = {doc.type_name for doc, _ in next(iter(corpus.values()))}
    print(
        f"{args.docs} documents (seed {args.seed}), {len(types)} types, OCR engine {args.engine}; "
        "accuracy per field (exact up to case and spacing)\n"
    )
    print("| level | " + " | ".join(COLUMNS) + " | ms/doc | wrong at conf>=0.8 |")
    print("|---" * (len(COLUMNS) + 3) + "|")
    rows = [(level, corpus[level]) for level in levels]
    rows += [(f"{level} + eng digits", reread[level]) for level in levels]
    for label, docs in rows:
        acc, ms, (sure, wrong) = score(docs, args.errors)
        print(
            f"| {label} | "
            + " | ".join(f"{100 * acc[c]:.1f}%" for c in COLUMNS)
            + f" | {ms:.0f} | {sure}/{wrong} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    if "--generated" in sys.argv[1:]:
        sys.exit(main([a for a in sys.argv[1:] if a != "--generated"]))
    from bench.tagging.run_real import main as main_real

    sys.exit(main_real())
