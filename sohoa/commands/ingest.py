"""``sohoa ingest FILE... --dossier CODE --applicant-id ID``: one JSON line per file;
``sohoa ingest --batch FILE...``: one scanned stack, split at its QR separators (``_batch``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ingest.dossiers import opening
from ingest.intake import (
    ROLES,
    DocumentRole,
    IntakeRequest,
    check_request,
    outcome_of,
    run_or_wait,
    submit_files,
)
from ingest.jobs import Job
from ingest.pipeline import Outcome
from ingest.refusal import Refusal
from ingest.storage_errors import REASON as STORAGE_ERROR
from ingest.storage_errors import storage_guard


def register(sub, common) -> None:
    p = sub.add_parser("ingest", parents=[common], help="ingest a dossier's files")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--dossier", help="dossier code, or 'new' to issue one")
    p.add_argument("--applicant-id", help="CCCD (12 digits), CMND or tax code")
    p.add_argument(
        "--batch", action="store_true", help="one scanned stack: split at the pages with a sohoa QR code"
    )
    p.add_argument(
        "--one-document",
        action="store_true",
        help="join the files' pages, in the order given, into one document (one JSON line; "
        "a refused file refuses them all)",
    )
    p.add_argument("--applicant-name", default="")
    p.add_argument("--procedure", default="", help="procedure code, e.g. 1.011442.000.00.00.H38")
    p.add_argument("--department", default="")
    p.add_argument("--role", default=DocumentRole.COMPONENT, choices=ROLES)
    p.add_argument("--actor", default="cli", help="who digitised (recorded in the manifest)")
    p.add_argument("--json", action="store_true", help="print JSON lines (the default output too)")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=run)


def _open_dossier(args, services) -> str:
    """The dossier's code: a known dossier as it is; a new one (``--dossier new``: code issued by
    the configured pattern, or the one-stop system's code) opened as the counter opens it."""
    desk = services.dossiers
    if args.dossier != "new" and (
        desk.catalogue.dossier(args.dossier) or desk.archive.code_used(args.dossier)
    ):
        return args.dossier  # a dossier of the archive's (e.g. after a lost state) is known too
    return opening.open_dossier(
        desk,
        args.actor,
        desk.procedures.procedures.get(args.procedure),
        args.applicant_id,
        args.applicant_name,
        code="" if args.dossier == "new" else args.dossier,
        department=args.department,
    )


def _refuse_all(files: list[Path], refusal: Refusal) -> int:
    for f in files:
        print(
            json.dumps(
                Outcome(str(f), refusal.status, "", refusal.reason_code, refusal.message).to_dict(),
                ensure_ascii=False,
            )
        )
    return 1 if refusal.reason_code == STORAGE_ERROR else 2


def _progress(total_steps: int, enabled: bool):
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total_steps, unit="bước", file=sys.stderr, desc="ingest")
    return bar, (lambda job, step: (bar.set_postfix_str(f"{job.doc_id} {step}"), bar.update(1)))


def _check_department(args, services) -> None:
    """Take the department from a known procedure when not given; refuse an unknown one (it
    would file the documents where no reviewer can see them)."""
    catalogue = services.procedures
    known = catalogue.procedures
    if not args.department and args.procedure in known:
        args.department = known[args.procedure].department
    catalogue.check_department(args.department)


def run(args, services) -> int:
    """Every file gets its JSON line, whatever fails: a refusal or storage error met before the
    files are taken (an unwritable state DB, say) answers for all of them."""
    if args.batch or not (args.dossier and args.applicant_id):
        from sohoa.commands._batch import run_batch  # stack splitting's libraries: only for --batch

        return run_batch(args, services)
    try:
        with storage_guard():
            return _run(args, services)
    except Refusal as r:
        return _refuse_all(args.files, r)


def _run(args, services) -> int:
    ctx = services.ingest
    _check_department(args, services)
    req = IntakeRequest(
        dossier_code=args.dossier,
        applicant_id=args.applicant_id,
        procedure_code=args.procedure,
        department=args.department,
        role=args.role,
        actor=args.actor,
        applicant_name=args.applicant_name,
    )
    check_request(req)  # refusals in the same order as ever, before a code is issued
    req.dossier_code = _open_dossier(args, services)
    names = [str(f) for f in args.files]
    if args.one_document and len(args.files) > 1:
        from ingest.join import submit_joined  # page joining's libraries load only when asked

        name, answer = submit_joined(ctx, req, args.files)
        names, submitted = [name], [answer]
    else:
        submitted = submit_files(ctx, req, args.files)
    jobs = [s for s in submitted if isinstance(s, Job)]
    bar, on_step = _progress(len(jobs) * 4, not args.no_progress and sys.stderr.isatty())
    run_or_wait(ctx, services.worker_lock(), jobs, on_step=on_step)
    if bar:
        bar.close()
    outcomes = [
        outcome_of(ctx, s, f) if isinstance(s, Job) else s for s, f in zip(submitted, names, strict=True)
    ]
    for o in outcomes:
        print(json.dumps(o.to_dict(), ensure_ascii=False), flush=True)
    if any(
        o.reason_code in ("queued_for_retry", "internal_error", "job_failed", STORAGE_ERROR) for o in outcomes
    ):
        return 1  # not the files' fault: the service could not finish (yet)
    return 2 if any(o.status != "accepted" for o in outcomes) else 0
