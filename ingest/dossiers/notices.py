"""Use case: notices. The printed receipt as a PDF notice (``ingest.notices``): issued in the notice registry, drawn,
and archived as a ``notice`` document of the dossier (notices are documents too, Art. 16.1)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.documents import submit_to_dossier
from ingest.intake import DocumentRole
from ingest.jobs import Job
from ingest.notices.service import issue_notice


def _notice_dossier(desk: DossierDesk, dossier: dict, documents: list[dict], officer: str) -> dict:
    procedure = desk.procedures.procedures.get(dossier["procedure_code"] or "")
    return {
        "code": dossier["code"],
        "procedure_code": dossier["procedure_code"],
        "procedure_name": dossier["procedure_name"],
        "department": dossier["department"],
        "applicant": {"name": dossier["applicant_name"], "id": dossier["applicant_id"]},
        "received_at": dossier["received_at"],
        "due_date": dossier["due_date"],
        "processing_days": procedure.days if procedure else None,
        "officer": officer,
        "documents": [
            {
                "name": d["title"] or d["id"],
                "form": d.get("paper_form") or ("Bản điện tử" if d.get("linked") else "Bản chính"),
                "copies": 1,
            }
            for d in documents
            if d["role"] != "notice"
        ],
    }


def issue_receipt(
    desk: DossierDesk, actor: str, officer: str, dossier: dict, documents: list[dict]
) -> tuple[bytes, str]:
    """Issue, draw and archive the receipt (``officer``: the name printed on it, blank for the
    officer to write by hand; ``actor``: the login recorded); returns the PDF bytes and its file name."""
    desk.spool_dir.mkdir(parents=True, exist_ok=True)  # a fresh data directory has none yet
    folder = Path(tempfile.mkdtemp(prefix="web-receipt-", dir=desk.spool_dir))
    registry = desk.notice_registry()
    try:
        record, path = issue_notice(
            registry,
            "receipt",
            _notice_dossier(desk, dossier, documents, officer),
            folder,
            issued_by=actor,
            center=desk.center_header,
        )
        data = path.read_bytes()
        job = submit_to_dossier(
            desk,
            actor,
            dossier,
            [path],
            role=DocumentRole.NOTICE,
            source="uploaded",
            component_name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        )[0]
        if isinstance(job, Job):
            registry.attach_document(record.id, job.doc_id)
        return data, path.name
    finally:
        registry.close()
        shutil.rmtree(folder, ignore_errors=True)
