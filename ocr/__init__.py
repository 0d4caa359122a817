"""OCR: pages in, archival PDF/A + per-page text + confidence out. Knows nothing of dossiers."""

from ocr.engine import OcrError, OcrPage, OcrResult, ocr_to_pdfa

__all__ = ["OcrError", "OcrPage", "OcrResult", "ocr_to_pdfa"]
