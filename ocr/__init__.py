"""OCR: pages in, archival PDF/A + per-page text + confidence out. Knows nothing of dossiers."""

from ocr.engine import OcrPage, OcrResult, ocr_to_pdfa
from ocr.errors import OcrError
from ocr.inputs import Limits
from ocr.quality import Thresholds, warning_message

__all__ = ["Limits", "OcrError", "OcrPage", "OcrResult", "Thresholds", "ocr_to_pdfa", "warning_message"]
