"""``sohoa certify DOCUMENT_ID --out FILE.pdf``: the certified electronic copy (bản sao điện tử)
of a document; ``sohoa certify --renew-timestamps``: renew archive time-stamps that are due;
``sohoa certify --pending [--retry]``: the documents waiting to be signed, with their last error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.signing import SigningError
from sohoa.commands.retention import actor_name


def register(sub, common) -> None:
    p = sub.add_parser(
        "certify", parents=[common], help="sign a document's archival PDF/A as a certified copy"
    )
    p.add_argument("document_id", nargs="?", help="the document's id")
    p.add_argument("--out", type=Path, help="where the signed copy goes")
    p.add_argument("--level", default="", help="B-B, B-T, B-LT or B-LTA (default: [signing] level)")
    p.add_argument("--actor", default=None, help="who asks for it (default: the login name)")
    p.add_argument("--renew-timestamps", action="store_true", help="renew archive time-stamps that are due")
    p.add_argument("--pending", action="store_true", help="list documents waiting to be signed (JSON lines)")
    p.add_argument("--retry", action="store_true", help="make failed signing requests due now")
    p.set_defaults(func=run)


def _refuse(message: str) -> int:
    print(f"sohoa certify: {message}", file=sys.stderr)
    return 2


def run(args, services) -> int:
    """Exit 0 with the copy's JSON; 2 when the document is unknown or signing is not set up."""
    config = services.signing
    if args.pending or args.retry:
        if args.retry:
            services.signing_queue.retry()
        for req in services.signing_queue.all():
            print(json.dumps(req, ensure_ascii=False))
        return 0
    if args.renew_timestamps:
        return _renew(services, config)
    if not args.document_id or not args.out:
        return _refuse("cần DOCUMENT_ID và --out FILE.pdf (hoặc --renew-timestamps)")
    from archive.signing.certify import certify_document  # pyHanko loads slowly: only for this command

    try:
        result = certify_document(
            services.repository,
            config,
            args.document_id,
            args.out,
            actor=actor_name(args.actor),
            level=args.level,
        )
    except SigningError as exc:
        return _refuse(exc.message)
    out = result.to_dict()
    out.pop("seconds", None)
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _renew(services, config) -> int:
    from archive.signing.certify import renew_all

    try:
        config.check_ready()
    except SigningError as exc:
        return _refuse(exc.message)
    failed: list[str] = []

    def report(doc_id: str, exc: SigningError) -> None:
        failed.append(doc_id)
        print(
            json.dumps({"document_id": doc_id, "error": exc.code, "message": exc.message}, ensure_ascii=False)
        )

    for doc_id in renew_all(services.repository, config, report):
        print(json.dumps({"document_id": doc_id, "renewed": True}, ensure_ascii=False))
    return 2 if failed else 0
