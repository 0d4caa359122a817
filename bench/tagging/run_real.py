"""The main tagging bench: real documents rendered as printed pages, scanned, OCR'd, tagged, scored.

    .venv/bin/python -m bench.tagging.run [--part dev --part test] [--level mild --level photocopy]
        [--limit N] [--jobs 2] [--errors] [--by type|organ_level]

Prints, for each part and level, the share of documents whose field is right (after normalising, see
``bench.tagging.score_real``), the mean similarity of the subject, and the calibration of confidence:
of the fields proposed with confidence >= 0.8, how many are right. OCR is cached (``bench.tagging.real``).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.tagging.real import LEVELS, SCAN, load
from bench.tagging.score_real import EXTRA, HIGH, SCORED, Tally
from ingest.tagging import extract

COLUMNS = (*SCORED, *EXTRA)


def _score(docs: list, part: str, level: str, errors: bool, by: str) -> tuple[Tally, float]:
    """The tally of ``docs`` and the median time ``extract`` took on one document (ms)."""
    tally, spent = Tally(), []
    for doc, pages in docs:
        t = time.perf_counter()
        dpi = SCAN[level].get("dpi")  # the native resolution, as the service's ocr.json reports it
        result = extract(pages, [dpi] * len(pages))
        spent.append(1000 * (time.perf_counter() - t))
        group = doc.meta["type"] if by == "type" else doc.meta["organ_level"]
        marks = tally.add(doc.meta, result, group)
        if errors:
            for name, (ok, conf, got, want) in marks.items():
                if not ok:
                    print(f"  {part}/{level} {doc.doc_id:16} {name:15} {conf:.2f} got {got!r}  want {want!r}")
    return tally, statistics.median(spent) if spent else 0.0


def _row(part: str, level: str, tally: Tally, ms: float) -> str:
    cells = [f"{100 * tally.accuracy(c):.1f}%" for c in COLUMNS]
    calib = f"{tally.high_right}/{tally.high} = {100 * tally.high_right / max(1, tally.high):.1f}%"
    share = tally.high / max(1, tally.docs * len(SCORED))
    return (
        f"| {part} | {level} | {tally.docs} | "
        + " | ".join(cells)
        + f" | {tally.similarity / max(1, tally.docs):.3f} | {calib} ({100 * share:.0f}% of fields) | {ms:.0f} |"
    )


def _groups(part: str, level: str, tally: Tally) -> None:
    print(f"\n{part} / {level}, per group:")
    print("| group | docs | " + " | ".join(SCORED) + " |")
    print("|---" * (len(SCORED) + 2) + "|")
    for group, cells in sorted(tally.by_group.items()):
        n = next(iter(cells.values()))[1]
        print(
            f"| {group} | {n} | "
            + " | ".join(f"{100 * cells[c][0] / cells[c][1]:.0f}%" for c in SCORED)
            + " |"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", action="append", choices=("dev", "test"))
    ap.add_argument("--level", action="append", choices=LEVELS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents of each part")
    ap.add_argument("--jobs", type=int, default=2, help="OCR processes for what is not cached")
    ap.add_argument("--cached-only", action="store_true", help="score only what is OCR'd already")
    ap.add_argument("--errors", action="store_true", help="list every wrong field")
    ap.add_argument("--by", choices=("type", "organ_level"), help="also print accuracy per group")
    args = ap.parse_args(argv)
    parts = tuple(args.part or ("dev", "test"))
    levels = tuple(args.level or ("mild", "photocopy"))
    rows = []
    for part in parts:
        corpus = load(part, levels, args.limit, args.jobs, cached_only=args.cached_only)
        for level in levels:
            tally, ms = _score(corpus[level], part, level, args.errors, args.by or "type")
            rows.append(_row(part, level, tally, ms))
            if args.by:
                _groups(part, level, tally)
    print(
        "\nReal documents (../shared/corpus/real-docs, split bench/tagging/real_split.json); right after "
        f"normalising; calibration: right among fields proposed with confidence >= {HIGH}\n"
    )
    print(
        "| part | level | docs | "
        + " | ".join(COLUMNS)
        + " | subject similarity | high-confidence right | median ms/doc |"
    )
    print("|---" * (len(COLUMNS) + 6) + "|")
    for row in rows:
        print(row)
    return 0
