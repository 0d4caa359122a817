"""Open whatever the counter produces (PDF, multi-page TIFF, JPEG, PNG, CMYK ...) as a list of pages.

Pages are loaded lazily: a 100-page dossier at 300 dpi would not fit in memory as decoded images.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ocr.errors import OcrError
from ocr.imagefile import count_frames, load_frame
from ocr.pages import Limits, PageSource, check_pixels, normalise_image
from ocr.pdfinput import open_pdf

__all__ = ["Limits", "PageSource", "encode_jpeg", "image_dpi", "normalise_image", "open_images", "open_input"]

A4_LONG_IN = 11.69
IMAGE_HEADS = (b"\x89PNG", b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


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
            check_pixels(*img.size, limits)
            extra["truncated"] = extra.get("truncated", False) or cut
            return normalise_image(img)

    return load


def open_images(path: Path, limits: Limits) -> list[PageSource]:
    """Pages of an image file (multi-page TIFF and BigTIFF included), read as far as they go."""
    try:
        with Image.open(path) as probe:
            fmt = probe.format
            check_pixels(*probe.size, limits)
        n, cut = count_frames(path, limits.max_pages)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        # an image by its first bytes that does not open is a damaged one; anything else is no image
        with open(path, "rb") as fh:
            head = fh.read(4)
        code = "damaged" if head in IMAGE_HEADS or head[:3] == b"\xff\xd8\xff" else "unreadable"
        raise OcrError(code, str(exc)) from exc
    if n > limits.max_pages:
        raise OcrError("too_many_pages", f"{n} > {limits.max_pages}")
    pages: list = []
    for i in range(n):
        try:
            with Image.open(path) as img:
                img.seek(i)
                check_pixels(*img.size, limits)
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
    pages = open_pdf(path, limits) if b"%PDF-" in head else open_images(path, limits)
    if not pages:
        raise OcrError("empty")
    return pages


def encode_jpeg(img: Image.Image, quality: int = 90) -> bytes:
    """JPEG bytes of ``img`` for the PDF/A (colour kept, 4:4:4 so red seals stay crisp)."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, subsampling=0, optimize=False)
    return buf.getvalue()
