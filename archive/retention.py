"""Retention classes, retain-until dates, legal holds and extensions.

Classes come from settings (``[retention]``): the list of allowed classes, a default class, and
rules mapping procedure codes and document types to classes. Procedure rules may be exact codes
or shell patterns (``1.0114*``); document-type rules match case- and accent-exactly after NFC
normalisation and case folding ("Quyết định" = "QUYẾT ĐỊNH"). The document type's rule wins over
the procedure's, and the longest matching pattern wins among procedure rules.

From when retention counts is a setting (``counts_from``):
- ``end_of_year`` (default): from 31 December of the year the dossier was received, as archives
  count (Law on Archives: a file's year is the year its business closed; intake-day closing is
  the common case at a one-stop counter);
- ``received``: from the day the dossier was received.
A record "retained until D" is kept through the whole of D and may be destroyed from D+1.

Retain-until may be extended, never shortened; a legal hold blocks destruction for everyone. Both
are enforced by the object store on every object of the document (Object Lock on S3). Holds and
extensions are for the records role only (``RECORDS_ROLES``) and are written to the audit log.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from archive.audit import AuditFn
from archive.model import MANIFEST_NAME, Document, document_key
from archive.object_store import PERMANENT, ObjectMissing, RetentionError
from archive.repository import Repository

CLASSES = ("permanent", "70", "50", "20", "10", "5")
COUNTS_FROM = ("end_of_year", "received")
# "system": the worker applying the policy to a confirmed document type (extensions only).
RECORDS_ROLES = ("records", "admin", "system")


class RetentionSettingsError(ValueError):
    """The [retention] settings name an unknown class or rule."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


@dataclass
class RetentionPolicy:
    """Which class a document gets and until when it is kept."""

    default_class: str = "20"
    counts_from: str = "end_of_year"
    by_procedure: dict[str, str] = field(default_factory=dict)
    by_doc_type: dict[str, str] = field(default_factory=dict)
    classes: tuple[str, ...] = CLASSES

    @classmethod
    def from_settings(cls, section: dict) -> RetentionPolicy:
        """Build from the ``[retention]`` section; unknown classes are refused at start-up, not
        discovered when a record is already stored with a wrong date."""
        policy = cls(
            default_class=str(section.get("default_class", "20")),
            counts_from=section.get("counts_from", "end_of_year"),
            by_procedure={k: str(v) for k, v in section.get("by_procedure", {}).items()},
            by_doc_type={_fold(k): str(v) for k, v in section.get("by_doc_type", {}).items()},
            classes=tuple(str(c) for c in section.get("classes", CLASSES)),
        )
        policy.validate()
        return policy

    def validate(self) -> None:
        for c in self.classes:
            if c != "permanent" and not c.isdigit():
                raise RetentionSettingsError(f"retention class {c!r} is neither 'permanent' nor years")
        used = [self.default_class, *self.by_procedure.values(), *self.by_doc_type.values()]
        unknown = sorted({c for c in used if c not in self.classes})
        if unknown:
            raise RetentionSettingsError(f"rules use classes not in [retention] classes: {unknown}")
        if self.counts_from not in COUNTS_FROM:
            raise RetentionSettingsError(f"counts_from must be one of {COUNTS_FROM}")

    def _procedure_class(self, procedure_code: str) -> str | None:
        if not procedure_code:
            return None
        if procedure_code in self.by_procedure:
            return self.by_procedure[procedure_code]
        matches = [p for p in self.by_procedure if fnmatch.fnmatchcase(procedure_code, p)]
        return self.by_procedure[max(matches, key=len)] if matches else None

    def class_for(self, procedure_code: str = "", doc_type: str = "") -> str:
        """The retention class: the document type's rule wins over the procedure's."""
        by_type = self.by_doc_type.get(_fold(doc_type)) if doc_type else None
        return by_type or self._procedure_class(procedure_code) or self.default_class

    def retain_until(self, retention_class: str, received: date) -> date:
        """The last day the record must be kept."""
        if retention_class == "permanent":
            return PERMANENT
        years = int(retention_class)
        start = date(received.year, 12, 31) if self.counts_from == "end_of_year" else received
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)

    def for_document(self, procedure_code: str, doc_type: str, received: date) -> tuple[str, date]:
        """Class and retain-until of a new document."""
        cls_ = self.class_for(procedure_code, doc_type)
        return cls_, self.retain_until(cls_, received)


# -- the state of a document's objects ---------------------------------------------------------
def document_keys(doc: Document) -> list[str]:
    """Every object of a document, manifest first."""
    return [document_key(doc.id, MANIFEST_NAME)] + [f.key for f in (doc.original, doc.archival) if f]


@dataclass(frozen=True)
class LockState:
    """What the store enforces on a document now: the earliest retain-until of its objects
    (None if one has none) and whether any object is held."""

    retain_until: date | None
    legal_hold: bool
    missing: tuple[str, ...] = ()

    def expired(self, today: date) -> bool:
        """Due for disposal: no hold, and a known retain-until before ``today`` (an object with no
        retention at all is left to a person to classify, never proposed)."""
        return not self.legal_hold and self.retain_until is not None and self.retain_until < today


def lock_state(repository: Repository, doc: Document) -> LockState:
    """Read the store's retention and hold of every object of ``doc``: what the store enforces
    (holds and extensions are also recorded as revisions, for the catalogue and the index)."""
    store = repository.store
    untils: list[date | None] = []
    hold = False
    missing: list[str] = []
    for key in repository.object_keys(doc):
        try:
            info = store.head(key)
        except ObjectMissing:
            missing.append(key)
            continue
        untils.append(info.retain_until)
        hold = hold or info.legal_hold
    dated = [u for u in untils if u is not None]
    earliest = None if (not dated or len(dated) < len(untils)) else min(dated)
    return LockState(earliest, hold, tuple(missing))


def _require_records_role(role: str) -> None:
    if role not in RECORDS_ROLES:
        raise PermissionError(f"only the records role may change holds and retention (not {role!r})")


def set_legal_hold(
    repository: Repository,
    doc: Document,
    on: bool,
    *,
    actor: str,
    role: str,
    reason: str,
    audit: AuditFn | None = None,
) -> None:
    """Set or release the legal hold on every object of a document (records role only). The
    change is recorded as a revision first, so the revision is held with the rest."""
    _require_records_role(role)
    if not reason.strip():
        raise ValueError("a legal hold needs a reason (case, request or decision number)")
    repository.revise(doc.id, {"legal_hold": bool(on)}, actor=actor, reason=reason)
    for key in repository.object_keys(doc):
        repository.store.set_legal_hold(key, on)
    if audit is not None:
        audit(
            "hold.set" if on else "hold.release",
            actor,
            doc.id,
            {"dossier": doc.dossier_code, "reason": reason, "role": role},
        )


def extend_retention(
    repository: Repository,
    doc: Document,
    until: date,
    *,
    actor: str,
    role: str,
    reason: str,
    audit: AuditFn | None = None,
) -> None:
    """Move the retain-until of every object later; ``RetentionError`` if it would shorten any
    (checked on all objects before any is changed, so a refusal changes nothing)."""
    _require_records_role(role)
    state = lock_state(repository, doc)
    if state.retain_until is not None and until < state.retain_until:
        raise RetentionError(f"{doc.id}: retain-until {state.retain_until} cannot be shortened")
    repository.revise(doc.id, {"retain_until": until.isoformat()}, actor=actor, reason=reason)
    for key in repository.object_keys(doc):
        repository.store.extend_retention(key, until)
    if audit is not None:
        audit(
            "retention.extend",
            actor,
            doc.id,
            {"dossier": doc.dossier_code, "retain_until": until.isoformat(), "reason": reason},
        )
