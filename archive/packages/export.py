"""Build a dossier's E-ARK CSIP package as a zip, streaming file by file from the object store.

Layout (CSIP 2.x)::

    uuid-<UUID>/METS.xml                         root METS (OBJID urn:uuid:<UUID>)
    uuid-<UUID>/metadata/descriptive/dossier.xml  TT 05/2025 dossier element set
    uuid-<UUID>/metadata/preservation/premis.xml
    uuid-<UUID>/metadata/other/dossier.json       the catalogue's dossier row (for import)
    uuid-<UUID>/schemas/*.xsd
    uuid-<UUID>/representations/rep1/METS.xml
    .../rep1/metadata/descriptive/<doc>.xml       TT 05/2025 document element set
    .../rep1/metadata/preservation/premis.xml
    .../rep1/metadata/other/<doc>.json            sohoa's document record as it stands
    .../rep1/data/<doc>/original, archival.pdf, certified-N.pdf, text.txt

Every file's SHA-256 is computed while it is written; a stored file whose bytes no longer match
its manifest stops the export (a package never carries a damaged record).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

from archive.catalogue import Catalogue
from archive.dossier_records import DossierArchive
from archive.model import Document, StoredFile
from archive.object_store import ObjectMissing
from archive.packages import descriptive, premis
from archive.packages.history import History, document_history
from archive.packages.mets import DOCUMENT_MD, DOSSIER_MD, MetsSpec, mets_xml
from archive.packages.premis import PackedFile
from archive.packages.profile import PLAIN, Profile
from archive.packages.schemas import SCHEMA_DIR, SCHEMA_FILES
from archive.repository import Repository

CHUNK = 1 << 20
SOFTWARE = "sohoa 0.1.0"
REP = "representations/rep1/"


class PackageError(Exception):
    """A package cannot be built or is refused; the message names the first problem."""


@dataclass
class ExportResult:
    objid: str
    folder: str
    file: str
    documents: int
    sha256: str
    size: int


class _Writer:
    """Writes entries under one folder of the zip, hashing as it goes."""

    def __init__(self, zf: zipfile.ZipFile, base: str) -> None:
        self.zf = zf
        self.base = base

    def stream(
        self, path: str, chunks: Iterable[bytes], mimetype: str, doc_id: str = "", use: str = ""
    ) -> PackedFile:
        digest, size = hashlib.sha256(), 0
        compress = (
            zipfile.ZIP_DEFLATED if mimetype.startswith(("text/", "application/xml")) else zipfile.ZIP_STORED
        )
        info = zipfile.ZipInfo(self.base + path, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = compress
        with self.zf.open(info, "w", force_zip64=True) as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        return PackedFile(path, digest.hexdigest(), size, mimetype, doc_id, use)

    def data(self, path: str, data: bytes, mimetype: str, doc_id: str = "", use: str = "") -> PackedFile:
        return self.stream(path, [data], mimetype, doc_id, use)


def _chunks(handle: IO[bytes]) -> Iterable[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _stored(w: _Writer, repo: Repository, doc: Document, f: StoredFile, path: str, use: str) -> PackedFile:
    handle = repo.store.open(f.key, repo.record_version(doc, f.key))
    packed = w.stream(path, _chunks(handle), f.content_type, doc.id, use)
    if packed.sha256 != f.sha256:
        raise PackageError(f"{f.key}: SHA-256 không khớp với bản kê của tài liệu {doc.id}; không đóng gói")
    return packed


def _document_files(w: _Writer, repo: Repository, doc: Document) -> list[PackedFile]:
    folder = f"data/{quote(doc.id, safe='')}/"
    files = []
    if doc.original is not None:
        files.append(_stored(w, repo, doc, doc.original, folder + "original", "original"))
    if doc.archival is not None:
        files.append(_stored(w, repo, doc, doc.archival, folder + "archival.pdf", "archival"))
    for n, copy in enumerate(doc.certified_copies, 1):
        stored = StoredFile(copy["key"], copy["sha256"], copy["size"], "application/pdf")
        files.append(_stored(w, repo, doc, stored, f"{folder}certified-{n}.pdf", "certified"))
    if doc.pages:
        text = "\f".join(p.text for p in doc.pages).encode()
        files.append(w.data(folder + "text.txt", text, "text/plain", doc.id, "text"))
    return files


def _representation(
    w: _Writer, repo: Repository, dossier: Dossier, spec: MetsSpec, history: History, profile: Profile
) -> None:
    data: list[PackedFile] = []
    events: list[premis.Event] = []
    for ordinal, doc in enumerate([*dossier.docs, *dossier.reused], 1):
        name = quote(doc.id, safe="")
        files = _document_files(w, repo, doc)
        data += files
        xml = descriptive.document_xml(doc, ordinal, dossier.code, profile)
        spec.dmd.append((w.data(f"metadata/descriptive/{name}.xml", xml, "application/xml"), DOCUMENT_MD))
        spec.records.append(w.data(f"metadata/other/{name}.json", doc.to_json(), "application/json", doc.id))
        ids = [f.path for f in files]
        links = [link for link in dossier.links if link["document_id"] == doc.id]
        events += premis.document_events(doc, files, SOFTWARE)
        events += document_history(repo, doc, ids, history, links)
    spec.premis.append(
        w.data(
            "metadata/preservation/premis.xml", premis.premis_xml(data, events, SOFTWARE), "application/xml"
        )
    )
    spec.groups.append(("Data", data))


def _root(w: _Writer, dossier: Dossier, spec: MetsSpec, rep_mets: PackedFile, profile: Profile) -> None:
    code, row = dossier.code, dossier.row
    xml = descriptive.dossier_xml(code, row, dossier.docs, dossier.reused, profile)
    described = w.data("metadata/descriptive/dossier.xml", xml, "application/xml")
    spec.dmd.append((described, DOSSIER_MD))
    body = {"code": code, "fields": row, "links": dossier.links}
    record = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    spec.records.append(w.data("metadata/other/dossier.json", record, "application/json"))
    event = premis.Event("information package creation", premis.now(), f"Gói {spec.package_type}", "sohoa")
    spec.premis.append(
        w.data(
            "metadata/preservation/premis.xml",
            premis.premis_xml([described], [event], SOFTWARE),
            "application/xml",
        )
    )
    schemas = [w.data(f"schemas/{n}", (SCHEMA_DIR / n).read_bytes(), "application/xml") for n in SCHEMA_FILES]
    spec.groups += [("Schemas", schemas), ("Representations/rep1", [rep_mets])]


@dataclass
class Dossier:
    """What a package holds: the dossier's row, its own documents, and the documents reused into
    it from other dossiers (copies, with the links that brought them)."""

    code: str
    row: dict[str, str]
    docs: list[Document]
    reused: list[Document]
    links: list[dict[str, str]]


def _links(repo: Repository, code: str) -> list[dict[str, str]]:
    try:
        return DossierArchive(repo.store).load(code).links
    except ObjectMissing:  # a dossier never put on record in the archive (hand-made, old)
        return []


def load_dossier(repo: Repository, catalogue: Catalogue, code: str) -> Dossier:
    """The dossier's catalogue row, documents and reused documents; ``PackageError`` for an
    unknown dossier or a reused document the archive no longer holds."""
    row = catalogue.dossier(code) or {}
    ids = [r["id"] for r in catalogue.documents_of_dossier(code)]
    if not row and not ids:
        raise PackageError(f"không có hồ sơ {code!r}")
    links = [{**link, "dossier_code": code} for link in _links(repo, code) if link["document_id"] not in ids]
    reused = []
    for link in links:
        try:
            reused.append(repo.load(link["document_id"]))
        except ObjectMissing:
            raise PackageError(
                f"tài liệu {link['document_id']} sử dụng lại trong hồ sơ {code} không còn trong kho"
            ) from None
    fields = {k: str(v) for k, v in row.items() if k != "code"}
    return Dossier(code, fields, [repo.load(i) for i in ids], reused, links)


def export_dossier(
    repo: Repository,
    catalogue: Catalogue,
    code: str,
    out: Path,
    package_type: str = "AIP",
    history: History | None = None,
    profile: Profile = PLAIN,
) -> ExportResult:
    """Write the package of dossier ``code`` to ``out`` (through a temporary file: a failed export
    leaves nothing behind). ``history``: fixity runs and reuse links for the PREMIS events;
    ``profile``: the Circular's chosen values (``[transfer]`` and ``[replica]``)."""
    dossier = load_dossier(repo, catalogue, code)
    uid = uuid.uuid4()
    objid, folder = f"urn:uuid:{uid}", f"uuid-{uid}"
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            rep = MetsSpec(f"urn:uuid:{uuid.uuid4()}", f"{code} rep1", package_type, SOFTWARE)
            rw = _Writer(zf, f"{folder}/{REP}")
            _representation(rw, repo, dossier, rep, history or History(), profile)
            rep_mets = rw.data("METS.xml", mets_xml(rep), "application/xml")
            rep_mets.path = REP + "METS.xml"
            spec = MetsSpec(objid, code, package_type, SOFTWARE)
            w = _Writer(zf, f"{folder}/")
            _root(w, dossier, spec, rep_mets, profile)
            w.data("METS.xml", mets_xml(spec), "application/xml")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    digest = hashlib.sha256()
    with out.open("rb") as fh:
        for chunk in _chunks(fh):
            digest.update(chunk)
    documents = len(dossier.docs) + len(dossier.reused)
    return ExportResult(objid, folder, str(out), documents, digest.hexdigest(), out.stat().st_size)
