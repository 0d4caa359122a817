"""What runs inside the sandbox for one file: inspect a PDF (active content, inflated size,
pages), then OCR it into the job's work folder. Module-level so the spawned child imports it.

Errors that are the file's fault become ``OcrError`` with a code (refused, not retried); an
OSError carrying an errno is the machine's (disk, permissions) and propagates (retried).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pikepdf
import pypdfium2
from PIL import Image, UnidentifiedImageError

from ingest.inspection import inspect_pdf
from ocr import ocr_to_pdfa
from ocr.errors import OcrError
from ocr.inputs import Limits

PARSER_ERRORS = (pypdfium2.PdfiumError, pikepdf.PdfError, UnidentifiedImageError)


def _page_writer(path: str):
    """Write (page, pages) to ``path`` as each page starts, for the runner to show (atomic: the
    runner reads it while this child writes)."""
    if not path:
        return None

    def started(page: int, pages: int) -> None:
        tmp = f"{path}.tmp"
        try:
            Path(tmp).write_text(json.dumps({"page": page, "pages": pages}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:  # a courtesy: a full disk shows where the OCR's own output is written
            pass

    return started


def _ocr(src: str, out_pdf: str, language: str, limits: Limits, progress_file: str = ""):
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        return ocr_to_pdfa(
            src, out_pdf, language=language, limits=limits, on_page=_page_writer(progress_file)
        )
    except Image.DecompressionBombError as exc:
        raise OcrError("too_many_pixels", str(exc)) from exc
    except (*PARSER_ERRORS, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise
        # sniffing already said PDF, PNG, JPEG or TIFF: what does not parse is a damaged one
        raise OcrError("damaged", f"{type(exc).__name__}: {exc}") from exc


def inspect_and_ocr(
    src: str,
    content_type: str,
    out_pdf: str,
    out_json: str,
    language: str,
    max_pages: int,
    max_pixels: int,
    max_decoded_bytes: int,
    inspected: bool = False,
    progress_file: str = "",
) -> dict:
    """Returns {"quarantine": [kinds]} for active content, else writes the pages' text and
    quality to ``out_json`` (atomically) and returns {"pages": n}. With ``progress_file``, the
    page being read is written there as OCR goes."""
    if (
        content_type == "application/pdf"
        and not inspected
        and (findings := inspect_pdf(src, max_decoded_bytes))
    ):
        return {"quarantine": findings}
    # Written aside and renamed: a reader never sees half a PDF, whatever is killed when.
    partial = f"{out_pdf}.part"
    result = _ocr(src, partial, language, Limits(max_pages=max_pages, max_pixels=max_pixels), progress_file)
    os.replace(partial, out_pdf)
    pages = [
        {
            "number": p.number,
            "text": p.text,
            "confidence": p.confidence,
            "source": p.source,
            "warnings": list(p.warnings),
            "quality": p.quality,
        }
        for p in result.pages
    ]
    tmp = Path(out_json).with_suffix(".tmp")
    tmp.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out_json)
    return {"pages": len(pages)}
