"""``sohoa audit verify``: walk the hash chain of the audit log; ``sohoa audit list``: print entries."""

from __future__ import annotations

import json


def register(sub, common) -> None:
    p = sub.add_parser("audit", parents=[common], help="verify or list the audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)
    verify = asub.add_parser("verify", help="find edited, dropped, reordered or cut-off entries")
    verify.add_argument("--json", action="store_true")
    show = asub.add_parser("list", help="print entries as JSON lines")
    show.add_argument("--since", type=int, default=0, help="entries after this sequence number")
    show.add_argument("--subject", default="", help="only entries about this document or batch")
    show.add_argument("--action", default="", help="only this action (e.g. read, hold.set)")
    p.set_defaults(func=run)


def run(args, services) -> int:
    """verify: 0 when the chain is whole, 2 when anything was tampered with."""
    log = services.audit
    if args.audit_command == "list":
        for entry in log.entries(args.since):
            if (not args.subject or entry["subject"] == args.subject) and (
                not args.action or entry["action"] == args.action
            ):
                print(json.dumps(entry, ensure_ascii=False))
        return 0
    report = log.verify()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(
            f"audit log: {report.entries} entries, last {report.last_seq}: "
            f"{'intact' if report.ok else f'{len(report.problems)} problem(s)'}"
        )
        for p in report.problems:
            print(f"  entry {p.seq}: {p.kind}: {p.message}")
    return 0 if report.ok else 2
