"""Use case: the officer confirms (or corrects) a document's proposed metadata."""

from __future__ import annotations

from archive.model import Document, DocumentMetadata
from ingest.day_text import iso_day
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.records import CONFIRM_FIELDS
from ingest.refusal import Refusal


def form_values(desk: DossierDesk, doc: Document) -> tuple[dict[str, str], dict | None]:
    """The values the confirmation form starts from (the earlier confirmation, else the
    document's own) and that earlier confirmation (None if none)."""
    earlier = desk.records.confirmation(doc.id)
    if earlier:
        return earlier["fields"], earlier
    m = doc.metadata
    values = {
        "component_name": doc.component_name,
        "type_name": m.type_name,
        "number": m.number,
        "issued_date": m.issued_date,
        "issuing_organ": m.issuing_organ,
        "subject": m.subject,
        "signer": m.signer,
        "valid_until": doc.valid_until,
    }
    return values, None


def _clean(form: dict[str, str]) -> dict[str, str]:
    values = {k: str(form.get(k, "")).strip() for k in CONFIRM_FIELDS}
    for key in ("issued_date", "valid_until"):
        try:
            values[key] = iso_day(values[key])
        except ValueError:
            raise Refusal(
                "invalid_date",
                f"Ngày không hợp lệ: “{values[key]}”. Nhập theo dạng ngày/tháng/năm, ví dụ 25/07/2023.",
            ) from None
    return values


def confirm_metadata(desk: DossierDesk, actor: str, doc: Document, form: dict[str, str]) -> None:
    """The officer's confirmed metadata: a revision of the document in the archive (the source of
    truth, applied on every load), the catalogue row, a refresh request for the worker (index,
    retention of the confirmed type) and the record of who confirmed."""
    values = _clean(form)
    old = doc.metadata
    metadata = DocumentMetadata(
        type_name=values["type_name"],
        number=values["number"],
        issued_date=values["issued_date"],
        issuing_organ=values["issuing_organ"],
        subject=values["subject"],
        signer=values["signer"],
        language=old.language,
        extra={**old.extra, "confirmed_by": actor},
    )
    revised = desk.repository.revise(
        doc.id,
        {
            "metadata": metadata,
            "valid_until": values["valid_until"],
            "component_name": values["component_name"],
        },
        actor=actor,
        reason="xác nhận thông tin tại bộ phận tiếp nhận",
    )
    desk.catalogue.upsert_document(revised)
    # The worker (the one index writer) re-indexes it and applies the confirmed type's retention.
    desk.refresh.request(doc.id, "metadata confirmed", actor)
    if desk.ingest.request_signing is not None:
        # The confirmation signs the certified copy (the worker signs; a failure stays queued).
        desk.ingest.request_signing(doc.id, "metadata confirmed", actor)
    desk.records.confirm(doc.id, values, actor)
    desk.audit("metadata.confirm", actor, doc.id, {"dossier": doc.dossier_code})
