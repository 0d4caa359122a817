"""Refusals as an official may read them: nothing outside their department scope is named."""

from __future__ import annotations

from dataclasses import replace

from ingest.jobs import Job
from ingest.pipeline import Outcome
from search_ui.access import Scope

FOREIGN_DUPLICATE = (
    "Tệp này đã có trong kho lưu trữ, thuộc hồ sơ của đơn vị khác. Hãy hỏi bộ phận lưu trữ"
    " hoặc quản trị hệ thống nếu cần dùng lại tài liệu đó."
)


def _duplicate_department(services, doc_id: str) -> str | None:
    """The department of the document (or of the pending job's dossier) a duplicate refers to."""
    row = services.catalogue.document(doc_id)
    if row is not None:
        return row.get("department", "")
    job = services.jobs.by_doc_id(doc_id)
    dossier = services.catalogue.dossier(job.dossier_code) if job else None
    return dossier.get("department", "") if dossier else None


def in_scope(services, scope: Scope, results: list[Outcome | Job]) -> list[Outcome | Job]:
    """The upload results with every duplicate refusal of a document outside ``scope`` saying
    only that the file is archived already and whom to ask (no document id of another
    department). Inside the scope the earlier document is named: it can be reused."""
    out: list[Outcome | Job] = []
    for result in results:
        if isinstance(result, Outcome) and result.reason_code == "duplicate" and result.document_id:
            department = _duplicate_department(services, result.document_id)
            if department is None or not scope.allows(department):
                result = replace(result, document_id="", message=FOREIGN_DUPLICATE)
        out.append(result)
    return out
