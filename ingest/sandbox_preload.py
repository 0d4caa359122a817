"""Imported once by the sandbox's fork server (ingest/sandbox.py), so every sandboxed child starts
with the libraries of inspection, OCR, joining and digit re-reading already loaded.

One BLAS thread: the server forks children, and a process that forks should hold no thread pool
(numpy and OpenCV each start one at import otherwise)."""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import ocrmypdf  # noqa: E402, F401 - imported for its import cost, paid once

import ingest.inspection  # noqa: E402, F401
import ingest.join_task  # noqa: E402, F401
import ingest.ocr_task  # noqa: E402, F401
import ingest.tagging.digits  # noqa: E402, F401
