"""Is this scanned page a separator (a receipt or a cover sheet with a sohoa QR code), and of
which dossier? A QR code that is not sohoa's, or names a dossier that does not exist, is not a
separator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import zxingcpp
from PIL import Image, ImageOps

from ingest.notices.qr import PREFIX


@dataclass(frozen=True)
class Separator:
    """What a separator page says: the dossier, and on a cover sheet the role and component."""

    dossier_code: str
    role: str = ""  # "" on a receipt
    component: str = ""

    @property
    def cover(self) -> bool:
        return bool(self.role)


def parse(text: str) -> Separator | None:
    """``SOHOA:<code>`` or ``SOHOA:<code>;role=<role>;component=<name>``; anything else is None.
    The component name is the rest of the text, so it may hold ``;`` or ``=`` itself."""
    if not text.startswith(PREFIX):
        return None
    code, _, rest = text[len(PREFIX) :].partition(";")
    if not code:
        return None
    if not rest:
        return Separator(code)
    role_part, sep, component = rest.partition(";component=")
    if not role_part.startswith("role=") or not sep:
        return None
    return Separator(code, role_part[len("role=") :], component)


def _texts(image: Image.Image) -> list[str]:
    """The texts of every QR code zxing finds on the page (raw bytes as UTF-8: sohoa prints UTF-8)."""
    grey = ImageOps.grayscale(image)
    out = []
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    for candidate in (grey, ImageOps.autocontrast(grey, cutoff=1)):
        for r in zxingcpp.read_barcodes(candidate, formats=qr_only):
            out.append(bytes(r.bytes).decode("utf-8", errors="replace"))
        if out:
            break  # the plain page read; the contrast-stretched one is for faint photocopies
    return out


def read_separator(image: Image.Image, known: Callable[[str], bool]) -> Separator | None:
    """The separator this page is, or None: the first sohoa QR code naming a ``known`` dossier."""
    for text in _texts(image):
        sep = parse(text)
        if sep is not None and known(sep.dossier_code):
            return sep
    return None
