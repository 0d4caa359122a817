"""Use case: reuse (Art. 21a). Given the applicant, show their digitised, still-valid documents
from other dossiers; link one into the dossier (no second copy; the link is the record, and
goes into the audit log); undo a link made by mistake (recorded too)."""

from __future__ import annotations

from datetime import date

from ingest.dossiers.desk import DossierDesk
from ingest.intake import DocumentRole
from ingest.refusal import Refusal

# Notices belong to their dossier, they are not reused.
REUSABLE_ROLES = (DocumentRole.COMPONENT, DocumentRole.RESULT)


def is_valid(row: dict, today: date | None = None) -> bool:
    """Still valid: no end of validity, or an end not yet passed."""
    until = row.get("valid_until") or ""
    return not until or until >= (today or date.today()).isoformat()


def on_file(desk: DossierDesk, applicant_id: str, exclude_dossier: str) -> list[dict]:
    """The applicant's digitised, still-valid documents from other dossiers (the reuse panel)."""
    return [
        r
        for r in desk.catalogue.documents_of_owner(applicant_id)
        if r["dossier_code"] != exclude_dossier and r["role"] in REUSABLE_ROLES and is_valid(r)
    ]


def reuse(desk: DossierDesk, actor: str, dossier: dict, document_id: str) -> bool:
    """Link an applicant's document into ``dossier``; False when it was linked already.
    Raises ``Refusal`` when the document is not the applicant's, a notice, or expired."""
    row = desk.catalogue.document(document_id)
    if row is None or row["owner_id"] != dossier["applicant_id"]:
        raise Refusal("not_applicants_document", "Tài liệu không thuộc kho dữ liệu của người nộp hồ sơ này.")
    if row["role"] not in REUSABLE_ROLES:
        raise Refusal("not_reusable", "Thông báo không được sử dụng lại cho hồ sơ khác.")
    if not is_valid(row):
        raise Refusal("expired_document", "Tài liệu đã hết hiệu lực, không thể sử dụng lại.")
    added = desk.records.link(document_id, dossier["code"], actor)
    if added:
        desk.archive.record_reuse(dossier["code"], document_id, actor=actor)  # survives a lost state
        desk.audit(
            "reuse",
            actor,
            document_id,
            {"dossier": dossier["code"], "owner_id": row["owner_id"], "from_dossier": row["dossier_code"]},
        )
    return added


def undo_reuse(desk: DossierDesk, actor: str, dossier: dict, document_id: str) -> None:
    """Remove a reuse link from ``dossier`` (linked by mistake); recorded in the audit log.
    Raises ``Refusal`` when the document is not linked into the dossier."""
    link = desk.records.unlink(document_id, dossier["code"])
    if link is None:
        raise Refusal("not_linked", "Tài liệu này không được liên kết vào hồ sơ.")
    desk.archive.record_unlink(dossier["code"], document_id, actor=actor)
    desk.audit("reuse.undo", actor, document_id, {"dossier": dossier["code"], "linked_by": link["linked_by"]})
