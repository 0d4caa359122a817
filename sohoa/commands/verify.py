"""``sohoa verify FILE.pdf [--json]``: check every signature of a PDF against the trust roots."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.signing import SigningError


def register(sub, common) -> None:
    p = sub.add_parser("verify", parents=[common], help="verify the signatures of a signed PDF")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args, services) -> int:
    """Exit 0 when every signature is valid and covers the whole file, 2 otherwise."""
    config = services.signing
    if not config.trust_roots:
        print("sohoa verify: Chưa cấu hình ký số: thiếu [signing] trust_roots", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"sohoa verify: không có tệp {args.file}", file=sys.stderr)
        return 2
    from archive.signing.verify import verify_pdf  # pyHanko loads slowly: only for this command

    try:
        result = verify_pdf(args.file, config.trust_roots, fetch=config.fetch_revocation)
    except SigningError as exc:
        print(f"sohoa verify: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        state = "HỢP LỆ" if result.valid else "KHÔNG HỢP LỆ"
        print(
            f"{args.file}: {state}; người ký: {result.signer or '-'}; lúc: {result.signed_at or '-'}; "
            f"mức: {result.level or '-'}; tài liệu: {result.document_id or '-'}"
        )
        for entry in result.problems:
            print(f"  lỗi [{entry['code']}]: {entry['message']}")
        for entry in result.warnings:
            print(f"  cảnh báo [{entry['code']}]: {entry['message']}")
    return 0 if result.valid else 2
