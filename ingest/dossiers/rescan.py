"""Use case: re-scanning one page (or the whole) of a document while the applicant is still at the counter.

Archived objects are write-once and retained, so a re-scan never edits the stored document: it
builds a corrected file (the original with page N swapped for the new scan), ingests it as a new
document of the same dossier, and records that the new one replaces the old (the dossier page
then shows only the new one; the old stays in the archive under retention).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from archive.model import Document
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.documents import Upload, submit_to_dossier
from ingest.jobs import Job
from ingest.pipeline import Outcome, clean_name
from ingest.refusal import Refusal
from ingest.sniff import sniff


def _page_pdf(scan: Path, content_type: str, out: Path) -> Path:
    """The new scan as a one-page PDF (a PDF upload must have exactly one page)."""
    if content_type == "application/pdf":
        import pikepdf

        with pikepdf.open(scan) as pdf:
            if len(pdf.pages) != 1:
                raise Refusal("rescan_not_one_page", "Bản quét lại của một trang phải có đúng một trang.")
        return scan
    from PIL import Image

    with Image.open(scan) as img:
        dpi = int((img.info.get("dpi") or (300, 300))[0]) or 300
        img.convert("RGB").save(out, "PDF", resolution=dpi)
    return out


def splice(original: Path, number: int, page_pdf: Path, out: Path) -> Path:
    """``original`` (a PDF) with page ``number`` (1-based) replaced by the page of ``page_pdf``."""
    import pikepdf

    with pikepdf.open(original) as pdf, pikepdf.open(page_pdf) as one:
        if not 1 <= number <= len(pdf.pages):
            raise Refusal("no_such_page", f"Tài liệu không có trang {number}.")
        pdf.pages.insert(number - 1, one.pages[0])
        del pdf.pages[number]
        pdf.save(out)
    return out


def _replacement(desk: DossierDesk, doc: Document, number: int, scan: Path, folder: Path) -> Path:
    """The file to ingest: the new scan itself (whole document), or the original spliced."""
    sniffed = sniff(scan, max_bytes=desk.ingest.limits.max_file_bytes)
    if number == 0 or doc.page_count <= 1:
        return scan
    if doc.original is None or doc.original.content_type != "application/pdf":
        raise Refusal(
            "rescan_whole_only", "Tài liệu gốc không phải PDF nhiều trang: hãy quét lại cả tài liệu."
        )
    original = folder / "original.pdf"
    with desk.repository.store.open(doc.original.key) as src, open(original, "wb") as dst:
        shutil.copyfileobj(src, dst)
    page_pdf = _page_pdf(scan, sniffed.content_type, folder / "page.pdf")
    return splice(original, number, page_pdf, folder / clean_name(f"{doc.id}-quet-lai-trang-{number}.pdf"))


def rescan(
    desk: DossierDesk, actor: str, dossier: dict, doc: Document, number: int, upload: Upload
) -> Outcome | Job:
    """Ingest the corrected document (page ``number`` >= 1 replaced, or the whole with 0) and
    record what it replaces; the job (or the refusal)."""
    folder = Path(tempfile.mkdtemp(prefix="web-rescan-", dir=desk.spool_dir))
    try:
        scan = folder / clean_name(upload.filename or "quet-lai")
        upload.save(str(scan))
        path = _replacement(desk, doc, number, scan, folder)
        result = submit_to_dossier(
            desk, actor, dossier, [path], role=doc.role, component_name=doc.component_name, replaces=doc.id
        )[0]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if isinstance(result, Job):
        desk.records.replace(doc.id, result.doc_id, number, actor)
        desk.archive.record_replacement(dossier["code"], doc.id, result.doc_id, number, actor=actor)
        desk.audit("rescan", actor, doc.id, {"replaced_by": result.doc_id, "page": number})
    return result
