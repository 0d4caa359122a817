"""Storage figures on the S3 peer (Ceph RGW): replica lag under a 100-document ingest, and fixity
seconds per 1,000 objects (primary alone, then primary and replica).

    .venv/bin/python -m bench.storage [--documents 100] [--kib 200]

Uses the peer named by $SOHOA_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY, or starts one for the run
(scripts/s3peer.sh). Documents are hand-made (random original and archival bytes, a manifest; no
OCR): the figures are about storage, not reading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from archive.catalogue import Catalogue
from archive.fixity import run_fixity
from archive.model import Applicant, Document, PageText
from archive.repository import Repository
from archive.stores.replicated import ReplicatedStore
from archive.stores.s3 import S3Store

ROOT = Path(__file__).resolve().parents[2]


def _peer_env() -> tuple[dict[str, str], Path | None]:
    keys = ("SOHOA_S3_ENDPOINT", "SOHOA_S3_ACCESS_KEY", "SOHOA_S3_SECRET_KEY")
    if all(os.environ.get(k) for k in keys):
        return dict(os.environ), None
    folder = Path(tempfile.mkdtemp(prefix="sohoa-bench-peer."))
    subprocess.run(["bash", str(ROOT / "scripts/s3peer.sh"), "start", str(folder)], check=True)
    env = dict(line.split("=", 1) for line in (folder / "env").read_text().splitlines() if "=" in line)
    return env, folder


def _store(env: dict[str, str], tag: str) -> S3Store:
    return S3Store(
        endpoint=env["SOHOA_S3_ENDPOINT"],
        bucket=f"sohoa-bench-{tag}-{uuid.uuid4().hex[:8]}",
        access_key=env["SOHOA_S3_ACCESS_KEY"],
        secret_key=env["SOHOA_S3_SECRET_KEY"],
        secure=False,
        region=env.get("SOHOA_S3_REGION", "us-east-1"),
    )


def _ingest(repo: Repository, count: int, kib: int, work: Path) -> list[float]:
    """Save ``count`` documents; returns each one's wall seconds."""
    until = date.today() + timedelta(days=3650)
    seconds = []
    for n in range(count):
        original, archival = work / "original", work / "archival.pdf"
        original.write_bytes(os.urandom(kib * 1024))
        archival.write_bytes(b"%PDF-1.7\n" + os.urandom(kib * 512))
        doc = Document(
            id=f"BENCH.{n:04d}",
            dossier_code="BENCH",
            applicant=Applicant(id="075203001234"),
            retain_until=until.isoformat(),
            pages=[PageText(number=1, text="trang")],
        )
        t0 = time.perf_counter()
        repo.save(doc, original, "image/png", archival)
        seconds.append(time.perf_counter() - t0)
    return seconds


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.storage")
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--kib", type=int, default=200, help="size of each original (archival: half)")
    args = parser.parse_args()
    env, peer = _peer_env()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            single = _ingest(
                Repository(_store(env, "one"), Catalogue(work / "a.sqlite3")), args.documents, args.kib, work
            )
            store = ReplicatedStore(_store(env, "prim"), _store(env, "repl"))
            repo = Repository(store, Catalogue(work / "b.sqlite3"))
            t0 = time.perf_counter()
            both = _ingest(repo, args.documents, args.kib, work)
            wall = time.perf_counter() - t0
            lag = store.lag_seconds
            print(
                f"ingest of {args.documents} documents ({args.kib} KiB original, {args.kib // 2} KiB PDF, manifest)"
            )
            print(
                f"  one store:      {statistics.median(single) * 1000:.0f} ms/doc median, p95 {_p(single, 0.95) * 1000:.0f}"
            )
            print(
                f"  with replica:   {statistics.median(both) * 1000:.0f} ms/doc median, p95 {_p(both, 0.95) * 1000:.0f}, {wall:.1f} s in all"
            )
            print(
                f"  replica lag per object (primary written -> replica written): median {statistics.median(lag) * 1000:.0f} ms,"
                f" p95 {_p(lag, 0.95) * 1000:.0f} ms, max {max(lag) * 1000:.0f} ms; objects pending at the end: 0 (write-through)"
            )
            for label, mirror in (("primary", None), ("primary + replica", store.replica)):
                summary = run_fixity(repo, work / "fixity", mirror=mirror)
                per = summary.seconds / summary.objects * 1000
                print(
                    f"fixity {label}: {summary.objects} objects, {summary.bytes / 1e6:.0f} MB in {summary.seconds:.1f} s"
                    f" = {per:.1f} s per 1,000 objects (clean: {summary.clean})"
                )
    finally:
        if peer is not None:
            subprocess.run(["bash", str(ROOT / "scripts/s3peer.sh"), "stop", str(peer)], check=False)


if __name__ == "__main__":
    main()
