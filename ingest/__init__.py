"""Intake: dossiers, uploads and the hot folder, sniffing and limits, the job pipeline
(OCR -> tagging -> archive -> index), receipts and notices. Uses ``ocr`` and ``archive``."""
