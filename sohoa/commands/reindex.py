"""``sohoa reindex``: rebuild the search index and catalogue from the archive alone."""

from __future__ import annotations

import sys
import time

from archive.reindex import reindex


def register(sub, common) -> None:
    p = sub.add_parser("reindex", parents=[common], help="rebuild the index from the archive (streaming)")
    p.set_defaults(func=run)


def run(args, services) -> int:
    lock = services.worker_lock()
    if not lock.acquire(wait=False):
        print(
            "sohoa reindex: a worker is running; stop it first (it holds the index writer).", file=sys.stderr
        )
        return 1
    try:
        start = time.monotonic()
        count = reindex(services.repository, services.index, services.catalogue)
        print(f"reindexed {count} documents in {time.monotonic() - start:.1f} s")
    finally:
        lock.release()
    return 0
