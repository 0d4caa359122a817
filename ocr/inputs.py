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
from ocr.imagefile import count_frames, load_frame

A4_LONG_IN = 11.69
IMAGE_HEADS = (b"\x89PNG", b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
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


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation tag (1 when absent or unreadable: a cut PNG fails looking for it)."""
    try:
        return int(img.getexif().get(0x0112, 1))
    except (OSError, SyntaxError, ValueError, EOFError):
        return 1


def _frame_loader(path: Path, i: int, limits: Limits, extra: dict) -> Callable[[], Image.Image]:
    """Load frame ``i``; a frame cut short is kept (``extra['truncated']``), and a later frame that
    does not decode at all becomes a white page with the same warning rather than losing the file."""

    def load() -> Image.Image:
        try:
            img, cut = load_frame(path, i)
        except OcrError:
            if i == 0:
                raise
            extra["truncated"] = True
            return Image.new("L", extra.get("size", (1, 1)), 255)
        with img:
            _check_pixels(*img.size, limits)
            extra["truncated"] = extra.get("truncated", False) or cut
            return normalise_image(img)

    return load


def open_images(path: Path, limits: Limits) -> list[PageSource]:
    """Pages of an image file (multi-page TIFF and BigTIFF included), read as far as they go."""
    try:
        with Image.open(path) as probe:
            fmt = probe.format
            _check_pixels(*probe.size, limits)
        n, cut = count_frames(path, limits.max_pages)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        # an image by its first bytes that does not open is a damaged one; anything else is no image
        with open(path, "rb") as fh:
            head = fh.read(4)
        code = "damaged" if head in IMAGE_HEADS or head[:3] == b"\xff\xd8\xff" else "unreadable"
        raise OcrError(code, str(exc)) from exc
    if n > limits.max_pages:
        raise OcrError("too_many_pages", f"{n} > {limits.max_pages}")
    pages = []
    for i in range(n):
        try:
            with Image.open(path) as img:
                img.seek(i)
                _check_pixels(*img.size, limits)
                dpi, size = image_dpi(img), img.size
                upright = _orientation(img) in (0, 1)
                plain = fmt == "JPEG" and upright and img.mode in ("RGB", "L")
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            if i == 0:
                raise OcrError("damaged", str(exc)) from exc
            pages[-1].extra["truncated"] = True  # the chain of pages breaks here
            break
        extra: dict = {"size": size, "truncated": cut and i == n - 1}
        pages.append(
            PageSource(
                number=i + 1,
                native_dpi=dpi,
                render_dpi=dpi,
                load=_frame_loader(path, i, limits, extra),
                jpeg=path.read_bytes() if plain else None,
                extra=extra,
            )
        )
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
