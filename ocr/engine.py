"""Turn an image or PDF into an archival PDF/A with per-page text and confidence.

First version: ocrmypdf with Vietnamese, skipping pages that already carry a good text layer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ocr.textlayer import page_texts

log = logging.getLogger(__name__)


class OcrError(Exception):
    """The input could not be turned into a PDF/A (reason in the message)."""


@dataclass
class OcrPage:
    number: int
    text: str
    confidence: float | None = None
    source: str = "ocr"  # ocr | textlayer
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_rescan(self) -> bool:
        return bool(self.warnings)


@dataclass
class OcrResult:
    pdfa_path: Path
    pages: list[OcrPage]


def ocr_to_pdfa(src: str | Path, out_pdf: str | Path, *, language: str = "vie", jobs: int = 1,
                image_dpi: int = 300) -> OcrResult:
    """OCR ``src`` (image or PDF) into ``out_pdf`` (PDF/A-2b) and return the pages' text."""
    import ocrmypdf

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    src, out_pdf = Path(src), Path(out_pdf)
    try:
        rc = ocrmypdf.ocr(
            src, out_pdf, language=language, output_type="pdfa", force_ocr=True, deskew=True,
            rotate_pages=False, progress_bar=False, jobs=jobs, image_dpi=image_dpi,
            optimize=0,
        )
    except Exception as exc:  # ocrmypdf raises many types; the caller wants one
        raise OcrError(f"{type(exc).__name__}: {exc}") from exc
    if int(rc) != 0:
        raise OcrError(f"ocrmypdf exit code {int(rc)}")
    pages = [OcrPage(number=i + 1, text=text) for i, text in enumerate(page_texts(out_pdf))]
    return OcrResult(pdfa_path=out_pdf, pages=pages)
