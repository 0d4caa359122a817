"""``sohoa receipt DOSSIER_CODE --out FILE.pdf``: the intake receipt of a dossier, with its QR
code (issued in the notice registry and archived with the dossier, as the counter's button does);
``--cover --role ROLE --component NAME``: a printable cover sheet (tờ bìa phân tách) instead, for a
result or an internal paper of the dossier in a batch scan (not archived: it is only a separator)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from ingest.intake import ROLES


def register(sub, common) -> None:
    p = sub.add_parser("receipt", parents=[common], help="print a dossier's receipt or a batch cover sheet")
    p.add_argument("dossier_code")
    p.add_argument("--out", type=Path, required=True, help="where the PDF goes")
    p.add_argument("--cover", action="store_true", help="a cover sheet for a batch scan, not the receipt")
    p.add_argument("--role", default="result", choices=ROLES, help="cover sheet: the document's role")
    p.add_argument("--component", default="", help="cover sheet: the document's name")
    p.add_argument("--actor", default="cli", help="who issues the receipt (recorded)")
    p.add_argument(
        "--officer",
        default="",
        help="the name printed as the receiving officer (default: left blank, to write by hand)",
    )
    p.set_defaults(func=run)


def _refuse(message: str) -> int:
    print(f"sohoa receipt: {message}", file=sys.stderr)
    return 2


def run(args, services) -> int:
    """Exit 0 with one JSON line; 2 for an unknown dossier or a cover sheet without a name."""
    # Drawing (reportlab) loads here, not when the command line is built for every command.
    from ingest.dossiers import documents, notices
    from ingest.notices.cover import render_cover_sheet

    desk = services.dossiers
    row = desk.catalogue.dossier(args.dossier_code)
    if row is None:
        return _refuse(f"không có hồ sơ mã {args.dossier_code}")
    if args.cover:
        if not args.component.strip():
            return _refuse("tờ bìa cần tên giấy tờ (--component)")
        render_cover_sheet(row, args.role, args.component.strip(), args.out, center=desk.center_header)
        out = {"dossier_code": row["code"], "kind": "cover", "role": args.role, "file": str(args.out)}
    else:
        listed = [d for d in documents.documents_of(desk, row["code"]) if "replaced_by" not in d]
        data, name = notices.issue_receipt(desk, args.actor, args.officer, row, listed)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".part")
        tmp.write_bytes(data)
        shutil.move(tmp, args.out)
        out = {"dossier_code": row["code"], "kind": "receipt", "notice": name, "file": str(args.out)}
    print(json.dumps(out, ensure_ascii=False))
    return 0
