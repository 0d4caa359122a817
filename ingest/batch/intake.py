"""Use case: a scanned stack into its dossiers. Each part becomes one document of the dossier its
separator names, handed to the ordinary intake (the same durable pipeline); the part before the
first separator is held aside, not stored, for an officer to route."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest.batch.pages import write_part
from ingest.batch.split import Part, split_stack
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.documents import submit_to_dossier
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


def ingest_batch(desk: DossierDesk, files: list[Path], actor: str, held_dir: Path) -> list[BatchItem]:
    """Split ``files`` (one stack, in order) and hand every part to intake or to the held folder."""
    parts = split_stack(files, lambda code: desk.catalogue.dossier(code) is not None)
    batch_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    work = desk.spool_dir / "batch"
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="batch-", dir=work))
    try:
        return [_one_part(desk, part, actor, tmp, held_dir, batch_id) for part in parts]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # intake copied each part into the spool


def _part_name(part: Part) -> str:
    numbers = [p.number for p in part.pages]
    return f"trang-{numbers[0]}-{numbers[-1]}.pdf" if numbers else "trong.pdf"


def _one_part(
    desk: DossierDesk, part: Part, actor: str, tmp: Path, held_dir: Path, batch_id: str
) -> BatchItem:
    if not part.pages:
        reason = Reason.EMPTY
        return BatchItem(part, Outcome("", "rejected", reason_code=reason, message=message_vi(reason)))
    if part.separator is None:
        return BatchItem(part, _hold(part, held_dir, batch_id))
    path = write_part(part.pages, tmp / _part_name(part))
    dossier = desk.catalogue.dossier(part.separator.dossier_code)
    assert dossier is not None  # a separator names a known dossier (split_stack checked)
    role = part.separator.role or DocumentRole.COMPONENT
    result = submit_to_dossier(
        desk, actor, dossier, [path], role=role, component_name=part.separator.component
    )[0]
    return BatchItem(part, result)


def _hold(part: Part, held_dir: Path, batch_id: str) -> Outcome:
    """Keep the pages before the first separator as a PDF in the held folder, with a line in
    ``held.jsonl`` (both synced to disk before the answer is given: nothing is lost)."""
    folder = held_dir / batch_id
    folder.mkdir(parents=True, exist_ok=True)
    path = write_part(part.pages, folder / _part_name(part))
    _fsync(path)
    record = {
        "batch": batch_id,
        "file": str(path),
        "status": "held",
        "reason_code": Reason.NO_SEPARATOR.value,
        "pages": [p.number for p in part.pages],
        "sources": sorted({str(p.source) for p in part.pages}),
        "held_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with (held_dir / "held.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    reason = Reason.NO_SEPARATOR
    return Outcome(str(path), "held", reason_code=reason, message=message_vi(reason))


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())
