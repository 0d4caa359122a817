"""An image's pixel count read from its header at upload, so an oversized scan is refused in the
answer to the upload, before a job is queued, with the code the pipeline would give
(``too_many_pixels``). Only the header is read: no pixel is decoded in the web process. Counter
inspection and OCR (in the sandbox) still check every frame."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from PIL import ImageFile, JpegImagePlugin, PngImagePlugin, TiffImagePlugin, UnidentifiedImageError

from ingest.reasons import Reason
from ingest.refusal import Refusal

# The format's own header parser (a class Pillow registers for the format).
PLUGINS: dict[str, Callable[[BinaryIO], ImageFile.ImageFile]] = {
    "image/png": PngImagePlugin.PngImageFile,
    "image/jpeg": JpegImagePlugin.JpegImageFile,
    "image/tiff": TiffImagePlugin.TiffImageFile,
}


def _millions(n: int) -> str:
    """Millions with one decimal, the Vietnamese way (178,9)."""
    return f"{n / 1_000_000:.1f}".replace(".", ",")


def too_many_pixels(size: tuple[int, int], max_pixels: int) -> Refusal:
    """The refusal, with the image's size."""
    w, h = size
    return Refusal(
        Reason.TOO_MANY_PIXELS,
        f"Ảnh quá lớn: {w} × {h} điểm ảnh ({_millions(w * h)} triệu), vượt giới hạn "
        f"{_millions(max_pixels)} triệu điểm ảnh một trang; hãy quét lại ở độ phân giải thấp hơn "
        "(300 dpi là đủ).",
    )


def check_image_pixels(path: Path, content_type: str, max_pixels: int) -> None:
    """Raise ``Refusal`` (``too_many_pixels``) when the image's first frame has more pixels than
    ``max_pixels``; a header that does not parse is left to inspection (it says what is damaged)."""
    plugin = PLUGINS.get(content_type)
    if plugin is None:
        return
    try:
        # The format's own class parses the header only; ``Image.open`` would stop at Pillow's
        # bomb bound before the size could be told to the officer.
        with open(path, "rb") as fh, plugin(fh) as img:
            size = img.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return
    if size[0] * size[1] > max_pixels:
        raise too_many_pixels(size, max_pixels)
