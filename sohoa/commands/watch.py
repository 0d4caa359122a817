"""``sohoa watch DIR``: ingest what the counter scanners drop into a shared folder;
``sohoa watch DIR --batch``: every file dropped is a whole stack, sorted by its QR separators."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.hot_folder import HotFolder, ensure_layout
from ingest.pipeline import Runner

if TYPE_CHECKING:
    from ingest.batch.hot_folder import BatchFolder


def register(sub, common) -> None:
    p = sub.add_parser("watch", parents=[common], help="ingest files dropped into DIR/<dossier code>/")
    p.add_argument("dir", type=Path)
    p.add_argument("--settle", type=float, default=2.0, help="seconds a file must stay unchanged")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between scans")
    p.add_argument("--once", action="store_true", help="scan until the folder is empty, run the jobs, exit")
    p.add_argument(
        "--batch",
        action="store_true",
        help="every file is a whole scanned stack, split at its sohoa QR codes (one line per part)",
    )
    p.set_defaults(func=run)


def _folder(args, services) -> HotFolder | BatchFolder:
    folder = HotFolder(args.dir, services.ingest, settle=args.settle)
    if not args.batch:
        return folder
    from ingest.batch.hot_folder import BatchFolder  # stack splitting's libraries: only for --batch

    return BatchFolder(folder, services.dossiers, services.batch_book)


def run(args, services) -> int:
    ensure_layout(args.dir)
    folder = _folder(args, services)
    lock = services.worker_lock()
    runs_jobs = lock.acquire(wait=False)  # else the running worker processes what we submit
    runner = Runner(services.ingest)
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))

    def report(outcome) -> None:
        line = outcome if isinstance(outcome, dict) else outcome.to_dict()
        print(json.dumps(line, ensure_ascii=False), flush=True)

    try:
        while not stopping:
            if isinstance(folder, HotFolder):
                folder.scan(on_refusal=report)
            else:
                folder.scan(report)
            if runs_jobs:
                runner.run_pending()
            if args.once and not folder.has_files():
                break
            time.sleep(args.poll)
    finally:
        if runs_jobs:
            lock.release()
    return 0
