"""What runs inside the sandbox for one file: inspect a PDF for active content, then OCR it
into the job's work folder. Module-level so the spawned child can import it."""

from __future__ import annotations

import json
import os
from pathlib import Path


def inspect_and_ocr(src: str, content_type: str, out_pdf: str, out_json: str, language: str,
                    max_pages: int, max_pixels: int) -> dict:
    """Returns {"quarantine": [kinds]} for active content, else writes the OCR result and
    returns {"pages": n}. OCR errors propagate with their code."""
    from ocr import ocr_to_pdfa
    from ocr.inputs import Limits

    if content_type == "application/pdf":
        import pikepdf

        from ingest.pdf_safety import active_content
        from ocr.errors import OcrError

        try:
            findings = active_content(src)
        except pikepdf.PasswordError as exc:
            raise OcrError("encrypted", str(exc)) from exc
        except pikepdf.PdfError as exc:
            raise OcrError("unreadable", str(exc)) from exc
        if findings:
            return {"quarantine": findings}
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    result = ocr_to_pdfa(src, out_pdf, language=language,
                         limits=Limits(max_pages=max_pages, max_pixels=max_pixels))
    pages = [{"number": p.number, "text": p.text, "confidence": p.confidence, "source": p.source,
              "warnings": list(p.warnings), "quality": p.quality} for p in result.pages]
    tmp = Path(out_json).with_suffix(".tmp")
    tmp.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out_json)
    return {"pages": len(pages)}
