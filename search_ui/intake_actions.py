"""What the intake pages do: open a dossier, take uploads, report job progress, reuse documents."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from werkzeug.datastructures import FileStorage

from archive.model import Document, DocumentMetadata
from ingest.applicant_id import kind_of
from ingest.intake import DOSSIER_CODE, IntakeRequest, submit_files
from ingest.jobs import Job
from ingest.pipeline import Outcome, clean_name
from ingest.procedures import Procedure
from ingest.refusal import Refusal
from search_ui.access import scope_for
from search_ui.accounts import User

CHANNELS = ("counter", "postal", "online")
REUSABLE_ROLES = ("component", "result")  # notices belong to their dossier, they are not reused
FOREIGN_DUPLICATE = (
    "Tệp này đã có trong kho lưu trữ, thuộc hồ sơ của đơn vị khác. Hãy hỏi bộ phận lưu trữ"
    " hoặc quản trị hệ thống nếu cần dùng lại tài liệu đó."
)


def center_now(services) -> datetime:
    return services.settings.center.now()


def open_dossier(
    services,
    user: User,
    procedure: Procedure,
    applicant_id: str,
    applicant_name: str,
    channel: str,
    code: str = "",
) -> str:
    """Create the dossier row (code issued by the configured pattern unless given); its code.
    Raises ``Refusal`` with a Vietnamese message on bad input."""
    kind = kind_of(applicant_id)
    if channel not in CHANNELS:
        raise Refusal("invalid_channel", "Kênh tiếp nhận không hợp lệ.")
    if code:
        if not DOSSIER_CODE.match(code):
            raise Refusal(
                "invalid_dossier_code", "Mã hồ sơ không hợp lệ: chỉ gồm chữ, số, dấu chấm và gạch ngang."
            )
        if services.catalogue.dossier(code):
            raise Refusal("dossier_exists", f"Mã hồ sơ {code} đã tồn tại.")
    now = center_now(services)
    if not code:
        codes = services.dossier_codes()
        try:
            code = codes.issue(now)
        finally:
            codes.close()
    due = services.calendar.due_date(now, procedure.days)
    services.catalogue.ensure_dossier(
        code,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        department=procedure.department,
        applicant_id=applicant_id.strip(),
        applicant_name=applicant_name.strip(),
        applicant_kind=kind,
        channel=channel,
        received_at=now.isoformat(timespec="seconds"),
        due_date=due.isoformat(),
        status="received",
    )
    return code


def submit_to_dossier(
    services,
    user: User,
    dossier: dict,
    paths: list[Path],
    *,
    role: str,
    source: str = "scanned",
    keys: list[str | None] | None = None,
    **extra: str,
) -> list[Outcome | Job]:
    """Hand files to intake as documents of ``dossier`` (its procedure, department, applicant);
    ``keys`` are per-file idempotency keys (a retried upload returns the first job)."""
    req = IntakeRequest(
        dossier_code=dossier["code"],
        applicant_id=dossier["applicant_id"],
        procedure_code=dossier["procedure_code"],
        department=dossier["department"],
        role=role,
        actor=user.login,
        applicant_name=dossier["applicant_name"],
        source=source,
        extra=extra,
    )
    return submit_files(services.ingest, req, paths, idempotency_keys=keys)


def upload(
    services,
    user: User,
    dossier: dict,
    files: list[FileStorage],
    role: str,
    component_name: str,
    idempotency_key: str = "",
) -> list[Outcome | Job]:
    """Save the uploaded files aside and hand them to intake: one job (or refusal) per file. With
    an idempotency key (the client's, scoped to the official), sending the same upload again
    after a lost answer gives the same documents, not second ones."""
    key = idempotency_key.strip()[:200]
    keys = [f"{user.login}:{key}:{i}" if key else None for i in range(len(files))]
    tmp = Path(tempfile.mkdtemp(prefix="web-upload-", dir=_upload_dir(services)))
    try:
        paths = []
        for i, storage in enumerate(files):
            folder = tmp / str(i)
            folder.mkdir()
            path = folder / clean_name(storage.filename or "upload")
            storage.save(path)
            paths.append(path)
        results = submit_to_dossier(
            services, user, dossier, paths, role=role, keys=keys, component_name=component_name.strip()[:200]
        )
        return [hide_foreign_duplicate(services, user, r) for r in results]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # intake copied the bytes into the spool already


def _duplicate_department(services, doc_id: str) -> str | None:
    """The department of the document (or of the pending job's dossier) a duplicate refers to."""
    row = services.catalogue.document(doc_id)
    if row is not None:
        return row.get("department", "")
    job = services.jobs.by_doc_id(doc_id)
    dossier = services.catalogue.dossier(job.dossier_code) if job else None
    return dossier.get("department", "") if dossier else None


def hide_foreign_duplicate(services, user: User, result: Outcome | Job) -> Outcome | Job:
    """A duplicate refusal names the earlier document only when the official may see it; else it
    says the file is archived already and whom to ask (no id of another department's document)."""
    if isinstance(result, Job) or result.reason_code != "duplicate" or not result.document_id:
        return result
    scope = scope_for(user.role, user.department, user.granted)
    department = _duplicate_department(services, result.document_id)
    if department is not None and scope.allows(department):
        return result
    return replace(result, document_id="", message=FOREIGN_DUPLICATE)


def _upload_dir(services) -> Path:
    path = services.settings.spool_dir / "web-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def jobs_of_dossier(services, code: str) -> list[dict]:
    """The ingest jobs of a dossier with their progress (the live OCR progress of the page)."""
    rows = services.jobs.db.execute(
        "SELECT id, doc_id, file_name, state, step, progress, reason_code, message, updated_at FROM jobs"
        " WHERE dossier_code = ? ORDER BY id",
        (code,),
    ).fetchall()
    return [dict(r) for r in rows]


def is_valid(row: dict, today: date | None = None) -> bool:
    """Still valid: no end of validity, or an end not yet passed."""
    until = row.get("valid_until") or ""
    return not until or until >= (today or date.today()).isoformat()


def on_file(services, applicant_id: str, exclude_dossier: str) -> list[dict]:
    """The applicant's digitised, still-valid documents from other dossiers (the reuse panel)."""
    return [
        r
        for r in services.catalogue.documents_of_owner(applicant_id)
        if r["dossier_code"] != exclude_dossier and r["role"] in REUSABLE_ROLES and is_valid(r)
    ]


def reuse(services, state, user: User, dossier: dict, document_id: str) -> bool:
    """Link an applicant's document into ``dossier`` (no second copy); recorded in the audit log.
    Raises ``Refusal`` when the document is not the applicant's."""
    row = services.catalogue.document(document_id)
    if row is None or row["owner_id"] != dossier["applicant_id"]:
        raise Refusal("not_applicants_document", "Tài liệu không thuộc kho dữ liệu của người nộp hồ sơ này.")
    if row["role"] not in REUSABLE_ROLES:
        raise Refusal("not_reusable", "Thông báo không được sử dụng lại cho hồ sơ khác.")
    if not is_valid(row):
        raise Refusal("expired_document", "Tài liệu đã hết hiệu lực, không thể sử dụng lại.")
    added = state.intake.link(document_id, dossier["code"], user.login)
    if added:
        state.audit(
            "reuse",
            user.login,
            document_id,
            {"dossier": dossier["code"], "owner_id": row["owner_id"], "from_dossier": row["dossier_code"]},
        )
    return added


def confirm_metadata(services, state, user: User, doc: Document, form: dict[str, str]) -> None:
    """The officer's confirmed metadata: a revision of the document in the archive (the source of
    truth, applied on every load), the catalogue row, a refresh request for the worker (index,
    retention of the confirmed type) and the web app's record of who confirmed."""
    from search_ui.intake_state import CONFIRM_FIELDS

    values = {k: str(form.get(k, "")).strip() for k in CONFIRM_FIELDS}
    for key in ("issued_date", "valid_until"):
        try:
            values[key] = date.fromisoformat(values[key]).isoformat() if values[key] else ""
        except ValueError:
            raise Refusal("invalid_date", "Ngày không hợp lệ (định dạng năm-tháng-ngày).") from None
    old = doc.metadata
    metadata = DocumentMetadata(
        type_name=values["type_name"],
        number=values["number"],
        issued_date=values["issued_date"],
        issuing_organ=values["issuing_organ"],
        subject=values["subject"],
        signer=values["signer"],
        language=old.language,
        extra={**old.extra, "confirmed_by": user.login},
    )
    revised = services.repository.revise(
        doc.id,
        {
            "metadata": metadata,
            "valid_until": values["valid_until"],
            "component_name": values["component_name"],
        },
        actor=user.login,
        reason="xác nhận thông tin tại bộ phận tiếp nhận",
    )
    services.catalogue.upsert_document(revised)
    # The worker (the one index writer) re-indexes it and applies the confirmed type's retention.
    services.refresh_queue.request(doc.id, "metadata confirmed", user.login)
    state.intake.confirm(doc.id, values, user.login)
    state.audit("metadata.confirm", user.login, doc.id, {"dossier": doc.dossier_code})
