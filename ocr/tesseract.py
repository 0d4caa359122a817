"""Run the Tesseract binary once per page: text, word confidences and a text-only PDF page in one pass."""

from __future__ import annotations

import csv
import os
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ocr.errors import OcrError


@dataclass
class Recognised:
    """What Tesseract read on one page."""

    text: str
    words: list[tuple[str, float]]
    text_pdf: Path  # one page, invisible text only (textonly_pdf), sized by the dpi given


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Tesseract's OpenMP threads oversubscribe the cores we already fill with one process each.
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _read_tsv(path: Path) -> list[tuple[str, float]]:
    words = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row.get("level") == "5" and (row.get("text") or "").strip():
                words.append((row["text"], float(row["conf"])))
    return words


def recognise(grey: np.ndarray, dpi: int, workdir: Path, *, language: str = "vie", psm: int = 3,
              sauvola: bool = True, timeout: float = 300.0) -> Recognised:
    """OCR one grey page image; ``sauvola`` picks Tesseract's local thresholding (better under shading)."""
    workdir.mkdir(parents=True, exist_ok=True)
    img = workdir / "page.pgm"  # uncompressed: faster to write and read than PNG
    cv2.imwrite(str(img), grey)
    base = workdir / "out"
    cmd = ["tesseract", str(img), str(base), "-l", language, "--psm", str(psm), "--dpi", str(dpi),
           "-c", "textonly_pdf=1"]
    if sauvola:
        cmd += ["-c", "thresholding_method=2"]
    cmd += ["txt", "tsv", "pdf"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrError("ocr_failed", f"tesseract: {exc}") from exc
    if proc.returncode != 0 or not base.with_suffix(".pdf").exists():
        raise OcrError("ocr_failed", f"tesseract exit {proc.returncode}: {proc.stderr[-500:]}")
    text = base.with_suffix(".txt").read_text(encoding="utf-8").replace("\f", "").strip()
    text = unicodedata.normalize("NFC", text)
    return Recognised(text=text, words=_read_tsv(base.with_suffix(".tsv")), text_pdf=base.with_suffix(".pdf"))
