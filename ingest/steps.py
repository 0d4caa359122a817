"""The pipeline's steps. Each has one contract, after paperless-ngx's consumer plugins:
``able_to_run`` (is there work left for me in this job?), ``run`` and ``cleanup``.

Every step is idempotent and leaves its output in the job's work folder or in the archive, so a
job interrupted anywhere resumes from the first step that still has work.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive.dossier_records import record_dossier
from archive.model import Applicant, Document, DocumentMetadata, PageText, local_day
from ingest.context import IngestContext
from ingest.inspection import active_content_refusal, inspect_in_worker, refusal_of
from ingest.jobs import Job
from ingest.page_progress import PageWatcher
from ingest.reasons import Reason
from ingest.sandbox import SandboxError, SandboxLimits, run_in_sandbox
from ingest.storage_errors import probe_writable

log = logging.getLogger(__name__)


@dataclass
class Work:
    """One job in progress: the job row, the context and its work folder."""

    job: Job
    ctx: IngestContext

    @property
    def folder(self) -> Path:
        path = self.ctx.spool_dir / "work" / str(self.job.id)
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def original(self) -> Path:
        return Path(self.job.spool_path)

    def read_json(self, name: str) -> dict | list | None:
        path = self.folder / name
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def write_json(self, name: str, data: object) -> None:
        """Atomic write: a crash leaves the old file or the new one, never half of it."""
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / name)


class Step:
    """Base class of pipeline steps."""

    name = "step"

    def able_to_run(self, work: Work) -> bool:
        return True

    def run(self, work: Work) -> None:
        raise NotImplementedError

    def cleanup(self, work: Work) -> None:  # noqa: B027 - optional hook
        """Remove temporary files of this step (called once the job has ended)."""


class OcrStep(Step):
    """Inspect, then image or PDF -> archival PDF/A + per-page text (``ocr.json``), all inside a
    sandboxed child with memory, CPU and time limits."""

    name = "ocr"

    def able_to_run(self, work: Work) -> bool:
        return work.read_json("ocr.json") is None

    def run(self, work: Work) -> None:
        limits = work.ctx.limits
        inspected = bool(work.job.params.get("inspect_in_worker"))
        if inspected:  # the counter's budget was not enough: the worker's, or a refusal
            inspect_in_worker(limits, work.original, work.job.content_type)
        pages_file = work.folder / "page.json"
        pages_file.unlink(missing_ok=True)  # an earlier attempt's
        try:
            with PageWatcher(work.ctx.jobs, work.job, pages_file):
                result = self._ocr(work, inspected, pages_file)
        except SandboxError as exc:
            # A full or read-only spool makes OCR fail too: that is no fault of the file.
            raise probe_writable(work.folder) or refusal_of(exc) from exc
        if "quarantine" in result:
            raise active_content_refusal(result["quarantine"])

    @staticmethod
    def _ocr(work: Work, inspected: bool, pages_file: Path) -> dict:
        limits = work.ctx.limits
        return dict(
            run_in_sandbox(
                "ingest.ocr_task.inspect_and_ocr",
                {
                    "src": str(work.original),
                    "content_type": work.job.content_type,
                    "out_pdf": str(work.folder / "archival.pdf"),
                    "out_json": str(work.folder / "ocr.json"),
                    "language": work.ctx.ocr_language,
                    "max_pages": limits.max_pages,
                    "max_pixels": limits.max_pixels,
                    "max_decoded_bytes": limits.max_decoded_bytes,
                    "inspected": inspected,
                    "progress_file": str(pages_file),
                },
                SandboxLimits(limits.memory_mb, limits.cpu_seconds, limits.wall_seconds),
            )
        )


def file_notice(work: Work) -> str | None:
    """The reason code an accepted file carries: ``truncated`` when a page says the file was cut."""
    pages = work.read_json("ocr.json") or []
    if any("truncated" in p.get("warnings", []) for p in pages if isinstance(p, dict)):
        return Reason.TRUNCATED
    return None


class TagStep(Step):
    """Propose the document's metadata from its text (``tags.json``); the officer confirms later.
    The proposal pre-fills the metadata and is kept with it, so accuracy can be reported."""

    name = "tag"

    def able_to_run(self, work: Work) -> bool:
        return work.read_json("tags.json") is None

    def run(self, work: Work) -> None:
        from ingest.tagging import extract
        from ingest.tagging.confirmation import record_proposal

        pages = work.read_json("ocr.json") or []
        metadata = DocumentMetadata()
        # The native resolution of OCR'd pages (text layers: None) tells the tagger a bad copy.
        dpi = [(p.get("quality") or {}).get("dpi") if p.get("source") == "ocr" else None for p in pages]
        record_proposal(metadata, extract(self._digits_checked(work, list(pages)), dpi))
        work.write_json("tags.json", asdict(metadata))

    @staticmethod
    def _digits_checked(work: Work, pages: list[dict]) -> list[str]:
        """Page texts with ID, tax and phone digit runs re-read with Tesseract ``eng`` (as ``sohoa tag``
        does), in the sandbox that reads the file for OCR. A second opinion only: if it fails, the
        ``vie`` text is tagged as it is."""
        from ingest.tagging.digits import needs_second_opinion

        texts = [p.get("text", "") for p in pages]
        ocr_pages = [p.get("source", "ocr") == "ocr" for p in pages]
        if not any(o and needs_second_opinion(t) for t, o in zip(texts, ocr_pages, strict=True)):
            return texts
        limits = work.ctx.limits
        try:
            return list(
                run_in_sandbox(
                    "ingest.tagging.digits.recheck_file",
                    {"src": str(work.original), "pages": texts, "ocr_pages": ocr_pages},
                    SandboxLimits(limits.memory_mb, limits.cpu_seconds, limits.wall_seconds),
                )
            )
        except SandboxError as exc:
            log.warning("digit re-read of %s skipped: %s", work.job.doc_id, exc)
            return texts


class StoreStep(Step):
    """Original + archival PDF/A + manifest into the object store (manifest last)."""

    name = "store"

    def able_to_run(self, work: Work) -> bool:
        repository, job = work.ctx.repository, work.job
        if not repository.exists(job.doc_id):
            return True
        stored = repository.load(job.doc_id).original
        if stored is None or stored.sha256 != job.sha256:
            # Another file's document under this id: never answer "accepted" with it.
            raise RuntimeError(f"document id {job.doc_id} already holds another file in the archive")
        return False  # this job stored it before a crash

    def run(self, work: Work) -> None:
        doc = build_document(work)
        # The dossier's own record in the archive first (it survives a lost state).
        record_dossier(work.ctx.repository.store, _dossier_row(work), doc.digitised_by)
        doc.intake_signature = intake_signature(work)
        archival = work.folder / "archival.pdf"
        work.ctx.repository.save(
            doc, work.original, work.job.content_type, archival if archival.exists() else None
        )


def _dossier_row(work: Work) -> dict:
    """The dossier's catalogue row, or what the job knows of it when the row is gone."""
    row = work.ctx.catalogue.dossier(work.job.dossier_code)
    if row:
        return row
    params = work.job.params
    keys = ("applicant_id", "applicant_kind", "applicant_name", "procedure_code", "department")
    return {"code": work.job.dossier_code, **{k: params.get(k, "") for k in keys}}


def intake_signature(work: Work) -> dict:
    """A signed PDF handed in: the verification of its signatures, recorded with the document (the
    file itself is kept unchanged as the original). Empty for anything unsigned."""
    if work.ctx.verify_signed is None or work.job.content_type != "application/pdf":
        return {}
    if not has_signature(work.original):
        return {}
    try:
        result = work.ctx.verify_signed(work.original)
    except Exception as exc:  # a check that cannot run must not refuse the citizen's file
        result = {"valid": False, "problems": [{"code": "not_checked", "message": str(exc)[:300]}]}
    return {**result, "checked_at": datetime.now(UTC).isoformat(timespec="seconds")}


def has_signature(path: Path) -> bool:
    """Whether the PDF carries a signature dictionary (a cheap byte scan before the real check)."""
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if b"/ByteRange" in tail + chunk:
                return True
            tail = chunk[-16:]
    return False


def build_document(work: Work) -> Document:
    """The manifest of the job's document, from the job's parameters and the steps' outputs."""
    job, ctx, params = work.job, work.ctx, work.job.params
    tags = work.read_json("tags.json")
    meta = DocumentMetadata(**tags) if isinstance(tags, dict) else DocumentMetadata()
    if params.get("paper_kind"):  # bản chính / bản sao / bản sao chứng thực, chosen at upload
        meta.extra = {**(meta.extra or {}), "paper_kind": params["paper_kind"]}
    pages = [PageText(**p) for p in work.read_json("ocr.json") or []]
    received = local_day(job.created_at, ctx.timezone)
    retention_class = ctx.retention.class_for(params.get("procedure_code", ""), meta.type_name)
    return Document(
        id=job.doc_id,
        dossier_code=job.dossier_code,
        role=params.get("role", "component"),
        component_name=params.get("component_name", ""),
        procedure_code=params.get("procedure_code", ""),
        department=params.get("department", ""),
        applicant=Applicant(
            id=params.get("applicant_id", ""),
            kind=params.get("applicant_kind", "citizen"),
            name=params.get("applicant_name", ""),
        ),
        metadata=meta,
        retention_class=retention_class,
        retain_until=ctx.retention.retain_until(retention_class, received).isoformat(),
        source=params.get("source", "scanned"),
        original_name=job.file_name,
        digitised_by=params.get("actor", ""),
        digitised_at=job.created_at,
        received_on=received.isoformat(),
        pages=pages,
    )


class IndexStep(Step):
    """The stored manifest -> search index and catalogue (both derived, both idempotent)."""

    name = "index"

    def run(self, work: Work) -> None:
        doc = work.ctx.repository.load(work.job.doc_id)
        work.ctx.index.add(doc)
        work.ctx.index.commit()
        work.ctx.catalogue.upsert_document(doc)
        if doc.role == "result" and not doc.certified_copies and work.ctx.request_signing is not None:
            # A result issued by the center is signed once archived (the worker signs it).
            work.ctx.request_signing(doc.id, "result archived", doc.digitised_by)


DEFAULT_STEPS: tuple[Step, ...] = (OcrStep(), TagStep(), StoreStep(), IndexStep())
