"""N concurrent uploaders and M concurrent searchers against a real ``sohoa serve`` (with its
worker OCR-ing the uploads), on loopback. Reports throughput, p50/p95 latency and errors.

    .venv/bin/python -m bench.load --uploaders 2 --files 6 --searchers 4 --pages 20000

Target (issue 7): zero errors, search p95 under 300 ms while OCR runs.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.search.corpus import CorpusSpec, documents
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.api_client import ApiClient, add_user, start_server
from tests.support.render import save_scan
from tests.web_fixtures import free_port

QUERIES = [
    "hồ sơ",
    "ho so dang ky",
    '"giấy chứng nhận"',
    "quyet dinh",
    "đất đai",
    "kinh doanh",
    "giay phep xay dung",
    "khai sinh",
    "Biên Hòa",
    "công dân",
]
PASSWORD = "mat-khau-rat-dai-1"
DOSSIER = "000.00.12.H19-261127-0900"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds * 1000)
            if error:
                self.errors.append(error)


def _seed_archive(data: Path, pages: int) -> None:
    """A searchable archive of ``pages`` generated pages (no OCR), plus the upload dossier and users."""
    svc = services(load_settings(data))
    for doc in documents(CorpusSpec(pages=pages)):
        svc.index.add(doc)
        svc.catalogue.upsert_document(doc)
    svc.index.commit()
    svc.index.close()
    svc.catalogue.ensure_dossier(
        DOSSIER, applicant_id="075203001234", department="STP", procedure_code="1.011000.000.00.00.H19"
    )
    add_user(data, "load.intake", "intake", "STP", PASSWORD)
    add_user(data, "load.reviewer", "reviewer", "STP", PASSWORD)


def _uploader(port: int, files: list[Path], tally: Tally) -> None:
    client = ApiClient(f"http://127.0.0.1:{port}", timeout=60)
    client.sign_in("load.intake", PASSWORD)
    for path in files:
        start = time.perf_counter()
        try:
            status, body = client.upload(DOSSIER, path, key=path.name)
            ok = status == 202 and body["files"][0]["status"] == "accepted"
            tally.add(time.perf_counter() - start, "" if ok else f"upload {status} {body}")
        except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
            tally.add(time.perf_counter() - start, f"upload {type(exc).__name__}: {exc}")


def _searcher(port: int, stop: threading.Event, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    client = ApiClient(f"http://127.0.0.1:{port}", timeout=30)
    client.sign_in("load.reviewer", PASSWORD)
    while not stop.is_set():
        start = time.perf_counter()
        try:
            status, body = client.search(rng.choice(QUERIES))
            tally.add(time.perf_counter() - start, "" if status == 200 else f"search {status}")
        except Exception as exc:  # noqa: BLE001
            tally.add(time.perf_counter() - start, f"search {type(exc).__name__}: {exc}")


def _wait_for_jobs(data: Path, expected: int, timeout: float) -> float:
    svc = services(load_settings(data))
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        counts = svc.jobs.counts()
        if sum(counts.get(s, 0) for s in ("done", "rejected", "failed")) >= expected:
            return time.monotonic() - start
        time.sleep(0.5)
    raise SystemExit(f"jobs not finished after {timeout} s: {svc.jobs.counts()}")


def _row(name: str, tally: Tally, seconds: float) -> str:
    lat = sorted(tally.latencies) or [0.0]
    p95 = lat[min(len(lat) - 1, math.ceil(len(lat) * 0.95) - 1)]
    return (
        f"{name:<9} {len(lat):>6} {len(lat) / seconds:>8.1f} {statistics.median(lat):>8.1f} {p95:>8.1f} "
        f"{max(lat):>8.1f} {len(tally.errors):>6}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--uploaders", type=int, default=2)
    ap.add_argument("--files", type=int, default=6, help="files per uploader")
    ap.add_argument("--searchers", type=int, default=4)
    ap.add_argument("--pages", type=int, default=20000, help="pages already in the archive")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        _seed_archive(data, args.pages)
        files = [
            [
                save_scan(
                    [f"Đơn đề nghị số {u}-{i} của công dân", "về việc cấp bản sao giấy tờ"],
                    tmp / f"u{u}-{i}.jpg",
                    dpi=200,
                    seed=u * 100 + i,
                )
                for i in range(args.files)
            ]
            for u in range(args.uploaders)
        ]
        port = free_port()
        server = start_server(data, port)
        uploads, searches, stop = Tally(), Tally(), threading.Event()
        try:
            start = time.monotonic()
            searchers = [
                threading.Thread(target=_searcher, args=(port, stop, searches, s))
                for s in range(args.searchers)
            ]
            uploaders = [threading.Thread(target=_uploader, args=(port, f, uploads)) for f in files]
            for t in searchers + uploaders:
                t.start()
            for t in uploaders:
                t.join()
            _wait_for_jobs(data, args.uploaders * args.files, args.timeout)
            elapsed = time.monotonic() - start
            stop.set()
            for t in searchers:
                t.join()
        finally:
            server.terminate()
            server.wait(30)
    n = args.uploaders * args.files
    print(
        f"{args.uploaders} uploaders x {args.files} files, {args.searchers} searchers, "
        f"{args.pages} pages in the index; {elapsed:.1f} s until every upload was OCR'd and indexed"
    )
    print(f"{'':<9} {'count':>6} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    print(_row("upload", uploads, elapsed))
    print(_row("search", searches, elapsed))
    print(f"documents OCR'd and indexed: {n} in {elapsed:.1f} s = {n / elapsed * 60:.1f} per minute")
    for error in (uploads.errors + searches.errors)[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
