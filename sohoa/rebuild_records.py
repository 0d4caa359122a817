"""What ``reindex`` rebuilds beside the documents: dossier rows, reuse links, replacements and
confirmation markers from the archive's records, and the dossier-code sequences above every code
the archive holds. A row the state still has wins (it is never older than the archive's)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from archive.catalogue import DOSSIER_FIELDS
from archive.model import Document, document_key
from archive.repository import REVISIONS
from ingest.dossiers.records import CONFIRM_FIELDS
from ingest.dossiers.records import DossierRecords as IntakeState


@dataclass
class Rebuilt:
    dossiers: int = 0
    links: int = 0
    confirmations: int = 0
    code_scopes: int = 0


def rebuild_dossiers(services) -> Rebuilt:
    """Dossier rows, links and replacements from ``dossiers/``; code floors from every code."""
    out = Rebuilt()
    intake = services.dossier_records
    codes: set[str] = set()
    for record in services.dossier_archive.iter_dossiers():
        fields = {k: v for k, v in record.fields.items() if k in DOSSIER_FIELDS}
        services.catalogue.ensure_dossier(record.code, **fields)
        codes.add(record.code)
        out.dossiers += 1
        for link in record.links:
            intake.restore("web_reuse_links", {"dossier_code": record.code, **link})
            out.links += 1
        for rep in record.replacements:
            row = {"old_id": rep["old_id"], "new_id": rep["new_id"], "page": rep.get("page") or 0}
            intake.restore("web_replacements", {**row, "replaced_by": rep["by"], "replaced_at": rep["at"]})
    rows = services.catalogue.db.execute("SELECT DISTINCT dossier_code FROM documents")
    codes.update(r[0] for r in rows)
    issuer = services.dossier_codes()
    try:
        out.code_scopes = issuer.raise_floors(codes)
    finally:
        issuer.close()
    return out


def restore_confirmation(services, intake: IntakeState, doc: Document) -> bool:
    """The confirmed marker of a document whose officer confirmed its metadata (a revision of
    the document in the archive carrying ``confirmed_by``)."""
    by = doc.metadata.extra.get("confirmed_by")
    if not by:
        return False
    at = ""
    for key in services.store.list(document_key(doc.id, REVISIONS)):
        body = json.loads(services.store.get_bytes(key))
        if (body.get("changes", {}).get("metadata") or {}).get("extra", {}).get("confirmed_by"):
            at = body.get("at", "")
    meta = doc.metadata
    values = {
        "component_name": doc.component_name,
        "type_name": meta.type_name,
        "number": meta.number,
        "issued_date": meta.issued_date,
        "issuing_organ": meta.issuing_organ,
        "subject": meta.subject,
        "signer": meta.signer,
        "valid_until": doc.valid_until,
    }
    fields = json.dumps({k: values.get(k, "") or "" for k in CONFIRM_FIELDS}, ensure_ascii=False)
    intake.restore(
        "web_confirmations", {"document_id": doc.id, "fields": fields, "confirmed_by": by, "confirmed_at": at}
    )
    return True
