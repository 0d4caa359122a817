"""OCR bench: sohoa against plain Tesseract and plain ocrmypdf on the same generated pages, one run.

.venv/bin/python -m bench.ocr [--per-level 14] [--dossier-pages 12] [--jobs 2] [--out data/bench-ocr]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench.ocr.corpus import build, dossier_pdf
from bench.ocr.metrics import cer, cer_no_diacritics, wer
from tests.support.render import DAMAGE_LEVELS

ENGINES = ["sohoa", "tesseract", "ocrmypdf", "ocrmypdf-deskew"]


def _worker(*args: str) -> dict:
    cmd = [sys.executable, "-m", "bench.ocr.worker", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def _score(truths: list[str], text: str) -> tuple[float, float, float]:
    """Error rates against the reading order the engine came closer to (two-column header and signature)."""
    best = min(truths, key=lambda t: cer(t, text))
    return cer(best, text), wer(best, text), cer_no_diacritics(best, text)


def accuracy(items: list[dict], out: Path, jobs: int, engines: list[str]) -> dict:
    """Per engine and level: median CER, WER, CER without diacritics, s/page; peak RSS per engine."""
    listing = out / "pages.json"
    listing.write_text(json.dumps([i["path"] for i in items]))
    rows = {}
    for engine in engines:
        print(f"  {engine} on {len(items)} pages ...", file=sys.stderr, flush=True)
        res = _worker(engine, "pages", str(listing), str(out / engine), "--jobs", str(jobs))
        for level in DAMAGE_LEVELS:
            scored = [
                (_score(it["truths"], pg["text"]), pg["seconds"])
                for it, pg in zip(items, res["pages"], strict=True)
                if it["level"] == level
            ]
            rows[(engine, level)] = {
                "cer": statistics.median(s[0][0] for s in scored),
                "wer": statistics.median(s[0][1] for s in scored),
                "cer_nd": statistics.median(s[0][2] for s in scored),
                "mean_cer": statistics.fmean(s[0][0] for s in scored),
                "s_page": statistics.median(s[1] for s in scored),
                "rss": res["peak_rss_mb"],
                "cpu": res["cpu_per_page"],
                "n": len(scored),
            }
    return rows


def throughput(items: list[dict], out: Path, pages: int, jobs: int) -> dict:
    """Pages per minute making the PDF/A of one scanned multi-page dossier, sohoa vs ocrmypdf."""
    pdf = dossier_pdf(items, out, pages)
    return {
        e: _worker(e, "dossier", str(pdf), str(out / "dossier"), "--jobs", str(jobs), "--n-pages", str(pages))
        for e in ("sohoa", "ocrmypdf")
    }


def table(rows: dict, tput: dict, engines: list[str]) -> str:
    """The Markdown table the README quotes."""
    lines = [
        "| level | engine | CER | WER | CER no diacritics | mean CER | s/page | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    cpu = {e: rows[(e, DAMAGE_LEVELS[0])]["cpu"] for e in engines}
    for level in DAMAGE_LEVELS:
        for e in engines:
            r = rows[(e, level)]
            lines.append(
                f"| {level} | {e} | {r['cer']:.2%} | {r['wer']:.2%} | {r['cer_nd']:.2%} | "
                f"{r['mean_cer']:.2%} | {r['s_page']:.2f} | {r['rss']:.0f} |"
            )
    hard = {e: rows[(e, "photocopy")]["cer"] for e in engines}
    lines.append("")
    lines.append("CPU seconds per page, all levels: " + ", ".join(f"{e} {cpu[e]:.2f}" for e in engines))
    lines.append(
        f"Hardest level, median CER ratio sohoa / tesseract: {hard['sohoa'] / hard['tesseract']:.2f} "
        f"(target <= 0.40); sohoa / ocrmypdf --deskew: "
        f"{hard['sohoa'] / hard.get('ocrmypdf-deskew', float('nan')):.2f} (target < 1)"
    )
    if tput:
        s, o = tput["sohoa"], tput["ocrmypdf"]
        lines.append(
            f"Dossier PDF/A throughput: sohoa {s['pages_per_min']:.1f} pages/min (peak RSS "
            f"{s['peak_rss_mb']:.0f} MB), ocrmypdf {o['pages_per_min']:.1f} pages/min (peak RSS "
            f"{o['peak_rss_mb']:.0f} MB): ratio {s['pages_per_min'] / o['pages_per_min']:.2f} "
            f"(target >= 1, aim 1.5); CPU s/page sohoa {s['cpu_per_page']:.2f}, "
            f"ocrmypdf {o['cpu_per_page']:.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the corpus, run every engine, print the table."""
    ap = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__)
    ap.add_argument("--per-level", type=int, default=14, help="pages per damage level (3 levels)")
    ap.add_argument("--dossier-pages", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=2, help="engine processes at once (cores)")
    ap.add_argument("--out", type=Path, default=Path("data/bench-ocr"))
    ap.add_argument("--engines", default=",".join(ENGINES))
    a = ap.parse_args(argv)
    engines = a.engines.split(",")
    print(f"corpus: {a.per_level} pages x {len(DAMAGE_LEVELS)} levels in {a.out}", file=sys.stderr)
    items = build(a.out / "corpus", a.per_level)
    rows = accuracy(items, a.out, a.jobs, engines)
    tput = throughput(items, a.out, a.dossier_pages, a.jobs) if a.dossier_pages else {}
    report = table(rows, tput, engines)
    (a.out / "report.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0
