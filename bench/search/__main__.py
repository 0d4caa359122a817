"""``python -m bench.search --pages 100000``: the search bench (see bench/README.md).

Runs each phase in a child process (``--phase``) so build, query and reindex RSS are measured
apart, then prints a Markdown table and writes the raw figures as JSON beside the work files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.search import phases

TARGET_P95_MS = 50.0
TARGET_REINDEX_RSS_MB = 1024


def _child(args: argparse.Namespace) -> dict:
    work = Path(args.work)
    index_dir, samples = work / "index", work / "samples.json"
    if args.phase == "build":
        return phases.build(args.engine, args.pages, args.seed, index_dir, samples)
    if args.phase == "queries":
        if args.from_archive:
            index_dir, samples = work / "reindexed", work / "samples-reindexed.json"
        return phases.queries(args.engine, index_dir, samples, args.runs, args.seed)
    if args.phase == "archive":
        return phases.archive(args.archive_pages, args.seed, work / "archive")
    if args.phase == "reindex":
        return phases.reindex(
            args.engine,
            work / "archive",
            work / "reindexed",
            work / "state.sqlite3",
            args.heap_mb,
            args.sample_every,
        )
    raise SystemExit(f"unknown phase {args.phase}")


def _spawn(args: argparse.Namespace, phase: str) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "bench.search",
        "--phase",
        phase,
        "--work",
        args.work,
        "--engine",
        args.engine,
        "--pages",
        str(args.pages),
        "--seed",
        str(args.seed),
        "--runs",
        str(args.runs),
        "--archive-pages",
        str(args.archive_pages),
        "--heap-mb",
        str(args.heap_mb),
        "--sample-every",
        str(args.sample_every),
    ] + (["--from-archive"] if args.from_archive else [])
    print(f"[bench] {phase} ...", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"[bench] {phase}: {json.dumps({k: v for k, v in result.items() if k != 'rss_samples'})}",
        file=sys.stderr,
        flush=True,
    )
    return result


def report(args: argparse.Namespace, res: dict) -> str:
    """The Markdown table that goes into bench/README.md."""
    b, q = res["build"], res["queries"]
    lines = [
        f"engine {args.engine}, {b['pages']:,} pages ({b['documents']:,} documents), seed {args.seed}, "
        f"{q['runs']} runs per query type",
        "",
        f"build{' (' + b['note'] + ')' if b.get('note') else ''}: {b['seconds']} s, {b['pages_per_s']:,} pages/s, index {b['index_mb']:,} MB, "
        f"peak RSS {b['peak_rss_mb']} MB; query process peak RSS {q['peak_rss_mb']} MB; "
        f"load average during queries {q.get('load_avg')}",
        "",
        "| query | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | median hits | p95 < 50 ms (wall/CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in q["queries"].items():
        ok = "/".join("yes" if s[k] < TARGET_P95_MS else "NO" for k in ("p95_ms", "cpu_p95_ms"))
        lines.append(
            f"| {name} | {s['p50_ms']} | {s['p95_ms']} | {s['cpu_p50_ms']} | {s['cpu_p95_ms']} "
            f"| {s['median_hits']:,} | {ok} |"
        )
    if "reindex" in res:
        a, r = res["archive"], res["reindex"]
        rss = [s[1] for s in r["rss_samples"]]
        flat = (
            f", RSS at 10%/50%/100%: {rss[len(rss) // 10]}/{rss[len(rss) // 2]}/{rss[-1]} MB" if rss else ""
        )
        ok = "yes" if r["peak_rss_mb"] < TARGET_REINDEX_RSS_MB else "NO"
        lines += [
            "",
            f"reindex from archive ({args.archive_pages:,} pages, {a['documents']:,} manifests, "
            f"{a['store_mb']:,} MB): {r['seconds']} s, "
            f"{r['docs_per_s']:,} documents/s, peak RSS {r['peak_rss_mb']} MB (< 1 GB: {ok}; "
            f"heap {r['peak_anon_mb']} MB, mapped files {r['peak_file_mb']} MB){flat}",
        ]
    return "\n".join(lines)


def _build(args: argparse.Namespace, work: Path, res: dict) -> None:
    if args.reuse and (work / "build.json").exists():
        res["build"] = json.loads((work / "build.json").read_text())
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    res["build"] = _spawn(args, "build")
    (work / "build.json").write_text(json.dumps(res["build"]))


def _archive_and_reindex(args: argparse.Namespace, work: Path, res: dict) -> None:
    work.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and (work / "archive.json").exists()):
        shutil.rmtree(work / "archive", ignore_errors=True)
        (work / "archive.json").write_text(json.dumps(_spawn(args, "archive")))
    res["archive"] = json.loads((work / "archive.json").read_text())
    shutil.rmtree(work / "reindexed", ignore_errors=True)
    (work / "state.sqlite3").unlink(missing_ok=True)
    res["reindex"] = _spawn(args, "reindex")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    p.add_argument("--pages", type=int, default=100_000)
    p.add_argument("--engine", default="tantivy")
    p.add_argument("--seed", type=int, default=1748)
    p.add_argument("--runs", type=int, default=200, help="timed runs per query type")
    p.add_argument("--work", default="/tmp/sohoa-bench-search")
    p.add_argument(
        "--archive-pages",
        type=int,
        default=-1,
        help="pages for the reindex phase (default: --pages; 0 skips it)",
    )
    p.add_argument("--heap-mb", type=int, default=0, help="index writer heap for reindex (0: default)")
    p.add_argument("--sample-every", type=int, default=1000, help="RSS sample interval in documents")
    p.add_argument(
        "--from-archive",
        action="store_true",
        help="skip the direct build: archive, "
        "reindex, then query the reindexed index (one index build instead of two)",
    )
    p.add_argument("--reuse", action="store_true", help="keep an index built before (queries only)")
    p.add_argument("--phase", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.archive_pages < 0:
        args.archive_pages = args.pages
    if args.phase:
        print(json.dumps(_child(args)))
        return 0
    work = Path(args.work)
    res: dict = {}
    if args.from_archive:
        args.archive_pages = args.pages
        _archive_and_reindex(args, work, res)
        r = res["reindex"]
        res["build"] = {
            "pages": r["pages"],
            "documents": r["documents"],
            "seconds": r["seconds"],
            "pages_per_s": round(r["pages"] / r["seconds"]),
            "index_mb": r["index_mb"],
            "peak_rss_mb": r["peak_rss_mb"],
            "note": "built by reindex from the archive",
        }
        res["queries"] = _spawn(args, "queries")
    else:
        _build(args, work, res)
        res["queries"] = _spawn(args, "queries")
        if args.archive_pages:
            _archive_and_reindex(args, work, res)
    (work / "results.json").write_text(json.dumps(res, indent=1))
    print(report(args, res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
