"""Validate a package before anything of it is used: XML Schema of every XML file, every checksum
recomputed, every file reference resolved, the CSIP structure rules sohoa checks. The first
problem is raised as ``PackageError`` with its path; nothing is extracted to validate.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from archive.packages import descriptive, premis
from archive.packages.export import CHUNK, PackageError
from archive.packages.mets import DOCUMENT_MD, DOSSIER_MD, PROFILE, RECORD_MD
from archive.packages.schemas import (
    CSIP_NS,
    METS_NS,
    SCHEMA_DIR,
    SCHEMA_FILES,
    XLINK_NS,
    mets_schema,
    safe_parser,
    tt05_schema,
)
from archive.packages.zip_limits import ZipLimits, check_zip

M = f"{{{METS_NS}}}"
HREF = f"{{{XLINK_NS}}}href"
FOLDER = re.compile(r"^uuid-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


@dataclass
class ValidPackage:
    """What a valid package holds, by zip entry name."""

    folder: str
    objid: str
    package_type: str
    dossier_record: str = ""
    records: list[str] = field(default_factory=list)  # sohoa document records (JSON)
    files: dict[str, str] = field(default_factory=dict)  # zip name -> SHA-256, every listed file


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    """One entry's bytes; a damaged entry (bad CRC, a size that lies) is a ``PackageError``."""
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PackageError(f"{name}: mục zip hỏng ({exc})") from exc


def _sha256(zf: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PackageError(f"{name}: mục zip hỏng ({exc})") from exc
    return digest.hexdigest()


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(_read(zf, name), safe_parser())
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"{name}: XML hỏng: {exc}") from exc


def _schema_check(schema: etree.XMLSchema, root: etree._Element, name: str) -> None:
    if not schema.validate(root):
        err = schema.error_log.last_error
        raise PackageError(f"{name}: không đúng lược đồ (dòng {err.line}): {err.message}")


def _resolve(base: str, href: str, names: set[str]) -> str:
    target = posixpath.normpath(posixpath.join(base, href))
    if href.startswith("/") or "://" in href or not target.startswith(base) or target not in names:
        raise PackageError(f"{base}METS.xml: tham chiếu hỏng, không có tệp {href!r} trong gói")
    return target


def _check_file(zf: zipfile.ZipFile, el: etree._Element, name: str) -> str:
    """Size and SHA-256 of one listed file against what the METS says."""
    if el.get("CHECKSUMTYPE") != "SHA-256" or not el.get("CHECKSUM"):
        raise PackageError(f"{name}: METS không ghi SHA-256")
    if str(zf.getinfo(name).file_size) != el.get("SIZE"):
        raise PackageError(f"{name}: kích thước không khớp với METS")
    digest = _sha256(zf, name)
    if digest != el.get("CHECKSUM"):
        raise PackageError(f"{name}: SHA-256 không khớp với METS (tệp đã bị thay đổi)")
    return digest


def _check_header(root: etree._Element, name: str, objid: str | None) -> str:
    """CSIP rules of a METS root: OBJID, PROFILE, package type, the CSIP structural map."""
    if objid is not None and root.get("OBJID") != objid:
        raise PackageError(f"{name}: OBJID phải là {objid} (tên thư mục gói)")
    if not (root.get("OBJID") or "").startswith("urn:uuid:"):
        raise PackageError(f"{name}: OBJID phải có dạng urn:uuid:...")
    if root.get("PROFILE") != PROFILE:
        raise PackageError(f"{name}: PROFILE phải là {PROFILE}")
    kind = root.find(f"{M}metsHdr")
    ptype = kind.get(f"{{{CSIP_NS}}}OAISPACKAGETYPE") if kind is not None else None
    if ptype not in ("SIP", "AIP"):
        raise PackageError(f"{name}: metsHdr thiếu csip:OAISPACKAGETYPE (SIP hoặc AIP)")
    maps = [m for m in root.iter(f"{M}structMap") if m.get("LABEL") == "CSIP" and m.get("TYPE") == "PHYSICAL"]
    if len(maps) != 1:
        raise PackageError(f'{name}: cần đúng một structMap LABEL="CSIP" TYPE="PHYSICAL"')
    return ptype


def _check_metadata(
    zf: zipfile.ZipFile, ref: etree._Element, name: str, digests: dict[str, str], base: str
) -> None:
    kind, other = ref.get("MDTYPE"), ref.get("OTHERMDTYPE")
    if other in (DOSSIER_MD, DOCUMENT_MD):
        root = _xml(zf, name)
        _schema_check(tt05_schema("EAD.xsd" if other == DOSSIER_MD else "EAD_doc.xsd"), root, name)
        problem = descriptive.value_problems(root, name)
        if problem:
            raise PackageError(problem)
    elif kind == "PREMIS":
        local = {k[len(base) :]: v for k, v in digests.items() if k.startswith(base)}
        problem = premis.problems(_xml(zf, name), name, local)
        if problem:
            raise PackageError(problem)


def _walk(zf: zipfile.ZipFile, base: str, names: set[str], found: ValidPackage, objid: str | None) -> None:
    """Validate the METS at ``base`` and everything it lists (representations recursively)."""
    name = base + "METS.xml"
    if name not in names:
        raise PackageError(f"thiếu {name}")
    root = _xml(zf, name)
    _schema_check(mets_schema(), root, name)
    found.package_type = _check_header(root, name, objid)
    for el in root.iter(f"{M}file"):
        loc = el.find(f"{M}FLocat")
        target = _resolve(base, loc.get(HREF, "") if loc is not None else "", names)
        found.files[target] = _check_file(zf, el, target)
    refs = []
    for ref in root.iter(f"{M}mdRef"):
        target = _resolve(base, ref.get(HREF, ""), names)
        found.files[target] = _check_file(zf, ref, target)
        refs.append((ref, target))
    for ref, target in refs:  # PREMIS needs every digest of this METS first
        _check_metadata(zf, ref, target, found.files, base)
        if ref.get("OTHERMDTYPE") == RECORD_MD:
            if base == found.folder:
                found.dossier_record = target
            else:
                found.records.append(target)
    for grp in root.iter(f"{M}fileGrp"):
        if (grp.get("USE") or "").startswith("Representations/"):
            for loc in grp.iter(f"{M}FLocat"):
                _walk(
                    zf, posixpath.dirname(_resolve(base, loc.get(HREF, ""), names)) + "/", names, found, None
                )


def _folder(names: set[str]) -> tuple[str, str]:
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) != 1:
        raise PackageError(f"gói phải có đúng một thư mục gốc, có: {sorted(tops)[:3]}")
    top = tops.pop()
    match = FOLDER.match(top)
    if not match:
        raise PackageError(f"thư mục gốc {top!r} không có dạng uuid-<UUID>")
    return top + "/", f"urn:uuid:{match.group(1)}"


def _schemas(zf: zipfile.ZipFile, base: str, names: set[str]) -> None:
    for schema in SCHEMA_FILES:
        name = f"{base}schemas/{schema}"
        if name not in names:
            raise PackageError(f"thiếu lược đồ {name}")
        if _read(zf, name) != (SCHEMA_DIR / schema).read_bytes():
            raise PackageError(f"lược đồ {name} khác bản chuẩn sohoa dùng")


def validate_package(path: str, limits: ZipLimits) -> ValidPackage:
    """Validate the zip at ``path`` (its bounds first, ``limits``); returns what it holds or
    raises ``PackageError``."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackageError(f"không đọc được tệp zip: {exc}") from exc
    with zf:
        check_zip(zf, limits)
        listed = [n for n in zf.namelist() if not n.endswith("/")]
        names = set(listed)
        if len(names) != len(listed):  # a second entry of a name would hide behind the first
            raise PackageError("gói có hai mục cùng tên")
        base, objid = _folder(names)
        _schemas(zf, base, names)
        found = ValidPackage(base, objid, "")
        _walk(zf, base, names, found, objid)
        unlisted = sorted(names - set(found.files) - {base + "METS.xml"})
        if unlisted:
            raise PackageError(f"{unlisted[0]}: tệp không được kê khai trong METS")
        return found
