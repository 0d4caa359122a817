"""Open whatever the counter produces (PDF, multi-page TIFF, JPEG, PNG, CMYK ...) as a list of pages.

Pages are loaded lazily: a 100-page dossier at 300 dpi would not fit in memory as decoded images.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ocr.errors import OcrError
from ocr.pages import Limits, PageSource, check_pixels, normalise_image
from ocr.pdfinput import open_pdf

__all__ = ["Limits", "PageSource", "encode_jpeg", "image_dpi", "normalise_image", "open_images", "open_input"]

A4_LONG_IN = 11.69


def image_dpi(img: Image.Image) -> float:
    """The scan resolution, guessed from an A4 page when the file has none or an implausible one (72)."""
    dpi = img.info.get("dpi") or (0, 0)
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        value = 0.0
    long_side = max(img.size)
    if value < 50 or long_side / value > 17:  # larger than A3: the header lies
        value = long_side / A4_LONG_IN
    return round(value, 1)


def open_images(path: Path, limits: Limits) -> list[PageSource]:
    """Pages of an image file (multi-page TIFF included)."""
    try:
        with Image.open(path) as probe:
            n = getattr(probe, "n_frames", 1)
            fmt = probe.format
            check_pixels(*probe.size, limits)
    except (UnidentifiedImageError, OSError) as exc:
        raise OcrError("unreadable", str(exc)) from exc
    if n > limits.max_pages:
        raise OcrError("too_many_pages", f"{n} > {limits.max_pages}")

    def loader(i: int) -> Callable[[], Image.Image]:
        def load() -> Image.Image:
            with Image.open(path) as img:
                img.seek(i)
                check_pixels(*img.size, limits)
                img.load()
                return normalise_image(img)

        return load

    pages = []
    for i in range(n):
        with Image.open(path) as img:
            img.seek(i)
            check_pixels(*img.size, limits)
            dpi = image_dpi(img)
            upright = img.getexif().get(0x0112, 1) in (0, 1)
            jpeg = path.read_bytes() if fmt == "JPEG" and upright and img.mode in ("RGB", "L") else None
        pages.append(PageSource(number=i + 1, native_dpi=dpi, render_dpi=dpi, load=loader(i), jpeg=jpeg))
    return pages


def open_input(path: str | Path, limits: Limits | None = None) -> list[PageSource]:
    """Pages of ``path`` (PDF or image), or OcrError with a stable code."""
    path, limits = Path(path), limits or Limits()
    try:
        head = path.read_bytes()[:1024]
    except OSError as exc:
        raise OcrError("unreadable", str(exc)) from exc
    if not head:
        raise OcrError("empty", "zero-byte file")
    pages = open_pdf(path, limits) if b"%PDF-" in head else open_images(path, limits)
    if not pages:
        raise OcrError("empty")
    return pages


def encode_jpeg(img: Image.Image, quality: int = 90) -> bytes:
    """JPEG bytes of ``img`` for the PDF/A (colour kept, 4:4:4 so red seals stay crisp)."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, subsampling=0, optimize=False)
    return buf.getvalue()
