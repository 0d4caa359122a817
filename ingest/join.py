"""Several files handed in as one document: page images (and PDFs' pages), in the order chosen,
joined into one PDF before intake takes it as one file (one job, one document, one receipt line).

Every part is sniffed by its content and inspected (active content, pages, pixels from the header)
before any pixel is decoded, as a single file is; the join itself decodes images, so it runs in
the sandbox with the same limits as OCR. One refused part refuses the whole join, naming the file,
and nothing of any part is kept (a polyglot or active part is quarantined as a single file is).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ingest.context import IngestContext, Limits
from ingest.inspection import active_content_refusal, refusal_of
from ingest.intake import IntakeRequest, check_request, submit_files
from ingest.jobs import Job
from ingest.join_task import NOTHING_KEPT, part_message
from ingest.pipeline import Outcome, quarantine_file
from ingest.pixels import check_image_pixels
from ingest.reasons import Reason
from ingest.refusal import Refusal
from ingest.sandbox import SandboxError, SandboxLimits, run_in_sandbox
from ingest.sniff import sniff
from ingest.storage_errors import probe_writable, storage_guard

TARGET = "ingest.join_task.join_parts"


def joined_name(names: list[str]) -> str:
    """The joined file's name, as the jobs table and the reply show it."""
    return f"{Path(names[0]).stem} (gộp {len(names)} tệp).pdf"


def _sniffed(ctx: IngestContext, paths: list[Path], names: list[str]) -> list[list[str]]:
    """Each part's content type from its bytes; a refusal names the part (a polyglot is
    quarantined, as a single file would be)."""
    parts = []
    for i, (path, name) in enumerate(zip(paths, names, strict=True)):
        try:
            content_type = sniff(path, max_bytes=ctx.limits.max_file_bytes).content_type
            check_image_pixels(path, content_type, ctx.limits.max_pixels)
            parts.append([str(path), content_type, name])
        except Refusal as refusal:
            if refusal.status == "quarantined":
                quarantine_file(ctx, path, name, refusal)
            text = part_message(name, i + 1, len(paths), refusal.message)
            raise Refusal(refusal.reason_code, text, status=refusal.status) from refusal
    return parts


def _sandbox_limits(limits: Limits) -> SandboxLimits:
    return SandboxLimits(limits.memory_mb, limits.cpu_seconds, limits.worker_inspect_seconds)


def join_files(ctx: IngestContext, paths: list[Path], names: list[str], out: Path) -> Path:
    """Join ``paths`` (shown as ``names``) in order into the PDF ``out``; raises ``Refusal``
    naming the first part refused (nothing is stored, ``out`` is not left behind)."""
    parts = _sniffed(ctx, paths, names)
    limits = ctx.limits
    kwargs = {
        "parts": parts,
        "out": str(out),
        "max_pages": limits.max_pages,
        "max_pixels": limits.max_pixels,
        "max_decoded_bytes": limits.max_decoded_bytes,
    }
    try:
        result = run_in_sandbox(TARGET, kwargs, _sandbox_limits(limits))
    except SandboxError as exc:
        out.unlink(missing_ok=True)
        mapped = probe_writable(out.parent) or refusal_of(exc)  # a full spool is not the files' fault
        if isinstance(mapped, Refusal):
            if exc.code:  # the part's own refusal already names it
                raise Refusal(mapped.reason_code, mapped.message) from exc
            raise Refusal(mapped.reason_code, f"{mapped.message} {NOTHING_KEPT}") from exc
        raise mapped from exc
    if "quarantine" in result:
        return _quarantined(ctx, paths, names, result)
    return out


def _quarantined(ctx: IngestContext, paths: list[Path], names: list[str], result: dict) -> Path:
    """A part with active content: kept aside as a single file would be; the join is refused."""
    i = int(result["part"])
    refusal = active_content_refusal(result["quarantine"])
    quarantine_file(ctx, paths[i], names[i], refusal)
    text = part_message(names[i], i + 1, len(paths), refusal.message)
    raise Refusal(Reason.ACTIVE_CONTENT, text, status="quarantined")


def submit_joined(
    ctx: IngestContext,
    req: IntakeRequest,
    paths: list[Path],
    names: list[str] | None = None,
    idempotency_key: str | None = None,
) -> tuple[str, Outcome | Job]:
    """Join ``paths`` into one document of ``req``'s dossier: its name and its one job (or the
    refusal, naming the part at fault). The joined PDF is removed once intake has spooled it."""
    names = names or [p.name for p in paths]
    name = joined_name(names)
    check_request(req)  # the request's own refusals first, as for single files
    with storage_guard():
        (ctx.spool_dir / "joins").mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=ctx.spool_dir / "joins"))
    try:
        try:
            joined = join_files(ctx, paths, names, folder / name)
        except Refusal as r:
            return name, Outcome(name, r.status, "", r.reason_code, r.message)
        result = submit_files(ctx, req, [joined], [idempotency_key])[0]
        if isinstance(result, Outcome):
            result.file = name  # not the temporary path
        return name, result
    finally:
        shutil.rmtree(folder, ignore_errors=True)
