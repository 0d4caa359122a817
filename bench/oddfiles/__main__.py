"""``python -m bench.oddfiles``: the hostile and odd corpus (generated and real files of other
libraries' test suites) through the counter's checks: sniffing + sandboxed inspection per file,
timed, then (unless ``--no-ingest``) one real ``sohoa ingest`` of the whole corpus for the outcome of
every file. Prints the count by outcome and the slowest files' sniff+inspect time."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ingest.context import Limits
from ingest.inspection import inspect_at_counter
from ingest.refusal import Refusal
from ingest.sniff import sniff
from tests.support.hostile import build
from tests.support.odd_corpus import build_odd


def counter_check(path: Path, limits: Limits) -> tuple[float, str]:
    """Seconds for sniffing and inspection, and what the counter answered."""
    start = time.perf_counter()
    try:
        sniffed = sniff(path, max_bytes=limits.max_file_bytes)
        slow = inspect_at_counter(limits, path, sniffed.content_type)
        answer = "to the worker" if slow else "passed"
    except Refusal as r:
        answer = f"{r.status} {r.reason_code}"
    return time.perf_counter() - start, answer


def ingest_outcomes(files: list[Path], data: Path) -> list[dict]:
    cmd = [sys.executable, "-m", "sohoa.cli", "--data-dir", str(data), "ingest", *map(str, files)]
    cmd += ["--dossier", "HS-BENCH-ODD", "--applicant-id", "075203001234", "--no-progress"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-ingest", action="store_true", help="time the counter's checks only")
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-odd-") as tmp:
        corpus = {**build(Path(tmp) / "hostile"), **build_odd(Path(tmp) / "odd")}
        files = list(corpus)
        limits = Limits()
        timed = [(counter_check(f, limits), f) for f in files]
        print(f"{len(files)} files; sniff + inspection at the counter (budget {limits.inspect_seconds} s):")
        for (seconds, answer), f in sorted(timed, key=lambda t: -t[0][0])[: args.top]:
            print(f"  {seconds:6.2f} s  {f.name:45s} {answer}")
        print(f"  total {sum(t[0][0] for t in timed):.1f} s")
        if args.no_ingest:  # the outcomes tests/test_hostile_corpus.py checks file by file
            expected = Counter((c.status, c.reason_code or "-") for c in corpus.values())
            print("expected outcomes (checked by tests/test_hostile_corpus.py):")
            for (status, code), n in sorted(expected.items()):
                print(f"  {n:3d}  {status:12s} {code}")
            return
        lines = ingest_outcomes(files, Path(tmp) / "data")
        counts = Counter((line["status"], line["reason_code"] or "-") for line in lines)
        wrong = [
            (f.name, corpus[f].status, corpus[f].reason_code, line["status"], line["reason_code"])
            for f, line in zip(files, lines, strict=False)
            if (line["status"], line["reason_code"]) != (corpus[f].status, corpus[f].reason_code)
        ]
        print(f"outcomes of sohoa ingest ({len(lines)} lines):")
        for (status, code), n in sorted(counts.items()):
            print(f"  {n:3d}  {status:12s} {code}")
        print(f"not as expected: {len(wrong)}", *wrong, sep="\n  ")


if __name__ == "__main__":
    main()
