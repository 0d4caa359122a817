"""The job queue under several workers: N worker processes claim, "work" (a fixed sleep standing
in for OCR) and finish jobs from one state store. Reports throughput (jobs/s) and p95 latency
from submission to done, for SQLite (one machine: runners take turns through the worker lock)
and PostgreSQL (runners claim row by row with FOR UPDATE SKIP LOCKED).

    .venv/bin/python -m bench.load.queue --url postgresql://sohoa@127.0.0.1:PORT/sohoa \\
        --workers 1 2 4 --jobs 200 --work-ms 50

The PostgreSQL database must be empty or hold only an earlier run's jobs table (it is emptied).
This measures the state store and the queue, not OCR: on a 2-core machine, 4 OCR workers would
only share the same cores; on several machines the OCR scales with them.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

from archive.state_store import StateStore, open_state
from ingest.jobs import JobState, JobStore
from ingest.pipeline import SharedLock, WorkerLock


def _state(backend: str, url: str, folder: Path) -> StateStore:
    return open_state(backend, sqlite_path=folder / "state.sqlite3", url=url, pool_size=2)


def _worker(backend: str, url: str, folder: str, work_ms: float, total: int, done_at: mp.Queue) -> None:
    jobs = JobStore(_state(backend, url, Path(folder)))
    lock = SharedLock() if jobs.shared else WorkerLock(Path(folder) / "worker.lock")
    owner = f"bench-{mp.current_process().pid}"
    while True:
        if not lock.acquire(wait=True):
            continue
        try:
            # As Runner.run_pending does: SQLite under the machine's lock, PostgreSQL claim by claim.
            claimed = jobs.claim_next(owner)
            ran = claimed is not None
            if claimed is not None:
                time.sleep(work_ms / 1000)
                jobs.finish(claimed, JobState.DONE)
                done_at.put(time.time())
        finally:
            lock.release()
        if not ran and jobs.counts().get("done", 0) >= total:
            return


def run_once(backend: str, url: str, workers: int, total: int, work_ms: float) -> dict:
    """Submit ``total`` jobs, run ``workers`` processes until all are done; the figures."""
    folder = Path(tempfile.mkdtemp(prefix="sohoa-bench-queue-"))
    jobs = JobStore(_state(backend, url, folder))
    jobs.db.execute("DELETE FROM jobs")
    for n in range(total):
        jobs.submit(
            dossier_code=f"BENCH-{n % 10}",
            file_name=f"{n}.pdf",
            sha256=f"{n:064d}",
            content_type="application/pdf",
            spool_path=f"/nowhere/{n}",
            params={},
        )
    done_at: mp.Queue = mp.Queue()
    start = time.time()
    procs = [
        mp.Process(target=_worker, args=(backend, url, str(folder), work_ms, total, done_at))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    lat = sorted(done_at.get() - start for _ in range(total))  # from the backlog's release to done
    for p in procs:
        p.join()
    wall = time.time() - start
    done = jobs.list(JobState.DONE, limit=total)
    p95 = lat[max(0, int(len(lat) * 0.95) - 1)] if lat else float("nan")
    return {
        "state": backend,
        "workers": workers,
        "jobs": len(done),
        "jobs_per_s": round(len(done) / wall, 1),
        "p95_s": round(p95, 2),
        "median_s": round(statistics.median(lat), 2) if lat else None,
        "ideal_jobs_per_s": round(workers * 1000 / work_ms, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="PostgreSQL URL (the SQLite runs use a temporary file)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--work-ms", type=float, default=50.0)
    args = ap.parse_args()
    print(run_once("sqlite", "", 1, args.jobs, args.work_ms))
    for n in args.workers:
        print(run_once("postgresql", args.url, n, args.jobs, args.work_ms))


if __name__ == "__main__":
    main()
