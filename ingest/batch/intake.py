"""Use case: a scanned stack into its dossiers. Each part becomes one document of the dossier its
separator names, handed to the ordinary intake (the same durable pipeline); the part before the
first separator is held aside, not stored, for an officer to route. The batch's record says what
became of every page (``BatchBook``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.batch.book import BatchBook, fsync_file, now_iso
from ingest.batch.pages import write_part
from ingest.batch.split import Part, split_stack
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.documents import Upload, save_uploads, submit_to_dossier
from ingest.intake import DocumentRole
from ingest.jobs import Job
from ingest.pipeline import Outcome
from ingest.reasons import Reason, message_vi


@dataclass
class BatchItem:
    """One part's answer: a job or refusal of intake, or the held file."""

    part: Part
    result: Outcome | Job

    def line(self, outcome: Outcome) -> dict:
        """The JSON line: the outcome, the dossier, and which pages of the stack it holds."""
        sep = self.part.separator
        return {
            **outcome.to_dict(),
            "dossier_code": sep.dossier_code if sep else "",
            "role": (sep.role or DocumentRole.COMPONENT) if sep else "",
            "component": sep.component if sep else "",
            "separator_page": self.part.separator_page,
            "pages": [p.number for p in self.part.pages],
            "blank_pages": self.part.blanks,
        }

    def label(self) -> str:
        """How the part is named to the officer: its stack file(s) and page numbers."""
        pages = self.part.pages
        name = ", ".join(dict.fromkeys(p.source.name for p in pages))
        return f"{name}: trang {pages[0].number}-{pages[-1].number}"

    def submitted(self) -> Outcome:
        """The answer as soon as the part is handed on: accepted with its document id and job
        (the job runs next), or the held or refused part as it is."""
        result = self.result
        if isinstance(result, Job):
            return Outcome(
                self.label(), "accepted", result.doc_id, message="Đã nhận, đang xử lý.", job_id=result.id
            )
        return result


@dataclass
class Batch:
    """One stack taken: its id in the ``BatchBook`` and every part's answer, in order."""

    id: str
    items: list[BatchItem]


def ingest_batch(desk: DossierDesk, files: list[Path], actor: str, book: BatchBook) -> Batch:
    """Split ``files`` (one stack, in order), hand every part to intake or to the held folder,
    and record the batch."""
    parts = split_stack(files, lambda code: desk.catalogue.dossier(code) is not None)
    batch_id = book.new_id(desk.now())
    work = desk.spool_dir / "batch"
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="batch-", dir=work))
    items: list[BatchItem] = []
    received_at = now_iso()
    try:
        for part in parts:
            items.append(_one_part(desk, part, actor, tmp, book, batch_id))
            # Recorded after every part: a crash mid-stack leaves a record of what was handed on.
            book.save(_record(batch_id, actor, received_at, files, items))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # intake copied each part into the spool
    return Batch(batch_id, items)


def ingest_uploads(desk: DossierDesk, files: Sequence[Upload], actor: str, book: BatchBook) -> Batch:
    """A stack uploaded on the web (one or more files, read in the order of their names, as a
    scanner numbers them): saved aside, then taken as ``ingest_batch`` takes files."""
    uploads = desk.spool_dir / "web-uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="web-batch-", dir=uploads))
    try:
        paths = save_uploads(sorted(files, key=lambda f: f.filename or ""), tmp)
        return ingest_batch(desk, paths, actor, book)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # parts were copied into the spool or held folder


def _record(batch_id: str, actor: str, received_at: str, files: list[Path], items: list[BatchItem]) -> dict:
    parts = []
    for item in items:
        outcome = item.submitted()
        parts.append({**item.line(outcome), "job_id": outcome.job_id})
    return {
        "id": batch_id,
        "actor": actor,
        "received_at": received_at,
        "sources": [f.name for f in files],
        "parts": parts,
    }


def _part_name(part: Part) -> str:
    numbers = [p.number for p in part.pages]
    return f"trang-{numbers[0]}-{numbers[-1]}.pdf" if numbers else "trong.pdf"


def _one_part(
    desk: DossierDesk, part: Part, actor: str, tmp: Path, book: BatchBook, batch_id: str
) -> BatchItem:
    if not part.pages:
        reason = Reason.EMPTY
        return BatchItem(part, Outcome("", "rejected", reason_code=reason, message=message_vi(reason)))
    if part.separator is None:
        return BatchItem(part, _hold(part, book, batch_id))
    path = write_part(part.pages, tmp / _part_name(part))
    dossier = desk.catalogue.dossier(part.separator.dossier_code)
    assert dossier is not None  # a separator names a known dossier (split_stack checked)
    role = part.separator.role or DocumentRole.COMPONENT
    result = submit_to_dossier(
        desk, actor, dossier, [path], role=role, component_name=part.separator.component
    )[0]
    return BatchItem(part, result)


def _hold(part: Part, book: BatchBook, batch_id: str) -> Outcome:
    """Keep the pages before the first separator as a PDF in the held folder, with a line in
    ``held.jsonl`` (both synced to disk before the answer is given: nothing is lost)."""
    path = write_part(part.pages, book.held_path(batch_id, _part_name(part)))
    fsync_file(path)
    book.record_held(
        {
            "batch": batch_id,
            "file": str(path),
            "status": "held",
            "reason_code": Reason.NO_SEPARATOR.value,
            "pages": [p.number for p in part.pages],
            "sources": sorted({str(p.source) for p in part.pages}),
            "held_at": now_iso(),
        }
    )
    reason = Reason.NO_SEPARATOR
    return Outcome(str(path), "held", reason_code=reason, message=message_vi(reason))
