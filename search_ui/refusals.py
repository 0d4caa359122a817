"""Refusals as an official may read them: nothing outside their department scope is named, and a
duplicate of a document the applicant may reuse here comes with the offer to reuse it."""

from __future__ import annotations

from dataclasses import replace

from ingest.dossiers.reuse import REUSABLE_ROLES, is_valid
from ingest.duplicates import foreign_message
from ingest.jobs import Job
from ingest.pipeline import Outcome
from search_ui.access import Scope


def _duplicate_of(services, doc_id: str) -> tuple[str | None, str]:
    """The department of the document (or of the open job's dossier) a duplicate refers to, and
    its state: ``archived`` or the open job's state."""
    row = services.catalogue.document(doc_id)
    if row is not None:
        return row.get("department", ""), "archived"
    job = services.jobs.by_doc_id(doc_id)
    dossier = services.catalogue.dossier(job.dossier_code) if job else None
    state = str(job.state) if job else "archived"
    return (dossier.get("department", "") if dossier else None), state


def in_scope(services, scope: Scope, results: list[Outcome | Job]) -> list[Outcome | Job]:
    """The upload results with every duplicate refusal of a document outside ``scope`` saying
    only what became of the file (archived, or still on its way) and whom to ask (no document id
    of another department). Inside the scope the earlier document is named: it can be reused."""
    out: list[Outcome | Job] = []
    for result in results:
        if isinstance(result, Outcome) and result.reason_code == "duplicate" and result.document_id:
            department, state = _duplicate_of(services, result.document_id)
            if department is None or not scope.allows(department):
                result = replace(result, document_id="", message=foreign_message(state))
        out.append(result)
    return out


def reusable_duplicate(services, dossier: dict, result: Outcome | Job) -> str:
    """The id of the archived document ``result`` duplicates when the officer may link it into
    ``dossier`` in one click ("Sử dụng lại"): the applicant's, reusable, still valid, from
    another dossier and not linked already; else ""."""
    if not isinstance(result, Outcome) or result.reason_code != "duplicate" or not result.document_id:
        return ""
    row = services.catalogue.document(result.document_id)
    if row is None or row["owner_id"] != dossier["applicant_id"] or row["dossier_code"] == dossier["code"]:
        return ""
    if row["role"] not in REUSABLE_ROLES or not is_valid(row):
        return ""
    linked = {link["document_id"] for link in services.dossiers.records.links_of_dossier(dossier["code"])}
    return "" if row["id"] in linked else row["id"]
