"""Bring a validated package's documents into this archive: same ids, metadata, SHA-256,
retention and holds; then index them.

The whole package is validated, and every document checked against this archive (an id already
held is refused), before the first object is written: a refused package writes nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from archive.catalogue import DOSSIER_FIELDS, Catalogue
from archive.dossier_records import DossierArchive, record_dossier
from archive.model import Document, document_key
from archive.packages.export import PackageError
from archive.packages.validate import ValidPackage, validate_package
from archive.packages.zip_limits import ZipLimits
from archive.repository import Repository
from archive.search_index import SearchIndex


@dataclass
class ImportResult:
    objid: str
    dossier_code: str
    documents: list[str]
    already_held: list[str] = field(default_factory=list)  # reused documents linked, not stored again


def _documents(zf: zipfile.ZipFile, found: ValidPackage) -> list[tuple[Document, str]]:
    """Each document record with its data folder, cross-checked against the packaged files."""
    docs = []
    for name in found.records:
        try:
            doc = Document.from_json(zf.read(name))
        except (ValueError, TypeError, KeyError) as exc:
            raise PackageError(f"{name}: bản ghi tài liệu hỏng: {exc}") from exc
        data = name.split("metadata/other/")[0] + f"data/{quote(doc.id, safe='')}/"
        for stored, file in ((doc.original, "original"), (doc.archival, "archival.pdf")):
            if stored is not None and found.files.get(data + file) != stored.sha256:
                raise PackageError(f"{data + file}: SHA-256 khác với bản ghi của tài liệu {doc.id}")
        for n, copy in enumerate(doc.certified_copies, 1):
            if found.files.get(f"{data}certified-{n}.pdf") != copy.get("sha256"):
                raise PackageError(f"{data}certified-{n}.pdf: SHA-256 khác với bản ghi của tài liệu {doc.id}")
        docs.append((doc, data))
    return docs


def _extract(zf: zipfile.ZipFile, name: str, into: Path) -> Path:
    target = into / name.rsplit("/", 1)[-1]
    with zf.open(name) as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return target


def _store(zf: zipfile.ZipFile, repo: Repository, doc: Document, data: str, work: Path) -> None:
    """Certified copies first, then original, archival and the manifest (the commit point)."""
    for n, copy in enumerate(doc.certified_copies, 1):
        path = _extract(zf, f"{data}certified-{n}.pdf", work)
        stored = repo.put_document_file(doc, copy["key"].split("/", 2)[2], path, "application/pdf")
        copy["version_id"] = stored.version_id
    original = doc.original
    if original is None:
        raise PackageError(f"tài liệu {doc.id} không có bản gốc")
    archival = _extract(zf, data + "archival.pdf", work) if doc.archival is not None else None
    repo.save(doc, _extract(zf, data + "original", work), original.content_type, archival)


def _already_held(
    repo: Repository, catalogue: Catalogue, docs: list[tuple[Document, str]], reused: set[str]
) -> set[str]:
    """Ids of reused documents this archive already holds with the same bytes (they are linked,
    not stored twice); any other document already held refuses the package."""
    held = set()
    for doc, _ in docs:
        if not (repo.store.exists(document_key(doc.id, "manifest.json")) or catalogue.document(doc.id)):
            continue
        mine = repo.load(doc.id) if doc.id in reused and repo.exists(doc.id) else None
        if (
            mine is None
            or mine.original is None
            or doc.original is None
            or mine.original.sha256 != doc.original.sha256
        ):
            raise PackageError(f"tài liệu {doc.id} đã có trong kho này; không nhập gói")
        held.add(doc.id)
    return held


def import_package(
    path: str,
    repo: Repository,
    index: SearchIndex,
    catalogue: Catalogue,
    work_dir: Path,
    limits: ZipLimits,
    on_document: Callable[[Document], None] | None = None,
    on_link: Callable[[str, dict], None] | None = None,
) -> ImportResult:
    """Validate ``path`` fully, refuse ids this archive already holds (a reused document held with
    the same bytes is linked instead), then store and index; then restore the reuse links
    (``on_link(code, link)`` lets the caller restore them in its own state too)."""
    found = validate_package(path, limits)
    with zipfile.ZipFile(path) as zf:
        docs = _documents(zf, found)
        dossier = json.loads(zf.read(found.dossier_record)) if found.dossier_record else {}
        links = list(dossier.get("links") or [])
        held = _already_held(repo, catalogue, docs, {link["document_id"] for link in links})
        code = dossier.get("code") or (docs[0][0].dossier_code if docs else "")
        fields = {k: v for k, v in (dossier.get("fields") or {}).items() if k in DOSSIER_FIELDS}
        record_dossier(repo.store, {"code": code, **fields}, actor="import-package")
        catalogue.ensure_dossier(code, **fields)
        work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
            for doc, data in docs:
                if doc.id in held:  # a reused document this archive holds already: linked below
                    continue
                _store(zf, repo, doc, data, Path(tmp))
                index.add(doc)
                catalogue.upsert_document(doc)
                if on_document:
                    on_document(doc)
        index.commit()
        for link in links:
            DossierArchive(repo.store).record_reuse(
                code, link["document_id"], actor=link.get("linked_by", "")
            )
            if on_link:
                on_link(code, link)
    return ImportResult(found.objid, code, [d.id for d, _ in docs], sorted(held))
