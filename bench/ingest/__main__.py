"""Ingest-to-searchable for a 5-page dossier through the real ``sohoa ingest``, and search
latency on what was ingested. Prints a table.

    .venv/bin/python -m bench.ingest [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive.search_index import SearchQuery
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.render import save_pdf, save_scan

PAGES = [
    [
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
        "Số: 1748/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Về việc tiếp nhận hồ sơ đăng ký kinh doanh",
        "của công dân Nguyễn Văn Bình.",
    ],
    ["GIẤY CHỨNG NHẬN", "Quyền sử dụng đất, quyền sở hữu nhà ở", "cấp cho hộ gia đình ông Trần Văn Đức"],
    ["ĐƠN ĐỀ NGHỊ", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Kính gửi: Ủy ban nhân dân thành phố Biên Hòa"],
    ["TỜ KHAI", "Đăng ký khai sinh", "Họ, chữ đệm, tên người yêu cầu: Lê Thị Hồng"],
    ["BIÊN BẢN", "Kiểm tra hiện trạng công trình", "Hôm nay, ngày 12 tháng 3 năm 2025"],
]
QUERIES = [
    "ho so dang ky",
    "hồ sơ đăng ký",
    '"quyen su dung dat"',
    "giấy phép xây dựng",
    "khai sinh",
    "Biên Hòa",
    "1748/QĐ-UBND",
    "hien trang cong trinh",
]


def _ingest(files: list[Path], data: Path, dossier: str) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sohoa.cli",
            "--data-dir",
            str(data),
            "ingest",
            *map(str, files),
            "--dossier",
            dossier,
            "--applicant-id",
            "075203001234",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode != 0 or any(x["status"] != "accepted" for x in lines):
        raise SystemExit(f"ingest failed: {proc.stdout}\n{proc.stderr[-2000:]}")
    return elapsed


def _search_latency(data: Path, rounds: int = 25) -> tuple[float, float, int]:
    svc = services(load_settings(data))
    svc.index.search(SearchQuery(text="warm up"))
    times = []
    hits = 0
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            hits += len(
                svc.index.search(SearchQuery(text=q, limit=10, facets=("department", "doc_type"))).hits
            )
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], hits


def _sandbox_start(rounds: int = 10) -> float:
    """Median milliseconds of a sandboxed call that does nothing: the cost every file pays per
    sandboxed step (inspection at the counter, OCR, digit re-read) before any work."""
    from ingest.sandbox import run_in_sandbox

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run_in_sandbox("tests.support.sandbox_targets.sleep", {"seconds": 0})
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _cli_start(tmp: Path, rounds: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``sohoa search`` on an empty data directory: the start-up
    every command-line call pays (imports, settings) before its work."""
    walls, cpus = [], []
    for _ in range(rounds):
        before = os.times()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sohoa.cli", "--data-dir", str(tmp / "empty"), "search", "giấy khai sinh"],
            capture_output=True,
            check=True,
        )
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(
            after.children_user + after.children_system - before.children_user - before.children_system
        )
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scans = [save_scan(p, tmp / f"page{i}.jpg", dpi=200, seed=i) for i, p in enumerate(PAGES)]
        pdf = save_pdf(PAGES, tmp / "dossier.pdf", dpi=200, seed=10)
        for kind, files in (("5 JPEG files", scans), ("one 5-page PDF", [pdf])):
            times = []
            for run in range(args.runs):
                data = tmp / f"data-{kind[:3]}-{run}"
                times.append(_ingest(files, data, f"BENCH-{run}"))
            p50, p95, hits = _search_latency(data)
            rows.append((kind, statistics.median(times), statistics.median(times) / 5, p50, p95, hits))
    print(f"{'dossier':<16} {'ingest->searchable s':>21} {'s/page':>7} {'search p50 ms':>14} {'p95 ms':>7}")
    for kind, total, per_page, p50, p95, _ in rows:
        print(f"{kind:<16} {total:>21.1f} {per_page:>7.2f} {p50:>14.1f} {p95:>7.1f}")
    print(
        f"sandboxed call start-up, median of 10: {_sandbox_start():.0f} ms (the first starts the fork server)"
    )
    print(
        f"(median of {args.runs} runs; search: {len(QUERIES)} queries x 25 rounds, top 10 with facets, "
        f"in process; {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
