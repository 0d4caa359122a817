"""Records unit changes to a document (legal hold, retention extension), shared by the pages and
the API. Both go to the archive (revision + Object Lock on every object) and to the audit log;
the catalogue row is refreshed so that lists show the change at once, and the worker is asked to
re-index the document."""

from __future__ import annotations

import logging
from datetime import date

from archive.object_store import ObjectMissing, StoreError
from ingest.day_text import iso_day
from ingest.refusal import Refusal
from search_ui.accounts import User
from search_ui.i18n import translate

log = logging.getLogger(__name__)


def _document(services, doc_id: str, reason: str):
    if services.catalogue.document(doc_id) is None:
        raise LookupError(doc_id)
    if not reason.strip():
        raise Refusal("reason_required", "Cần ghi lý do (vụ việc, văn bản đề nghị hoặc quyết định).")
    try:
        return services.repository.load(doc_id)
    except ObjectMissing as exc:
        raise LookupError(doc_id) from exc


def _apply(services, doc_id: str, reason: str, change) -> None:
    """Run ``change(doc)``; refusals of the archive become ``Refusal``; ``LookupError`` if missing."""
    doc = _document(services, doc_id, reason)
    try:
        change(doc)
    except (ValueError, StoreError) as exc:  # the archive's own words are English: logged, not shown
        log.warning("records change of %s refused by the archive: %s", doc_id, exc)
        raise Refusal("records_refused", translate("records_refused_archive")) from exc
    services.catalogue.upsert_document(services.repository.load(doc_id))
    services.refresh_queue.request(doc_id, "records change", "")  # the worker re-indexes it


def set_hold(services, state, user: User, doc_id: str, on: bool, reason: str) -> None:
    """Set or release the legal hold of every object of a document."""
    from archive.retention import set_legal_hold

    _apply(
        services,
        doc_id,
        reason,
        lambda doc: set_legal_hold(
            services.repository, doc, on, actor=user.login, role=user.role, reason=reason, audit=state.audit
        ),
    )


def _refuse_earlier(services, doc_id: str, day: date) -> None:
    """Refuse, in the official's language, a date not after the current retain-until (the store
    would refuse it too, but with an English message)."""
    row = services.catalogue.document(doc_id) or {}
    current = str(row.get("retain_until") or "")[:10]
    if current and day.isoformat() <= current:
        shown = date.fromisoformat(current).strftime("%d/%m/%Y")
        raise Refusal("retention_not_later", translate("retention_not_later", current=shown))


def extend(services, state, user: User, doc_id: str, until: str, reason: str) -> None:
    """Move retain-until later (never earlier: the store refuses)."""
    from archive.retention import extend_retention

    try:
        day = date.fromisoformat(iso_day(until))  # typed dd/mm/yyyy (ISO from the API)
    except ValueError as exc:
        raise Refusal("invalid_date", translate("invalid_date")) from exc
    _refuse_earlier(services, doc_id, day)
    _apply(
        services,
        doc_id,
        reason,
        lambda doc: extend_retention(
            services.repository, doc, day, actor=user.login, role=user.role, reason=reason, audit=state.audit
        ),
    )
