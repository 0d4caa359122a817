"""Run the Tesseract binary once per page: text, word confidences and a text-only PDF page in one pass."""

from __future__ import annotations

import csv
import os
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ocr.errors import OcrError
from ocr.reading_order import ordered_words
from ocr.text_pdf import write_in_reading_order


@dataclass
class Recognised:
    """What Tesseract read on one page."""

    text: str
    words: list[tuple[str, float]]
    text_pdf: Path  # one page, invisible text only (textonly_pdf), sized by the dpi given
    rows: list[dict] = field(default_factory=list)  # Tesseract's words: text, conf, box, block/par/line


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Tesseract's OpenMP threads oversubscribe the cores we already fill with one process each.
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            row
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row.get("level") == "5" and (row.get("text") or "").strip()
        ]


def is_junk(word: str, conf: float) -> bool:
    """A token Tesseract made of a seal, a signature or specks: very low confidence, or low confidence
    and mostly not letters. Dropping it costs less than keeping it, even when it was a misread word."""
    alnum = sum(ch.isalnum() for ch in word) / max(1, len(word))
    return conf < 25 or (conf < 45 and alnum < 0.6)


def ordered_rows(rows: list[dict]) -> list[tuple[list[dict], bool]]:
    """Tesseract's words in reading order, junk dropped: ``[(words of a line, starts a paragraph)]``."""
    return ordered_words([row for row in rows if not is_junk(row["text"], float(row["conf"]))])


def text_from_rows(rows: list[dict]) -> str:
    """Page text rebuilt from Tesseract's words: junk dropped, side-by-side blocks (header columns,
    "Nơi nhận" beside the signature) read column by column, a blank line before each paragraph."""
    return _page_text(ordered_rows(rows))


def _page_text(ordered: list[tuple[list[dict], bool]]) -> str:
    out: list[str] = []
    for words, new_paragraph in ordered:
        if new_paragraph:
            out.append("")
        out.append(" ".join(w["text"] for w in words))
    return "\n".join(out)


def recognise(
    grey: np.ndarray,
    dpi: int,
    workdir: Path,
    *,
    language: str = "vie",
    psm: int = 3,
    sauvola: bool = True,
    timeout: float = 300.0,
) -> Recognised:
    """OCR one grey page image; ``sauvola`` picks Tesseract's local thresholding (better under shading)."""
    workdir.mkdir(parents=True, exist_ok=True)
    img = workdir / "page.pgm"  # uncompressed: faster to write and read than PNG
    cv2.imwrite(str(img), grey)
    base = workdir / "out"
    cmd = [
        "tesseract",
        str(img),
        str(base),
        "-l",
        language,
        "--psm",
        str(psm),
        "--dpi",
        str(dpi),
        "-c",
        "textonly_pdf=1",
    ]
    if sauvola:
        cmd += ["-c", "thresholding_method=2"]
    cmd += ["tsv", "pdf"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrError("ocr_failed", f"tesseract: {exc}") from exc
    if proc.returncode != 0 or not base.with_suffix(".pdf").exists():
        raise OcrError("ocr_failed", f"tesseract exit {proc.returncode}: {proc.stderr[-500:]}")
    rows = _read_tsv(base.with_suffix(".tsv"))
    ordered = ordered_rows(rows)
    text = unicodedata.normalize("NFC", _page_text(ordered))
    lines = [[{**w, "text": unicodedata.normalize("NFC", w["text"])} for w in ws] for ws, _ in ordered]
    write_in_reading_order(base.with_suffix(".pdf"), lines, (grey.shape[1], grey.shape[0]))
    words = [(r["text"], float(r["conf"])) for r in rows]
    return Recognised(text=text, words=words, text_pdf=base.with_suffix(".pdf"), rows=rows)


def orientation(grey: np.ndarray, dpi: int, workdir: Path, min_confidence: float = 2.0) -> int:
    """Counter-clockwise degrees (0, 90, 180, 270) that turn the page upright, by Tesseract's OSD.

    Asked only about pages that read badly: it costs about a second, and a page read well is upright.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    img = workdir / "osd.pgm"
    cv2.imwrite(str(img), grey)
    cmd = ["tesseract", str(img), "-", "--psm", "0", "-l", "osd", "--dpi", str(dpi)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    fields = dict(line.split(":", 1) for line in proc.stdout.splitlines() if ":" in line)
    try:
        rotate, conf = int(fields["Rotate"].strip()), float(fields["Orientation confidence"].strip())
    except (KeyError, ValueError):
        return 0
    return rotate % 360 if conf >= min_confidence else 0
