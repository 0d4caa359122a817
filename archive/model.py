"""The domain model: documents (with their manifest) and their pages.

A document's manifest is stored in the object store beside its files and is the source of
truth: the catalogue and the search index are rebuilt from manifests alone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

MANIFEST_VERSION = 1
ROLES = ("component", "result", "notice")
SOURCES = ("scanned", "uploaded", "reused")


@dataclass
class PageText:
    """OCR (or text-layer) result of one page."""

    number: int
    text: str
    confidence: float | None = None  # mean word confidence 0-100, None for a born-digital text layer
    source: str = "ocr"  # ocr | textlayer
    warnings: list[str] = field(default_factory=list)  # re-scan reason codes (ocr.quality)
    quality: dict[str, Any] = field(default_factory=dict)


@dataclass
class DocumentMetadata:
    """Decree 30/2020 Annex VI fields, as confirmed (or proposed) for the document."""

    type_name: str = ""
    number: str = ""  # number and notation, e.g. 1748/QĐ-UBND
    issued_date: str = ""  # ISO date
    issuing_organ: str = ""
    subject: str = ""
    signer: str = ""
    language: str = "vi"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Applicant:
    """Whose data store a document belongs to."""

    id: str = ""  # CCCD (12 digits), tax code, ...
    kind: str = "citizen"  # citizen | organisation
    name: str = ""


@dataclass
class StoredFile:
    key: str
    sha256: str
    size: int
    content_type: str
    version_id: str = ""  # the S3 version written (the record); "" where the store keeps none


@dataclass
class Document:
    """A digitised document and everything needed to rebuild the catalogue and index from it."""

    id: str
    dossier_code: str
    role: str = "component"
    component_name: str = ""
    procedure_code: str = ""
    department: str = ""
    applicant: Applicant = field(default_factory=Applicant)
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    valid_until: str = ""  # ISO date, for results such as licences
    retention_class: str = "20"
    retain_until: str = ""  # ISO date; "permanent" records use archive.retention.PERMANENT
    legal_hold: bool = False
    source: str = "scanned"
    original_name: str = ""
    digitised_by: str = ""
    digitised_at: str = ""  # ISO timestamp (UTC)
    received_on: str = ""  # ISO date of receipt on the center's calendar: retention counts from it
    original: StoredFile | None = None
    archival: StoredFile | None = None
    pages: list[PageText] = field(default_factory=list)
    version: int = MANIFEST_VERSION
    # Certified electronic copies (the archival PDF/A signed by the agency), oldest first: each
    # {key, sha256, size, signer, signed_at, level, by}; added by revisions, files write-once.
    certified_copies: list[dict[str, Any]] = field(default_factory=list)
    # A signed PDF handed in at intake: the verification of its signatures (file kept unchanged).
    intake_signature: dict[str, Any] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def title(self) -> str:
        """What lists show: the officer's component name, else type and subject as tagged
        ("Quyết định Về việc ..."), else the uploaded file's name."""
        if self.component_name:
            return self.component_name
        m = self.metadata
        tagged = " ".join(part for part in (m.type_name, m.subject) if part)
        return tagged or self.original_name or self.id

    @property
    def year(self) -> int:
        if self.received_on:
            return int(self.received_on[:4])
        return int(self.digitised_at[:4]) if self.digitised_at else date.today().year

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes | str) -> Document:
        data = json.loads(raw)
        data["applicant"] = Applicant(**data.get("applicant") or {})
        data["metadata"] = DocumentMetadata(**data.get("metadata") or {})
        data["pages"] = [PageText(**p) for p in data.get("pages") or []]
        for key in ("original", "archival"):
            if data.get(key):
                data[key] = StoredFile(**data[key])
        return cls(**data)


def local_day(instant: str, timezone: str) -> date:
    """The calendar day of an ISO instant in ``timezone`` (the center's): a dossier received at
    03:00 on 1 January in Hanoi is received in the new year, though it is still 31 December in
    UTC. A naive instant is taken as UTC (how sohoa stores times)."""
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def document_key(doc_id: str, name: str) -> str:
    """Object key of one of a document's files (``original``, ``archival.pdf``, ``manifest.json``)."""
    return f"documents/{doc_id}/{name}"


MANIFEST_NAME = "manifest.json"
