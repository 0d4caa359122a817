"""``sohoa worker``: run queued and interrupted ingest jobs until stopped."""

from __future__ import annotations

import logging
import signal
import sys
import time

from ingest.pipeline import Runner
from ingest.refresh import run_refreshes
from ingest.signing_queue import run_signings
from ingest.storage_errors import log_failure
from sohoa.backup_schedule import BackupSchedule

log = logging.getLogger(__name__)
MAX_BACKOFF = 300.0


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
    backups = BackupSchedule(services)
    backoff = PassBackoff(args.poll)
    try:
        while not stopping:
            backups.tick()
            try:
                ran = runner.run_pending(all_waiting=args.once)
                ran += run_refreshes(services.ingest, services.refresh_queue)
                ran += run_signings(
                    services.repository, services.signing, services.signing_queue, services.audit.append
                )
            except Exception as exc:  # noqa: BLE001 - storage trouble (state DB full...): keep running
                log_failure(log, "worker pass failed; trying again later", exc)
                if args.once:
                    return 1
                time.sleep(backoff.next())  # later and later, up to a few minutes
                continue
            backoff.reset()
            if args.once:
                break
            if not ran:
                time.sleep(args.poll)
    finally:
        lock.release()
    return 0


class PassBackoff:
    """Seconds to wait while storage is in trouble: doubling from ``base`` up to ``MAX_BACKOFF``."""

    def __init__(self, base: float) -> None:
        self.base, self.current = max(base, 0.5), 0.0

    def next(self) -> float:
        self.current = min(MAX_BACKOFF, self.current * 2 if self.current else self.base)
        return self.current

    def reset(self) -> None:
        self.current = 0.0
