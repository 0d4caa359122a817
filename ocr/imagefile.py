"""Read image files as far as they go: a file cut short in transfer (the last chunk of a PNG, the
end of a JPEG, the last pages of a TIFF) keeps what can be decoded and says it was cut; a file with
nothing decodable is ``damaged``.

Pillow's tolerance for truncated data is a module-wide switch; it is turned on only around the
retry of a frame that failed, under a lock, so a sound file never passes as a cut one.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from ocr.errors import OcrError

_TRUNCATED_LOCK = threading.Lock()
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError)


def count_frames(path: Path, limit: int) -> tuple[int, bool]:
    """Frames of the file that open (at most ``limit + 1``) and whether the chain of frames was
    cut short (a TIFF whose later directories are missing)."""
    with Image.open(path) as img, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns on odd TIFF tags; the outcome says enough
        try:
            return int(getattr(img, "n_frames", 1)), False
        except DECODE_ERRORS:
            pass
        count = 1
        while count <= limit:
            try:
                img.seek(count)
            except EOFError:
                return count, False
            except DECODE_ERRORS:
                return count, True
            count += 1
        return count, False


def _whiten_unread_rows(img: Image.Image) -> Image.Image:
    """Pillow leaves rows it never decoded at zero (black); a cut page shows white paper there
    instead, so recognition sees no bar of ink."""
    arr = np.array(img)
    flat = arr.reshape(arr.shape[0], -1)
    nonzero = np.flatnonzero(flat.any(axis=1))
    last = int(nonzero[-1]) + 1 if nonzero.size else 0
    if last == arr.shape[0]:
        return img
    arr[last:] = 255
    return Image.fromarray(arr, img.mode)


def _load(path: Path, index: int) -> Image.Image:
    img = Image.open(path)
    try:
        img.seek(index)
        img.load()
    except BaseException:
        img.close()
        raise
    return img


def load_frame(path: Path, index: int) -> tuple[Image.Image, bool]:
    """Frame ``index`` decoded, and whether it was cut short. Raises ``OcrError('damaged')`` when
    not even a part of it decodes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _load(path, index), False
        except Image.DecompressionBombError:
            raise
        except DECODE_ERRORS as first:
            with _TRUNCATED_LOCK:
                ImageFile.LOAD_TRUNCATED_IMAGES = True
                try:
                    img = _load(path, index)
                except DECODE_ERRORS as exc:
                    raise OcrError("damaged", f"frame {index}: {first}; {exc}") from exc
                finally:
                    ImageFile.LOAD_TRUNCATED_IMAGES = False
    if img.mode in ("L", "RGB", "1"):  # zero is black only in these (CMYK's zero is white paper)
        cut = _whiten_unread_rows(img.convert("L") if img.mode == "1" else img)
        if cut is not img:
            img.close()
        return cut, True
    return img, True
