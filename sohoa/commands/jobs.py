"""``sohoa jobs list [--state S] [--json]`` and ``sohoa jobs retry JOB_ID|--failed``: what the IT
unit needs to see and restart jobs that wait on an outage or failed."""

from __future__ import annotations

import json
import sys

from ingest.jobs import STATES, Job

LIST_FIELDS = (
    "id",
    "doc_id",
    "dossier_code",
    "file_name",
    "state",
    "step",
    "page",  # while OCR reads: the page, of ``pages``
    "pages",
    "attempts",
    "next_try_at",
    "last_error",
    "reason_code",
    "updated_at",
)


def register(sub, common) -> None:
    p = sub.add_parser("jobs", parents=[common], help="list ingest jobs, retry waiting or failed ones")
    actions = p.add_subparsers(dest="jobs_action", required=True)
    ls = actions.add_parser("list", parents=[common], help="jobs, newest first")
    ls.add_argument("--state", choices=STATES)
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.add_argument("--limit", type=int, default=1000)
    ls.set_defaults(func=run_list)
    rt = actions.add_parser("retry", parents=[common], help="queue a waiting or failed job again now")
    which = rt.add_mutually_exclusive_group(required=True)
    which.add_argument("job_id", nargs="?", type=int)
    which.add_argument("--failed", action="store_true", help="every failed job")
    rt.set_defaults(func=run_retry)


def _row(job: Job) -> dict:
    return {name: getattr(job, name) for name in LIST_FIELDS}


def run_list(args, services) -> int:
    """Print jobs (one JSON line each with --json, else a table)."""
    jobs = services.jobs.list(args.state, args.limit)
    for job in jobs:
        if args.json:
            print(json.dumps(_row(job), ensure_ascii=False))
        else:
            extra = job.last_error or job.message
            due = f" next {job.next_try_at}" if job.state == "waiting" else ""
            print(f"{job.id:>6} {job.state:<9} {job.doc_id:<32} {job.file_name}{due} {extra}".rstrip())
    return 0


def run_retry(args, services) -> int:
    """Queue the named job, or every failed one, again; the worker runs them."""
    store = services.jobs
    ids = [j.id for j in store.list("failed", limit=1_000_000)] if args.failed else [args.job_id]
    for job_id in ids:
        try:
            job = store.retry(job_id)
        except KeyError:
            print(f"sohoa jobs retry: không có công việc số {job_id}", file=sys.stderr)
            return 2
        except ValueError:
            state = store.get(job_id).state
            print(
                f"sohoa jobs retry: công việc {job_id} đang ở trạng thái {state}, "
                "chỉ thử lại công việc đang chờ (waiting) hoặc lỗi (failed)",
                file=sys.stderr,
            )
            return 2
        print(json.dumps({"id": job.id, "doc_id": job.doc_id, "state": job.state}, ensure_ascii=False))
    return 0
