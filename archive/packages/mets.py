"""METS documents of an E-ARK CSIP 2.x package: the root METS.xml and a representation's METS.xml.

Both list every file they cover with its size, SHA-256 and relative path (``xlink:href``); the
descriptive metadata goes in ``dmdSec``, PREMIS and sohoa's own document records in ``amdSec``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from archive.packages.premis import PackedFile
from archive.packages.schemas import CSIP_NS, METS_NS, XLINK_NS

M = f"{{{METS_NS}}}"
XL = f"{{{XLINK_NS}}}"
CS = f"{{{CSIP_NS}}}"
PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
NSMAP = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS}
# OTHERMDTYPE of each kind of metadata file sohoa writes; validation picks the checks by it.
DOSSIER_MD = "TT05-2025-HOSO"
DOCUMENT_MD = "TT05-2025-TAILIEU"
RECORD_MD = "SOHOA-DOCUMENT"


@dataclass
class MetsSpec:
    """What one METS file describes."""

    objid: str
    label: str
    package_type: str  # SIP | AIP
    software: str
    dmd: list[tuple[PackedFile, str]] = field(default_factory=list)  # (file, OTHERMDTYPE)
    premis: list[PackedFile] = field(default_factory=list)
    records: list[PackedFile] = field(default_factory=list)
    groups: list[tuple[str, list[PackedFile]]] = field(default_factory=list)  # (USE, files)


def new_id() -> str:
    """An XML ID (must not start with a digit)."""
    return f"ID-{uuid.uuid4()}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _checked(el: etree._Element, f: PackedFile) -> None:
    el.set("MIMETYPE", f.mimetype)
    el.set("SIZE", str(f.size))
    el.set("CREATED", _now())
    el.set("CHECKSUM", f.sha256)
    el.set("CHECKSUMTYPE", "SHA-256")


def _link(el: etree._Element, href: str) -> None:
    el.set("LOCTYPE", "URL")
    el.set(XL + "type", "simple")
    el.set(XL + "href", href)


def _md_ref(parent: etree._Element, f: PackedFile, mdtype: str, other: str = "") -> None:
    ref = etree.SubElement(parent, M + "mdRef")
    _link(ref, f.path)
    ref.set("MDTYPE", mdtype)
    if other:
        ref.set("OTHERMDTYPE", other)
    _checked(ref, f)


def _header(root: etree._Element, spec: MetsSpec) -> None:
    hdr = etree.SubElement(root, M + "metsHdr", CREATEDATE=_now(), RECORDSTATUS="NEW")
    hdr.set(CS + "OAISPACKAGETYPE", spec.package_type)
    agent = etree.SubElement(hdr, M + "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    etree.SubElement(agent, M + "name").text = "sohoa"
    note = etree.SubElement(agent, M + "note")
    note.set(CS + "NOTETYPE", "SOFTWARE VERSION")
    note.text = spec.software


def _sections(root: etree._Element, spec: MetsSpec) -> tuple[list[str], list[str]]:
    dmd_ids, amd_ids = [], []
    for f, other in spec.dmd:
        sec = etree.SubElement(root, M + "dmdSec", ID=new_id(), CREATED=_now(), STATUS="CURRENT")
        dmd_ids.append(sec.get("ID") or "")
        _md_ref(sec, f, "OTHER", other)
    if spec.premis or spec.records:
        amd = etree.SubElement(root, M + "amdSec", ID=new_id())
        amd_ids.append(amd.get("ID") or "")
        # METS order: techMD, rightsMD, sourceMD, digiprovMD
        for f in spec.records:
            _md_ref(etree.SubElement(amd, M + "sourceMD", ID=new_id()), f, "OTHER", RECORD_MD)
        for f in spec.premis:
            _md_ref(etree.SubElement(amd, M + "digiprovMD", ID=new_id(), STATUS="CURRENT"), f, "PREMIS")
    return dmd_ids, amd_ids


def _files(root: etree._Element, spec: MetsSpec) -> dict[str, list[tuple[str, str]]]:
    sec = etree.SubElement(root, M + "fileSec", ID=new_id())
    ids: dict[str, list[tuple[str, str]]] = {}
    for use, files in spec.groups:
        grp = etree.SubElement(sec, M + "fileGrp", ID=new_id(), USE=use)
        for f in files:
            el = etree.SubElement(grp, M + "file", ID=new_id())
            _checked(el, f)
            _link(etree.SubElement(el, M + "FLocat"), f.path)
            ids.setdefault(use, []).append((el.get("ID") or "", f.path))
    return ids


def _struct(
    root: etree._Element,
    spec: MetsSpec,
    dmd: list[str],
    amd: list[str],
    ids: dict[str, list[tuple[str, str]]],
) -> None:
    smap = etree.SubElement(root, M + "structMap", ID=new_id(), TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(smap, M + "div", ID=new_id(), LABEL=spec.objid)
    meta = etree.SubElement(top, M + "div", ID=new_id(), LABEL="Metadata")
    if dmd:
        meta.set("DMDID", " ".join(dmd))
    if amd:
        meta.set("ADMID", " ".join(amd))
    for use, files in ids.items():
        div = etree.SubElement(top, M + "div", ID=new_id(), LABEL=use)
        for fid, path in files:
            if use.startswith("Representations/"):  # CSIP: a representation is reached by its METS
                _link(etree.SubElement(div, M + "mptr"), path)
            else:
                etree.SubElement(div, M + "fptr", FILEID=fid)


def mets_xml(spec: MetsSpec) -> bytes:
    """The METS document of ``spec``, in the order METS requires (header, dmd, amd, files, map)."""
    root = etree.Element(M + "mets", nsmap=NSMAP)
    root.set("OBJID", spec.objid)
    root.set("LABEL", spec.label)
    root.set("TYPE", "Mixed")
    root.set("PROFILE", PROFILE)
    root.set(CS + "CONTENTINFORMATIONTYPE", "MIXED")
    _header(root, spec)
    dmd, amd = _sections(root, spec)
    ids = _files(root, spec)
    _struct(root, spec, dmd, amd, ids)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
