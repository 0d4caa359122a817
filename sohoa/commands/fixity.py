"""``sohoa fixity``: stream every object of the archive and check its SHA-256."""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from archive.fixity import run_fixity
from ingest.jobs import OPEN_STATES
from sohoa.commands.retention import actor_name


def register(sub, common) -> None:
    p = sub.add_parser("fixity", parents=[common], help="check every object's SHA-256 (streaming)")
    p.add_argument("--report-dir", type=Path, help="where reports go (default DATA_DIR/fixity)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--actor", default=None, help="who ran it (default: the login name)")
    p.set_defaults(func=run)


def copy_verifier(services):
    """Verification of stored certified copies against ``[signing] trust_roots`` (None: not set up)."""
    config = services.signing
    if not config.trust_roots:
        return None

    def verify(key: str, version_id: str | None) -> dict:
        with tempfile.TemporaryDirectory(prefix="sohoa-fixity-") as tmp:
            path = Path(tmp) / "copy.pdf"
            path.write_bytes(services.store.get_bytes(key, version_id))
            return services.verify_signed(path)

    return verify


def run(args, services) -> int:
    """Exit 0 when every object checks out, 2 when any is damaged, missing, tampered with,
    has a lock other than the records say, or belongs to no document."""
    report_dir = args.report_dir or services.settings.data_dir / "fixity"
    audit = services.audit
    open_jobs = [j.doc_id for state in OPEN_STATES for j in services.jobs.list(state, 10**9)]
    summary = run_fixity(
        services.repository,
        report_dir,
        audit=audit.append,
        actor=actor_name(args.actor),
        pending=open_jobs,
        mirror=services.replica,
        verify=copy_verifier(services),
    )
    if args.json:
        print(json.dumps({**asdict(summary), "clean": summary.clean}, ensure_ascii=False))
    else:
        print(
            f"fixity: {summary.objects} objects of {summary.documents} documents, {summary.bytes} bytes "
            f"in {summary.seconds:.1f} s: {summary.ok} ok, {summary.mismatch} damaged, "
            f"{summary.missing} missing, {summary.error} unreadable, {summary.tampered} tampered, "
            f"{summary.drift} lock drift, {summary.orphan} orphans, "
            f"{summary.invalid_signature} signed copies no longer valid"
        )
        if not summary.clean:
            print(f"problems listed in {summary.report}", file=sys.stderr)
    return 0 if summary.clean else 2
