"""PREMIS 3 for a package: the objects (each file with its SHA-256), their events and agents.

No PREMIS 3 schema is available offline, so ``problems`` checks the rules sohoa relies on: the
namespace and version, every object's identifier, and fixity that matches the file it names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from archive.model import Document

PREMIS_NS = "http://www.loc.gov/premis/v3"
P = f"{{{PREMIS_NS}}}"
SOFTWARE = "sohoa"


@dataclass
class PackedFile:
    """One file written into the package: its path in the package and what it holds."""

    path: str  # relative to the folder of the METS that lists it
    sha256: str
    size: int
    mimetype: str
    document_id: str = ""
    use: str = ""  # original | archival | text | certified | metadata


@dataclass
class Event:
    kind: str  # PREMIS event type (received, digitization, ocr, signing, fixity check, ...)
    at: str
    detail: str
    agent: str
    objects: list[str] = field(default_factory=list)
    outcome: str = ""  # pass | fail, where the event checks something


def now() -> str:
    """The current instant, ISO, UTC (how sohoa stores times)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, P + name)
    if text is not None:
        el.text = text
    return el


def _identifier(parent: etree._Element, kind: str, value: str, scheme: str = "local") -> None:
    ident = _sub(parent, f"{kind}Identifier")
    _sub(ident, f"{kind}IdentifierType", scheme)
    _sub(ident, f"{kind}IdentifierValue", value)


def _object(root: etree._Element, f: PackedFile) -> None:
    obj = _sub(root, "object")
    obj.set("{http://www.w3.org/2001/XMLSchema-instance}type", "premis:file")
    _identifier(obj, "object", f.path, "filepath")
    chars = _sub(obj, "objectCharacteristics")
    fixity = _sub(chars, "fixity")
    _sub(fixity, "messageDigestAlgorithm", "SHA-256")
    _sub(fixity, "messageDigest", f.sha256)
    _sub(chars, "size", str(f.size))
    fmt = _sub(_sub(chars, "format"), "formatDesignation")
    _sub(fmt, "formatName", f.mimetype)
    if f.document_id:
        _sub(obj, "originalName", f.document_id)


def document_events(doc: Document, files: list[PackedFile], software: str) -> list[Event]:
    """The basic events of one document: received, digitised, OCR, signed copies, fixity at export."""
    ids = [f.path for f in files if f.document_id == doc.id]
    agent = doc.digitised_by or SOFTWARE
    events = []
    if doc.received_on:
        events.append(Event("ingestion", doc.received_on, f"Tiếp nhận hồ sơ {doc.dossier_code}", agent, ids))
    if doc.digitised_at:
        events.append(Event("digitization", doc.digitised_at, f"Số hóa ({doc.source})", agent, ids))
    if doc.pages:
        events.append(Event("ocr", doc.digitised_at, f"OCR Tesseract, {software}", SOFTWARE, ids))
    for copy in doc.certified_copies:
        events.append(
            Event("digital signature generation", copy.get("signed_at", ""), "", copy.get("by", ""), ids)
        )
    if doc.legal_hold:
        events.append(Event("policy assignment", now(), "Đang phong tỏa pháp lý khi đóng gói", SOFTWARE, ids))
    events.append(Event("fixity check", now(), "SHA-256 khớp khi đóng gói", SOFTWARE, ids, "pass"))
    return events


def premis_xml(files: list[PackedFile], events: list[Event], software: str) -> bytes:
    """A PREMIS 3 document: objects, then events, then agents (the order PREMIS gives)."""
    root = etree.Element(
        P + "premis", nsmap={"premis": PREMIS_NS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    )
    root.set("version", "3.0")
    for f in files:
        _object(root, f)
    agents = sorted({e.agent for e in events if e.agent} | {SOFTWARE})
    for e in events:
        ev = _sub(root, "event")
        _identifier(ev, "event", f"urn:uuid:{uuid.uuid4()}", "UUID")
        _sub(ev, "eventType", e.kind)
        _sub(ev, "eventDateTime", e.at or "OPEN")
        if e.detail:
            _sub(_sub(ev, "eventDetailInformation"), "eventDetail", e.detail)
        if e.outcome:
            _sub(_sub(ev, "eventOutcomeInformation"), "eventOutcome", e.outcome)
        link = _sub(ev, "linkingAgentIdentifier")
        _sub(link, "linkingAgentIdentifierType", "local")
        _sub(link, "linkingAgentIdentifierValue", e.agent or SOFTWARE)
        for path in e.objects:
            obj = _sub(ev, "linkingObjectIdentifier")
            _sub(obj, "linkingObjectIdentifierType", "filepath")
            _sub(obj, "linkingObjectIdentifierValue", path)
    for name in agents:
        agent = _sub(root, "agent")
        _identifier(agent, "agent", name)
        _sub(agent, "agentName", name)
        _sub(agent, "agentType", "software" if name == SOFTWARE else "person")
        if name == SOFTWARE:
            _sub(agent, "agentVersion", software)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def problems(root: etree._Element, name: str, digests: dict[str, str]) -> str | None:
    """The first PREMIS rule broken, or None. ``digests``: package path -> SHA-256 of the files
    beside this PREMIS file (paths as its objects name them)."""
    if root.tag != P + "premis" or root.get("version") != "3.0":
        return f"{name}: không phải PREMIS 3.0"
    for obj in root.iter(P + "object"):
        path = obj.findtext(f"{P}objectIdentifier/{P}objectIdentifierValue") or ""
        digest = obj.findtext(f"{P}objectCharacteristics/{P}fixity/{P}messageDigest") or ""
        if path not in digests:
            return f"{name}: đối tượng PREMIS {path!r} không có trong gói"
        if digest != digests[path]:
            return f"{name}: SHA-256 của {path!r} trong PREMIS không khớp"
    agents = {a.findtext(f"{P}agentIdentifier/{P}agentIdentifierValue") for a in root.iter(P + "agent")}
    for ev in root.iter(P + "event"):
        who = ev.findtext(f"{P}linkingAgentIdentifier/{P}linkingAgentIdentifierValue")
        if who not in agents:
            return f"{name}: sự kiện PREMIS nêu tác nhân {who!r} không được khai báo"
    return None
