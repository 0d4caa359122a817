"""Use case: open a dossier for a procedure and an applicant (code issued by the configured
pattern, or the one-stop system's own), with its appointment date in working days."""

from __future__ import annotations

import logging

from archive.dossier_records import record_dossier
from ingest.applicant_id import kind_of
from ingest.dossiers.desk import DossierDesk
from ingest.intake import DOSSIER_CODE
from ingest.procedures import Procedure
from ingest.refusal import Refusal
from ingest.storage_errors import log_failure, storage_detail

log = logging.getLogger(__name__)

CHANNELS = ("counter", "postal", "online")


def issue_code(desk: DossierDesk) -> str:
    """A new dossier code by the configured pattern (the center's calendar day)."""
    codes = desk.dossier_codes()
    try:
        return codes.issue(desk.now())
    finally:
        codes.close()


def open_dossier(
    desk: DossierDesk,
    actor: str,
    procedure: Procedure | None,
    applicant_id: str,
    applicant_name: str = "",
    channel: str = "counter",
    code: str = "",
    *,
    department: str = "",
) -> str:
    """Create the dossier (code issued unless given) and return its code. Without a procedure
    (the command line may give none) the dossier has no appointment date; ``department``, when
    given, is the dossier's instead of the procedure's. Raises ``Refusal`` with a Vietnamese message on bad input."""
    kind = kind_of(applicant_id)
    if channel not in CHANNELS:
        raise Refusal("invalid_channel", "Kênh tiếp nhận không hợp lệ.")
    if code:
        if not DOSSIER_CODE.match(code):
            raise Refusal(
                "invalid_dossier_code", "Mã hồ sơ không hợp lệ: chỉ gồm chữ, số, dấu chấm và gạch ngang."
            )
        if desk.catalogue.dossier(code) or desk.archive.code_used(code):
            raise Refusal("dossier_exists", f"Mã hồ sơ {code} đã tồn tại.")
    now = desk.now()
    code = code or issue_code(desk)
    due = desk.calendar.due_date(now, procedure.days).isoformat() if procedure else ""
    row = desk.catalogue.ensure_dossier(
        code,
        procedure_code=procedure.code if procedure else "",
        procedure_name=procedure.name if procedure else "",
        department=department or (procedure.department if procedure else ""),
        applicant_id=applicant_id.strip(),
        applicant_name=applicant_name.strip(),
        applicant_kind=kind,
        channel=channel,
        received_at=now.isoformat(timespec="seconds"),
        due_date=due,
        status="received",
    )
    _record_in_archive(desk, row, actor)
    return code


def _record_in_archive(desk: DossierDesk, row: dict, actor: str) -> None:
    """The dossier's record in the archive (it survives a lost state). A storage error does not
    stop the opening: the store step of its first document writes the record again."""
    try:
        record_dossier(desk.repository.store, row, actor)
    except Exception as exc:
        if not storage_detail(exc):
            raise
        log_failure(log, f"dossier {row['code']} not yet recorded in the archive", exc)
