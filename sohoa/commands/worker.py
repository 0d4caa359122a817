"""``sohoa worker``: run queued and interrupted ingest jobs until stopped."""

from __future__ import annotations

import signal
import sys
import time

from ingest.pipeline import Runner
from ingest.refresh import run_refreshes
from ingest.signing_queue import run_signings


def register(sub, common) -> None:
    p = sub.add_parser("worker", parents=[common], help="process ingest jobs (uploads, hot folder)")
    p.add_argument(
        "--once",
        action="store_true",
        help="run what is pending (waiting jobs too, without their wait), then exit",
    )
    p.add_argument("--poll", type=float, default=1.0, help="seconds between looks at the queue")
    p.set_defaults(func=run)


def run(args, services) -> int:
    lock = services.worker_lock()
    if not lock.acquire(wait=not args.once):
        print("sohoa worker: another worker holds the lock", file=sys.stderr)
        return 1
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    runner = Runner(services.ingest)
    try:
        while not stopping:
            ran = runner.run_pending(all_waiting=args.once)
            ran += run_refreshes(services.ingest, services.refresh_queue)
            ran += run_signings(
                services.repository, services.signing, services.signing_queue, services.audit.append
            )
            if args.once:
                break
            if not ran:
                time.sleep(args.poll)
    finally:
        lock.release()
    return 0
