"""Scanned stacks for the batch tests: sohoa's own PDFs (receipt, cover sheet) printed to an image
and degraded like a scan (grey, skewed a few degrees, noise), mixed with rendered text pages."""

from __future__ import annotations

import random

import numpy as np
import pypdfium2
from PIL import Image

from tests.support.render import degrade, render_page


def scan_pdf_page(
    pdf_path, dpi: int, *, seed: int, skew_deg: float = 2.5, noise: float = 10.0
) -> Image.Image:
    """The first page of a PDF as a scanner would give it back: greyscale at ``dpi``, skewed, noisy."""
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        image = pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()
    # A fixed tilt of about skew_deg (degrade draws in [-skew, skew]; make it really skewed).
    sign = 1 if random.Random(seed).random() < 0.5 else -1
    image = image.rotate(sign * skew_deg, expand=False, fillcolor="white", resample=Image.BICUBIC)
    return degrade(image, seed=seed, skew_deg=0.0, noise=noise, blur=0.5).convert("L")


def text_page(lines: list[str], dpi: int, seed: int) -> Image.Image:
    """A rendered and degraded text page, greyscale."""
    return degrade(render_page(lines, dpi=dpi), seed=seed).convert("L")


def blank_page(dpi: int, seed: int) -> Image.Image:
    """The blank back of a duplex scan: paper grey, sensor noise and a few specks of dust."""
    w, h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    rng = np.random.default_rng(seed)
    arr = (rng.normal(240, 6, (h, w))).clip(0, 255).astype("uint8")
    for _ in range(20):
        y, x = rng.integers(0, h - 3), rng.integers(0, w - 3)
        arr[y : y + 2, x : x + 2] = 30
    return Image.fromarray(arr, "L")


def save_stack(pages: list[Image.Image], path, dpi: int) -> None:
    """One multi-page image PDF, as a network scanner writes a stack."""
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
