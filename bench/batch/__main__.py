"""Batch scanning: pages per minute for a generated stack, and the QR read rate on bad photocopies.

    .venv/bin/python -m bench.batch [--pages 100] [--dossiers 10] [--copies 40] [--split-only]

1. A stack of ``--pages`` pages at 200 dpi (greyscale, one image PDF as a network scanner writes
   it): ``--dossiers`` dossiers, each a separator (receipt or cover sheet, printed and scanned) and
   its text pages, with a blank duplex back after every fourth text page. Timed twice: the split
   alone (render, blank test, QR read, parts written), and the real ``sohoa ingest --batch`` (split,
   OCR to PDF/A, tagging, archive, index) in a fresh data directory; every part is checked to have
   landed in its dossier with the expected pages.
2. ``--copies`` receipts and cover sheets at 150 and at 200 dpi, each a bad photocopy (skewed up to
   5 degrees, faded toner on grey paper, toner dropouts, dark specks, a streak, blur, JPEG at 40-60):
   the share whose QR code reads back as the right separator.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from ingest.batch.separator import Separator, read_separator
from ingest.batch.split import split_stack
from ingest.dossiers.opening import open_dossier
from ingest.notices.cover import render_cover_sheet
from ingest.notices.render import render_notice
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.stack import blank_page, save_stack, scan_pdf_page, text_page

ROOT = Path(__file__).resolve().parents[2]
PROCEDURE = "2.001610.000.00.00.H19"
COMPONENT = "Giấy chứng nhận đăng ký hộ kinh doanh"
WORDS = ["Đơn đề nghị", "Bản kê khai", "Giấy xác nhận", "Biên bản", "Quyết định", "Phụ lục"]


def code_of(n: int) -> str:
    """The bench's dossier codes."""
    return f"000.00.12.H19-251202-{n:04d}"


def separator_pdf(n: int, folder: Path) -> tuple[Path, Separator]:
    """Even dossiers get a receipt, odd ones a cover sheet for a result."""
    code = code_of(n)
    path = folder / f"sep-{n}.pdf"
    if n % 2:
        render_cover_sheet({"code": code, "applicant_name": "Lê Thị Bích"}, "result", COMPONENT, path)
        return path, Separator(code, "result", COMPONENT)
    dossier = {"code": code, "procedure_name": "Đăng ký hộ kinh doanh", "applicant": {"name": "An"}}
    render_notice("receipt", {**dossier, "documents": []}, path)
    return path, Separator(code)


def build_stack(folder: Path, pages: int, dossiers: int) -> tuple[Path, list[tuple[str, int]], int]:
    """The stack PDF (exactly ``pages`` pages), the expected (dossier code, text page count) of
    each part, and the number of blank backs."""
    images: list[Image.Image] = []
    expected, blanks = [], 0
    for n in range(1, dossiers + 1):
        sheets = pages // dossiers if n < dossiers else pages - len(images)
        path, _ = separator_pdf(n, folder)
        images.append(scan_pdf_page(path, 200, seed=n))
        count = 0
        for i in range(sheets - 1):
            if i % 5 == 4 and i < sheets - 2:  # a blank back after every fourth page, never last
                images.append(blank_page(200, seed=n * 1000 + i))
                blanks += 1
                continue
            count += 1
            lines = [
                f"{WORDS[i % len(WORDS)].upper()} SỐ {n}-{count}",
                f"Hồ sơ {code_of(n)}",
                "Kính gửi: UBND",
            ]
            images.append(text_page(lines, 200, seed=n * 100 + i))
        expected.append((code_of(n), count))
    stack = folder / "chong.pdf"
    save_stack(images, stack, 200)
    return stack, expected, blanks


def photocopy(image: Image.Image, rng: random.Random) -> Image.Image:
    """A tired photocopier's copy of a scanned page (greyscale)."""
    lo, hi = rng.randint(60, 110), rng.randint(195, 235)
    arr = np.asarray(image, dtype=np.float32)
    arr = lo + arr * (hi - lo) / 255.0  # toner never black, paper never white
    g = np.random.default_rng(rng.randrange(1 << 30))
    dark = arr < (lo + hi) / 2
    arr[dark & (g.random(arr.shape) < rng.uniform(0.01, 0.04))] = hi  # toner dropouts
    arr[g.random(arr.shape) < 0.0005] = lo  # specks
    x = rng.randrange(arr.shape[1])
    arr[:, x : x + rng.randint(2, 6)] -= 60  # a streak from a dirty drum
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9))
    )
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=rng.randint(40, 60))
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def qr_read_rate(folder: Path, dpi: int, copies: int) -> tuple[int, int]:
    """How many of ``copies`` photocopied separators read back right at ``dpi``."""
    rng = random.Random(dpi)
    sources = [separator_pdf(n, folder) for n in (1, 2)]
    known = {s.dossier_code for _, s in sources}
    read = 0
    for i in range(copies):
        path, want = sources[i % 2]
        page = scan_pdf_page(path, dpi, seed=dpi * 1000 + i, skew_deg=rng.uniform(0.5, 5.0), noise=12.0)
        read += read_separator(photocopy(page, rng), known.__contains__) == want
    return read, copies


def time_split(stack: Path, known: set[str], out: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds to split the stack and write its parts, and the pages read."""
    from ingest.batch.pages import write_part

    start, cpu = time.monotonic(), time.process_time()
    parts = split_stack([stack], known.__contains__)
    for i, part in enumerate(parts):
        if part.pages:
            write_part(part.pages, out / f"part-{i}.pdf")
    pages = sum(len(p.pages) + len(p.blanks) + bool(p.separator_page) for p in parts)
    return time.monotonic() - start, time.process_time() - cpu, pages


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_ingest(stack: Path, data: Path, dossiers: int) -> tuple[float, float, list[dict]]:
    """Wall and CPU seconds (the command and its OCR children) of the real ``sohoa ingest
    --batch`` on a fresh data directory, and its lines."""
    desk = services(load_settings(data)).dossiers
    procedure = desk.procedures.procedures[PROCEDURE]
    for n in range(1, dossiers + 1):
        open_dossier(desk, "bench", procedure, "075203001234", "Nguyễn Văn An", code=code_of(n))
    command = [sys.executable, "-m", "sohoa.cli", "--data-dir", str(data), "ingest", "--batch", str(stack)]
    start, cpu = time.monotonic(), _children_cpu()
    proc = subprocess.run([*command, "--json", "--no-progress"], cwd=ROOT, capture_output=True, text=True)
    seconds, cpu = time.monotonic() - start, _children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"sohoa ingest --batch failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, cpu, [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def _rate(pages: int, seconds: float, cpu: float) -> str:
    return f"{seconds:.1f} s wall, {pages / seconds * 60:.0f} pages/min; {cpu:.1f} s CPU, {pages / cpu * 60:.0f} pages/CPU-min"


def main() -> None:
    """Print the split and end-to-end rates of one stack, then the QR read rates."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--dossiers", type=int, default=10)
    ap.add_argument("--copies", type=int, default=40, help="photocopied separators per resolution")
    ap.add_argument("--split-only", action="store_true", help="skip the real sohoa ingest --batch")
    args = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # as the tests run Tesseract
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stack, expected, blanks = build_stack(folder, args.pages, args.dossiers)
        known = {code for code, _ in expected}
        seconds, cpu, pages = time_split(stack, known, folder)
        print(f"stack: {pages} pages at 200 dpi, {len(expected)} dossiers, {blanks} blank backs", flush=True)
        print(f"split (read, blank test, QR, parts written): {_rate(pages, seconds, cpu)}", flush=True)
        if not args.split_only:
            seconds, cpu, lines = time_ingest(stack, folder / "data", args.dossiers)
            got = [(x["dossier_code"], len(x["pages"])) for x in lines if x["status"] == "accepted"]
            right = sum(g == e for g, e in zip(got, expected, strict=False))
            print(f"sohoa ingest --batch (split, OCR, PDF/A, archive, index): {_rate(pages, seconds, cpu)}")
            print(f"parts in the right dossier with the right pages: {right}/{len(expected)}", flush=True)
        for dpi in (150, 200):
            read, total = qr_read_rate(folder, dpi, args.copies)
            print(f"QR read on bad photocopies at {dpi} dpi: {read}/{total} ({read / total:.0%})", flush=True)


if __name__ == "__main__":
    main()
