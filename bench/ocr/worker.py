"""Run one engine over pages in its own process, so that its peak RSS is its own. Prints JSON.

python -m bench.ocr.worker ENGINE pages|dossier LIST_OR_PDF OUTDIR [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract(img: str, out: Path) -> str:
    return subprocess.run(
        ["tesseract", img, "-", "-l", "vie"], capture_output=True, text=True, env=ENV, check=True
    ).stdout


def _ocrmypdf(img: str, out: Path, deskew: bool = False, jobs: int = 1) -> str:
    sidecar = out.with_suffix(".txt")
    cmd = [
        str(Path(sys.executable).parent / "ocrmypdf"),
        "-l",
        "vie",
        "--output-type",
        "pdfa",
        "--jobs",
        str(jobs),
        "--sidecar",
        str(sidecar),
        "--quiet",
        img,
        str(out),
    ]
    if deskew:
        cmd.insert(1, "--deskew")
    subprocess.run(cmd, capture_output=True, text=True, env=ENV, check=True)
    return sidecar.read_text(encoding="utf-8")


def _sohoa(img: str, out: Path, jobs: int = 1) -> str:
    from ocr import ocr_to_pdfa

    return ocr_to_pdfa(img, out, jobs=jobs).text


ENGINES = {
    "sohoa": _sohoa,
    "tesseract": _tesseract,
    "ocrmypdf": _ocrmypdf,
    "ocrmypdf-deskew": lambda img, out: _ocrmypdf(img, out, deskew=True),
}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: fair when the machine is shared."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    """Largest resident set of this process or any one of its children (tesseract included), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def run_pages(engine: str, paths: list[str], outdir: Path, jobs: int) -> dict:
    """Each page on its own, ``jobs`` at a time; per-page wall time."""
    fn = ENGINES[engine]

    def one(i_path):
        i, path = i_path
        t = time.perf_counter()
        text = fn(path, outdir / f"{engine}-{i:03d}.pdf")
        return {"text": text, "seconds": time.perf_counter() - t}

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pages = list(pool.map(one, enumerate(paths)))
    return {
        "pages": pages,
        "wall": time.perf_counter() - t0,
        "peak_rss_mb": peak_rss_mb(),
        "cpu_per_page": cpu_seconds() / max(1, len(paths)),
    }


def run_dossier(engine: str, pdf: str, outdir: Path, jobs: int, n_pages: int) -> dict:
    """One multi-page PDF to PDF/A with ``jobs`` cores; pages per minute."""
    out = outdir / f"dossier-{engine}.pdf"
    t = time.perf_counter()
    if engine == "sohoa":
        _sohoa(pdf, out, jobs=jobs)
    elif engine == "ocrmypdf":
        _ocrmypdf(pdf, out, jobs=jobs)
    else:
        raise SystemExit(f"no dossier mode for {engine}")
    wall = time.perf_counter() - t
    return {
        "wall": wall,
        "pages_per_min": n_pages / wall * 60,
        "peak_rss_mb": peak_rss_mb(),
        "cpu_per_page": cpu_seconds() / max(1, n_pages),
    }


def main() -> None:
    """Entry point (see module docstring)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=sorted(ENGINES))
    ap.add_argument("mode", choices=["pages", "dossier"])
    ap.add_argument("source")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--n-pages", type=int, default=0)
    a = ap.parse_args()
    a.outdir.mkdir(parents=True, exist_ok=True)
    if not a.engine.startswith("ocrmypdf"):
        os.nice(5)  # the ocrmypdf command renices itself by 5: every engine runs at the same priority
    if a.mode == "pages":
        result = run_pages(a.engine, json.loads(Path(a.source).read_text()), a.outdir, a.jobs)
    else:
        result = run_dossier(a.engine, a.source, a.outdir, a.jobs, a.n_pages)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
