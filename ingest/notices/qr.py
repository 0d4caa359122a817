"""QR codes that sohoa prints (receipt, batch cover sheet), drawn as vector squares with reportlab.

The payload is ``SOHOA:<dossier code>``, and on a cover sheet ``;role=<role>;component=<name>``
(DESIGN.md, batches). Text is encoded as UTF-8 bytes without ECI; the reader decodes the raw bytes
as UTF-8, so a Vietnamese component name comes back as it was printed.
"""

from __future__ import annotations

import segno
from reportlab.pdfgen.canvas import Canvas

PREFIX = "SOHOA:"


def payload(dossier_code: str, role: str = "", component: str = "") -> str:
    """The text of a sohoa QR code; ``role`` (and ``component``) only on a cover sheet."""
    text = f"{PREFIX}{dossier_code}"
    if role:
        text += f";role={role};component={component}"
    return text


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``text`` with its lower-left corner at (x, y), ``size`` points wide,
    quiet zone included (2 modules: the paper around it is white)."""
    # Error level M: survives a photocopy's specks; the payload is short, so the modules stay big.
    qr = segno.make(text, error="m", encoding="utf-8", micro=False, boost_error=False)
    rows = [list(r) for r in qr.matrix]
    n = len(rows) + 4
    module = size / n
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                # Slight overlap so no hairline gaps appear between modules when rasterised.
                px = x + (c + 2) * module
                py = y + size - (r + 3) * module
                canvas.rect(px, py, module * 1.02, module * 1.02, stroke=0, fill=1)
    canvas.restoreState()
