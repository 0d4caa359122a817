"""What the inputs of OCR are made of, shared by the image and the PDF readers: the bounds on one
input, one page source, and the image normalisation. A module of its own so that ``inputs`` (which
picks the reader) and ``pdfinput`` (one reader) both import it and not each other."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps

from ocr.errors import OcrError

# pdfium is not thread-safe: every call into it goes through this lock.
PDFIUM_LOCK = threading.Lock()


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


def check_pixels(w: int, h: int, limits: Limits) -> None:
    if w * h > limits.max_pixels:
        raise OcrError("too_many_pixels", f"{w}x{h} > {limits.max_pixels}")
