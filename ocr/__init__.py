"""OCR: pages in, archival PDF/A + per-page text + confidence out. Knows nothing of dossiers.

The names below load on first use, so importing ``ocr.errors`` alone (the reason codes do) stays
light: no OpenCV, numpy or Pillow in a process that only needs the codes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocr.engine import OcrPage, OcrResult, ocr_to_pdfa
    from ocr.errors import OcrError
    from ocr.inputs import Limits
    from ocr.quality import Thresholds, warning_message

_WHERE = {
    "OcrPage": "ocr.engine",
    "OcrResult": "ocr.engine",
    "ocr_to_pdfa": "ocr.engine",
    "OcrError": "ocr.errors",
    "Limits": "ocr.inputs",
    "Thresholds": "ocr.quality",
    "warning_message": "ocr.quality",
}
__all__ = ["Limits", "OcrError", "OcrPage", "OcrResult", "Thresholds", "ocr_to_pdfa", "warning_message"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'ocr' has no attribute {name!r}")
