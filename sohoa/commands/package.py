"""``sohoa package DOSSIER_CODE --out FILE.zip [--type aip|sip]``: the dossier's E-ARK CSIP package;
``sohoa import-package FILE.zip``: validate a package fully, then bring its documents into this
archive with the same ids and SHA-256, and index them."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from archive.model import Document
from archive.packages.export import PackageError, export_dossier
from archive.packages.importer import import_package
from archive.packages.validate import validate_package
from archive.packages.zip_limits import ZipLimits
from sohoa.rebuild_records import restore_confirmation


def register(sub, common) -> None:
    p = sub.add_parser("package", parents=[common], help="build a dossier's E-ARK CSIP package (zip)")
    p.add_argument("dossier_code", help="the dossier's code")
    p.add_argument("--out", type=Path, required=True, help="where the zip goes")
    p.add_argument("--type", choices=("aip", "sip"), default="aip", help="OAIS package type (default aip)")
    p.set_defaults(func=run_package)
    q = sub.add_parser(
        "import-package", parents=[common], help="validate a package and bring its documents in"
    )
    q.add_argument("file", type=Path, help="the package zip")
    q.add_argument("--check", action="store_true", help="only validate; write nothing")
    q.set_defaults(func=run_import)


def _refuse(command: str, message: str) -> int:
    print(f"sohoa {command}: {message}", file=sys.stderr)
    return 2


def _limits(services) -> ZipLimits:
    return ZipLimits.from_settings(services.settings.section("transfer"))


def run_package(args, services) -> int:
    """Exit 0 with ``{objid, folder, file, documents, sha256, size}``; 2 for an unknown dossier."""
    try:
        result = export_dossier(
            services.repository,
            services.catalogue,
            args.dossier_code,
            args.out,
            args.type.upper(),
            services.package_history(),
            services.package_profile(),
        )
    except PackageError as exc:
        return _refuse("package", str(exc))
    print(json.dumps(asdict(result), ensure_ascii=False))
    return 0


def run_import(args, services) -> int:
    """Exit 0 with ``{objid, dossier_code, documents}``; 2 naming the first problem of a refused
    package (nothing of it is stored)."""
    if args.check:
        try:
            found = validate_package(str(args.file), _limits(services))
        except PackageError as exc:
            return _refuse("import-package", str(exc))
        print(json.dumps({"valid": True, "objid": found.objid, "documents": len(found.records)}))
        return 0
    lock = services.worker_lock()
    if not lock.acquire(wait=False):
        return _refuse("import-package", "a worker is running; stop it first (it holds the index writer)")
    intake = services.dossier_records

    def on_document(doc: Document) -> None:
        restore_confirmation(services, intake, doc)

    def on_link(code: str, link: dict) -> None:
        intake.link(link["document_id"], code, link.get("linked_by", "import-package"))

    try:
        result = import_package(
            str(args.file),
            services.repository,
            services.index,
            services.catalogue,
            services.settings.spool_dir,
            _limits(services),
            on_document,
            on_link,
        )
    except PackageError as exc:
        return _refuse("import-package", str(exc))
    finally:
        lock.release()
    print(json.dumps(asdict(result), ensure_ascii=False))
    return 0
