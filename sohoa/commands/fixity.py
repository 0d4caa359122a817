"""``sohoa fixity``: stream every object of the archive and check its SHA-256."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from archive.fixity import run_fixity
from sohoa.commands.retention import actor_name


def register(sub, common) -> None:
    p = sub.add_parser("fixity", parents=[common], help="check every object's SHA-256 (streaming)")
    p.add_argument("--report-dir", type=Path, help="where reports go (default DATA_DIR/fixity)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--actor", default=None, help="who ran it (default: the login name)")
    p.set_defaults(func=run)


def run(args, services) -> int:
    """Exit 0 when every object checks out, 2 when any is damaged or missing."""
    report_dir = args.report_dir or services.settings.data_dir / "fixity"
    audit = services.audit
    summary = run_fixity(services.repository, report_dir, audit=audit.append, actor=actor_name(args.actor))
    if args.json:
        print(json.dumps({**asdict(summary), "clean": summary.clean}, ensure_ascii=False))
    else:
        print(
            f"fixity: {summary.objects} objects of {summary.documents} documents, {summary.bytes} bytes "
            f"in {summary.seconds:.1f} s: {summary.ok} ok, {summary.mismatch} damaged, "
            f"{summary.missing} missing, {summary.error} unreadable"
        )
        if not summary.clean:
            print(f"problems listed in {summary.report}", file=sys.stderr)
    return 0 if summary.clean else 2
