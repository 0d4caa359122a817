"""``sohoa retention``: what is due, the disposal workflow, legal holds and extensions.

    sohoa retention due [--as-of DATE] [--json]
    sohoa retention dispose propose|council|appraisal|decision|execute|show|list ...
    sohoa retention hold DOC_ID --reason TEXT [--release]
    sohoa retention extend DOC_ID --until DATE --reason TEXT

Operators of these commands are the records unit: holds and extensions are made with the
``records`` role and every step is written to the audit log.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import asdict
from datetime import date

from archive.disposal import Disposal, DisposalError, due_records
from archive.object_store import ObjectMissing, RetentionError
from archive.retention import extend_retention, set_legal_hold
from search_ui.roles import Role

ROLE = Role.RECORDS  # holds and extensions from the command line are the records unit's


def actor_name(given: str | None) -> str:
    """Who runs the command: as given, else the login behind sudo, else the login."""
    return given or os.environ.get("SUDO_USER") or getpass.getuser()


def iso_date(text: str) -> date:
    return date.fromisoformat(text)


def member(text: str) -> dict:
    """``NAME|POSITION|VOTE`` -> a council member (vote: for, against, abstain)."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3:
        raise ValueError("a member is NAME|POSITION|VOTE")
    return {"name": parts[0], "position": parts[1], "vote": parts[2]}


def register(sub, common) -> None:
    p = sub.add_parser("retention", parents=[common], help="due records, disposal, holds, extensions")
    p.add_argument("--actor", default=None, help="who acts (default: the login name)")
    rsub = p.add_subparsers(dest="retention_command", required=True)
    due = rsub.add_parser("due", help="list records whose retention has ended (xem xét hủy)")
    due.add_argument("--as-of", type=iso_date, default=None)
    due.add_argument("--json", action="store_true")
    _register_dispose(rsub)
    hold = rsub.add_parser("hold", help="set (or --release) the legal hold of a document")
    hold.add_argument("document_id")
    hold.add_argument("--reason", required=True, help="case, request or decision number")
    hold.add_argument("--release", action="store_true")
    ext = rsub.add_parser("extend", help="extend a document's retain-until (never shortens)")
    ext.add_argument("document_id")
    ext.add_argument("--until", type=iso_date, required=True)
    ext.add_argument("--reason", required=True)
    p.set_defaults(func=run)


def _register_dispose(rsub) -> None:
    d = rsub.add_parser("dispose", help="the disposal workflow")
    dsub = d.add_subparsers(dest="dispose_command", required=True)
    prop = dsub.add_parser("propose", help="open a batch with what is due")
    prop.add_argument("--as-of", type=iso_date, default=None)
    council = dsub.add_parser("council", help="record the council's decision and votes")
    council.add_argument("batch")
    council.add_argument("--decision-no", required=True)
    council.add_argument("--date", type=iso_date, required=True)
    council.add_argument(
        "--member",
        type=member,
        action="append",
        required=True,
        help="NAME|POSITION|for|against|abstain (repeat per member)",
    )
    appr = dsub.add_parser("appraisal", help="record the archive authority's appraisal")
    appr.add_argument("batch")
    appr.add_argument("--authority", required=True)
    appr.add_argument("--number", required=True)
    appr.add_argument("--date", type=iso_date, required=True)
    appr.add_argument("--rejected", action="store_true", help="the authority did not agree")
    appr.add_argument("--notes", default="")
    dec = dsub.add_parser("decision", help="record the head's decision to destroy")
    dec.add_argument("batch")
    dec.add_argument("--number", required=True)
    dec.add_argument("--date", type=iso_date, required=True)
    dec.add_argument("--signer", required=True)
    for name, text in (
        ("execute", "destroy what the batch lists and is still due"),
        ("show", "print every recorded step of a batch"),
    ):
        dsub.add_parser(name, help=text).add_argument("batch")
    dsub.add_parser("list", help="list disposal batches")


def run(args, services) -> int:
    """0 done, 2 refused (out of order, retained, held, not approved), 1 not found."""
    args.actor = actor_name(args.actor)
    audit = services.audit
    try:
        if args.retention_command == "due":
            return _due(args, services)
        if args.retention_command == "dispose":
            return _dispose(args, services)
        doc = services.repository.load(args.document_id)
        if args.retention_command == "hold":
            set_legal_hold(
                services.repository,
                doc,
                not args.release,
                actor=args.actor,
                role=ROLE,
                reason=args.reason,
                audit=audit.append,
            )
            print(f"{doc.id}: legal hold {'released' if args.release else 'set'}")
        else:
            extend_retention(
                services.repository,
                doc,
                args.until,
                actor=args.actor,
                role=ROLE,
                reason=args.reason,
                audit=audit.append,
            )
            print(f"{doc.id}: retained until {args.until.isoformat()}")
        services.catalogue.upsert_document(services.repository.load(doc.id))
        return 0
    except ObjectMissing as exc:
        print(f"sohoa retention: not found: {exc}", file=sys.stderr)
        return 1
    except (DisposalError, RetentionError, ValueError) as exc:
        print(f"sohoa retention: refused: {exc}", file=sys.stderr)
        return 2


def _due(args, services) -> int:
    records = due_records(services.repository, args.as_of or date.today())
    for rec in records:
        if args.json:
            print(json.dumps(asdict(rec), ensure_ascii=False))
        else:
            print(
                f"{rec.dossier_code}\t{rec.title}\t{rec.retention}\t{len(rec.documents)} tài liệu\t"
                f"{rec.pages} trang\t{rec.reason}"
            )
    if not args.json:
        print(f"{len(records)} hồ sơ đến hạn xem xét hủy", file=sys.stderr)
    return 0


def _dispose(args, services) -> int:
    disposal = services.disposal()
    cmd = args.dispose_command
    if cmd == "list":
        for batch in disposal.batches():
            print(batch)
        return 0
    if cmd == "show":
        print(json.dumps(disposal.show(args.batch), ensure_ascii=False, indent=1))
        return 0
    if cmd == "execute":
        return _execute(args, services, disposal)
    body = _record_step(args, disposal)
    print(json.dumps(body, ensure_ascii=False))
    return 0


def _record_step(args, disposal: Disposal) -> dict:
    cmd = args.dispose_command
    if cmd == "propose":
        return disposal.propose(args.actor, args.as_of)
    if cmd == "council":
        return disposal.record_council(
            args.batch,
            decision_no=args.decision_no,
            decided_on=args.date,
            members=args.member,
            actor=args.actor,
        )
    if cmd == "appraisal":
        return disposal.record_appraisal(
            args.batch,
            authority=args.authority,
            number=args.number,
            appraised_on=args.date,
            approved=not args.rejected,
            actor=args.actor,
            notes=args.notes,
        )
    return disposal.record_decision(
        args.batch, number=args.number, decided_on=args.date, signer=args.signer, actor=args.actor
    )


def _execute(args, services, disposal: Disposal) -> int:
    lock = services.worker_lock()  # the index has one writer: the worker
    if not lock.acquire(wait=False):
        print(
            "sohoa retention: a worker is running; stop it first (it holds the index writer)", file=sys.stderr
        )
        return 1
    try:
        record = disposal.execute(args.batch, args.actor)
    finally:
        lock.release()
    print(
        json.dumps(
            {
                "batch": args.batch,
                "destroyed": [d["id"] for d in record["destroyed"]],
                "skipped": [{"id": s["id"], "reason": s["reason"]} for s in record["skipped"]],
            },
            ensure_ascii=False,
        )
    )
    return 0
