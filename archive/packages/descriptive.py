"""The descriptive metadata of Circular 05/2025/TT-BNV: the dossier and document element sets.

The Circular's schemas (``EAD.xsd``, ``EAD_doc.xsd``) check element names and order only; the values
(dates dd/mm/yyyy, counts, codes) are checked by ``value_problems`` here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from lxml import etree

from archive.model import Document
from archive.packages.profile import PLAIN, Profile, confidence, dossier_confidence, vocabulary_problem

DOSSIER_ELEMENTS = (
    "arcFileCode",
    "title",
    "maintenance",
    "mode",
    "language",
    "startDate",
    "endDate",
    "keyword",
    "totalDoc",
    "numberOfPaper",
    "numberOfPage",
    "format",
    "inforSign",
    "confidenceLevel",
    "paperFileCode",
    "description",
    "riskRecovery",
    "riskRecoveryStatus",
)
DOCUMENT_ELEMENTS = (
    "arcFileCode",
    "mode",
    "language",
    "keyword",
    "numberOfPage",
    "format",
    "inforSign",
    "confidenceLevel",
    "description",
    "docCode",
    "docOrdinal",
    "typeName",
    "codeNumber",
    "codeNotation",
    "issuedDate",
    "organName",
    "subject",
    "autograph",
    "process",
)
LANGUAGES = {"vi": "Tiếng Việt", "en": "Tiếng Anh"}
MAINTENANCE = {"permanent": "Vĩnh viễn"}
DATES = ("startDate", "endDate", "issuedDate")
COUNTS = ("totalDoc", "numberOfPaper", "numberOfPage", "docOrdinal")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def dmy(iso: str) -> str:
    """An ISO date (or timestamp) as dd/mm/yyyy; "" stays ""."""
    if not iso:
        return ""
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _xml(values: dict[str, str], order: tuple[str, ...]) -> bytes:
    root = etree.Element("simpledc")
    for name in order:
        etree.SubElement(root, name).text = values.get(name, "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def maintenance(retention_class: str) -> str:
    """Thời hạn bảo quản: "Vĩnh viễn" or "N năm"."""
    return MAINTENANCE.get(retention_class, f"{retention_class} năm")


def document_xml(doc: Document, ordinal: int, dossier_code: str = "", profile: Profile = PLAIN) -> bytes:
    """The document element set, filled from the confirmed metadata, in the Circular's order.
    ``dossier_code``: the packaged dossier, when the document was reused into it from another
    (its own dossier is then named in the description)."""
    m = doc.metadata
    number, _, notation = m.number.partition("/")
    reused = dossier_code and dossier_code != doc.dossier_code
    values = {
        "arcFileCode": dossier_code or doc.dossier_code,
        "mode": profile.mode,
        "language": LANGUAGES.get(m.language, m.language),
        "keyword": m.type_name,
        "numberOfPage": str(doc.page_count),
        "format": profile.condition,
        "inforSign": doc.id,
        "confidenceLevel": confidence(doc),
        "description": f"{doc.title} (sử dụng lại từ hồ sơ {doc.dossier_code})" if reused else doc.title,
        "docCode": doc.id,
        "docOrdinal": str(ordinal),
        "typeName": m.type_name,
        "codeNumber": number,
        "codeNotation": notation,
        "issuedDate": dmy(m.issued_date),
        "organName": m.issuing_organ,
        "subject": m.subject,
        "autograph": m.signer,
        "process": "",
    }
    return _xml(values, DOCUMENT_ELEMENTS)


def dossier_xml(
    code: str,
    row: dict[str, str],
    docs: list[Document],
    reused: Sequence[Document] = (),
    profile: Profile = PLAIN,
) -> bytes:
    """The dossier element set: catalogue row plus what its documents add up to (documents
    ``reused`` into it count among its documents and pages, not its dates or retention)."""
    received = sorted(d.received_on or d.digitised_at[:10] for d in docs if d.received_on or d.digitised_at)
    classes = {d.retention_class for d in docs}
    longest = "permanent" if "permanent" in classes else str(max((int(c) for c in classes), default=20))
    values = {
        "arcFileCode": code,
        "title": row.get("procedure_name") or code,
        "maintenance": maintenance(longest),
        "mode": profile.mode,
        "language": "Tiếng Việt",
        "startDate": dmy(received[0]) if received else "",
        "endDate": dmy(received[-1]) if received else "",
        "keyword": row.get("procedure_code", ""),
        "totalDoc": str(len(docs) + len(reused)),
        "numberOfPaper": "0",  # born as scans: no paper sheets are handed over with the package
        "numberOfPage": str(sum(d.page_count for d in [*docs, *reused])),
        "format": profile.condition,
        "inforSign": code,
        "confidenceLevel": dossier_confidence([*docs, *reused]),
        "paperFileCode": code,
        "description": row.get("applicant_name", ""),
        "riskRecovery": profile.risk[0],
        "riskRecoveryStatus": profile.risk[1],
    }
    return _xml(values, DOSSIER_ELEMENTS)


def value_problems(root: etree._Element, name: str) -> str | None:
    """The first value the Circular's schema cannot check that is wrong, or None."""
    for child in root:
        text = (child.text or "").strip()
        tag = str(child.tag)
        if tag in DATES and text:
            found = _DATE.match(text)
            try:
                ok = bool(found) and bool(date(int(text[6:]), int(text[3:5]), int(text[:2])))
            except ValueError:
                ok = False
            if not ok:
                return f"{name}: <{tag}> không phải ngày dd/mm/yyyy: {text!r}"
        if tag in COUNTS and not text.isdigit():
            return f"{name}: <{tag}> không phải số: {text!r}"
        if tag == "arcFileCode" and not text:
            return f"{name}: <arcFileCode> trống"
        problem = vocabulary_problem(tag, text, name)
        if problem:
            return problem
    if (root.findtext("riskRecovery") == "Có") != bool((root.findtext("riskRecoveryStatus") or "").strip()):
        return f"{name}: <riskRecoveryStatus> chỉ ghi (và phải ghi) khi <riskRecovery> là Có"
    return None
