"""Open whatever the counter produces (PDF, multi-page TIFF, JPEG, PNG, CMYK ...) as a list of pages.

Pages are loaded lazily: a 100-page dossier at 300 dpi would not fit in memory as decoded images.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.errors import OcrError

A4_LONG_IN = 11.69
# pdfium is not thread-safe: every call into it goes through this lock.
_PDFIUM_LOCK = threading.Lock()


@dataclass
class Limits:
    """Bounds on what one input may cost; passed in from the settings."""

    max_pages: int = 500
    max_pixels: int = 150_000_000  # per page, after rendering (A3 at 600 dpi is 70 MP)
    min_dpi: int = 200  # below this a page is flagged for re-scan, and stored upsampled to it
    max_render_dpi: int = 300


@dataclass
class PageSource:
    """One page of the input: how to get its image, and what its PDF text layer says (if any)."""

    number: int
    native_dpi: float
    load: Callable[[], Image.Image]  # RGB or L, exif-rotated, 8 bit
    render_dpi: float = 0.0  # dpi of the image ``load`` returns
    jpeg: bytes | None = None  # original JPEG bytes that may go into the PDF/A untouched
    text_layer: str | None = None  # None: not a PDF page
    pdf_index: int | None = None
    keep_vector: bool = False  # a born-digital PDF page that may be copied as it is
    extra: dict = field(default_factory=dict)


def normalise_image(img: Image.Image) -> Image.Image:
    """8-bit RGB or L, upright, transparent areas on white, CMYK and 16-bit converted."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img).astype("float64")
        hi = 65535.0 if arr.max() > 255 else 255.0
        return Image.fromarray((arr / hi * 255).clip(0, 255).astype("uint8"), "L")
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        bg = Image.new("RGB", rgba.size, "white")
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    if img.mode in ("1", "L"):
        return img.convert("L")
    if img.mode == "RGB":
        return img
    return img.convert("RGB")  # CMYK, YCbCr, LAB: PIL's conversion is good enough to read text


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


def _check_pixels(w: int, h: int, limits: Limits) -> None:
    if w * h > limits.max_pixels:
        raise OcrError("too_many_pixels", f"{w}x{h} > {limits.max_pixels}")


def open_images(path: Path, limits: Limits) -> list[PageSource]:
    """Pages of an image file (multi-page TIFF included)."""
    try:
        with Image.open(path) as probe:
            n = getattr(probe, "n_frames", 1)
            fmt = probe.format
            _check_pixels(*probe.size, limits)
    except (UnidentifiedImageError, OSError) as exc:
        raise OcrError("unreadable", str(exc)) from exc
    if n > limits.max_pages:
        raise OcrError("too_many_pages", f"{n} > {limits.max_pages}")

    def loader(i: int) -> Callable[[], Image.Image]:
        def load() -> Image.Image:
            with Image.open(path) as img:
                img.seek(i)
                _check_pixels(*img.size, limits)
                img.load()
                return normalise_image(img)

        return load

    pages = []
    for i in range(n):
        with Image.open(path) as img:
            img.seek(i)
            _check_pixels(*img.size, limits)
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
    if b"%PDF-" in head:
        from ocr.pdfinput import open_pdf

        pages = open_pdf(path, limits)
    else:
        pages = open_images(path, limits)
    if not pages:
        raise OcrError("empty")
    return pages


def encode_jpeg(img: Image.Image, quality: int = 90) -> bytes:
    """JPEG bytes of ``img`` for the PDF/A (colour kept, 4:4:4 so red seals stay crisp)."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, subsampling=0, optimize=False)
    return buf.getvalue()
