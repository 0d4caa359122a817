"""Use case: add documents to a dossier (scans and uploads, of its procedure, department and
applicant), and what the dossier page lists of them."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from archive.object_store import ObjectMissing
from ingest import paper_kinds
from ingest.dossiers.desk import DossierDesk
from ingest.intake import IntakeRequest, submit_files
from ingest.jobs import Job
from ingest.join import submit_joined
from ingest.pipeline import Outcome, clean_name

LOW_CONFIDENCE = 70.0


class Upload(Protocol):
    """A file sent by a browser or an API client (werkzeug's ``FileStorage`` is one)."""

    filename: str | None

    def save(self, dst: str) -> None: ...


def _request(actor: str, dossier: dict, role: str, source: str, extra: dict) -> IntakeRequest:
    """An intake request for documents of ``dossier`` (its procedure, department, applicant)."""
    return IntakeRequest(
        dossier_code=dossier["code"],
        applicant_id=dossier["applicant_id"],
        procedure_code=dossier["procedure_code"],
        department=dossier["department"],
        role=role,
        actor=actor,
        applicant_name=dossier["applicant_name"],
        source=source,
        extra=extra,
    )


def submit_to_dossier(
    desk: DossierDesk,
    actor: str,
    dossier: dict,
    paths: list[Path],
    *,
    role: str,
    source: str = "scanned",
    keys: list[str | None] | None = None,
    **extra: str,
) -> list[Outcome | Job]:
    """Hand files to intake as documents of ``dossier`` (its procedure, department, applicant);
    ``keys`` are per-file idempotency keys (a retried upload returns the first job)."""
    req = _request(actor, dossier, role, source, extra)
    return submit_files(desk.ingest, req, paths, idempotency_keys=keys)


def save_uploads(files: Sequence[Upload], tmp: Path) -> list[Path]:
    """Save uploaded files under ``tmp`` (a folder each: two may share a name), cleaned names."""
    paths = []
    for i, storage in enumerate(files):
        folder = tmp / str(i)
        folder.mkdir()
        path = folder / clean_name(storage.filename or "upload")
        storage.save(str(path))
        paths.append(path)
    return paths


def add_uploads(
    desk: DossierDesk,
    actor: str,
    dossier: dict,
    files: list[Upload],
    role: str,
    component_name: str,
    idempotency_key: str = "",
    paper_kind: str = "",
    one_document: bool = False,
) -> list[tuple[str, Outcome | Job]]:
    """Save the uploaded files aside and hand them to intake: one job (or refusal) per file, or
    with ``one_document`` one job for all of them, their pages joined in the order sent. Each
    answer comes with the name it is told by. With an idempotency key (the client's, scoped to
    the official), sending the same upload again after a lost answer gives the same documents."""
    kind = paper_kinds.checked(paper_kind)  # refused before anything is saved
    key = idempotency_key.strip()[:200]
    extra = {"component_name": component_name.strip()[:200], "paper_kind": kind}
    uploads = desk.spool_dir / "web-uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="web-upload-", dir=uploads))
    try:
        paths = save_uploads(files, tmp)
        if one_document and len(files) > 1:  # one file is one document as it is
            req = _request(actor, dossier, role, "scanned", extra)
            joined_key = f"{actor}:{key}:joined" if key else None
            return [submit_joined(desk.ingest, req, paths, [p.name for p in paths], joined_key)]
        keys: list[str | None] = [f"{actor}:{key}:{i}" if key else None for i in range(len(files))]
        results = submit_to_dossier(desk, actor, dossier, paths, role=role, keys=keys, **extra)
        return [(f.filename or "", r) for f, r in zip(files, results, strict=True)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # intake copied the bytes into the spool already


def page_quality(desk: DossierDesk, doc_id: str) -> list[dict]:
    """Per-page OCR confidence and warnings from the manifest (for the thumbnails)."""
    try:
        doc = desk.repository.load(doc_id)
    except ObjectMissing:
        return []
    # The manifest keeps the Vietnamese re-scan reasons beside the codes (ocr.quality).
    return [
        {
            "number": p.number,
            "confidence": p.confidence,
            "warnings": p.quality.get("messages") or p.warnings,
            "low": p.confidence is not None and p.confidence < LOW_CONFIDENCE,
        }
        for p in doc.pages
    ]


def documents_of(desk: DossierDesk, code: str, *, pages: bool = False) -> list[dict]:
    """The dossier's own documents and the ones linked into it by reuse; with ``pages``, each own
    document's per-page quality. Re-scanned documents say what replaced them."""
    docs = [dict(r, linked=None) for r in desk.catalogue.documents_of_dossier(code)]
    for link in desk.records.links_of_dossier(code):
        row = desk.catalogue.document(link["document_id"])
        if row:
            docs.append(dict(row, linked=link))
    replaced = desk.records.replacements([d["id"] for d in docs])
    for row in docs:
        row["confirmed"] = desk.records.confirmation(row["id"]) is not None
        row["low_quality"] = row["mean_confidence"] is not None and row["mean_confidence"] < LOW_CONFIDENCE
        row.update(replaced.get(row["id"], {}))
        row["page_quality"] = page_quality(desk, row["id"]) if pages else []  # reused ones too
        row["paper_form"] = (
            paper_kinds.REUSED if row["linked"] else paper_kinds.label(_paper_kind(desk, row["id"]))
        )
    return docs


def _paper_kind(desk: DossierDesk, doc_id: str) -> str:
    """The kind of paper chosen at upload (kept in the manifest's metadata)."""
    try:
        return str((desk.repository.load(doc_id).metadata.extra or {}).get("paper_kind", ""))
    except ObjectMissing:
        return ""
