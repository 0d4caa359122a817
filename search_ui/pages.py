"""Page images rendered from the archival PDF/A (pypdfium2), cached in the data directory."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from archive.model import Document

THUMB_WIDTH = 220
VIEW_WIDTH = 1000
_RENDER_LOCK = threading.Lock()  # pdfium is not thread-safe


def page_image(services, doc: Document, number: int, width: int = VIEW_WIDTH) -> Path | None:
    """PNG of page ``number`` (1-based) of the document's archival PDF, ``width`` pixels wide."""
    if doc.archival is None or not 1 <= number <= max(doc.page_count, 1):
        return None
    cache = services.settings.data_dir / "cache" / "pages" / doc.id
    target = cache / f"{number}-{width}.png"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with _RENDER_LOCK:
        if target.exists():
            return target
        import pypdfium2 as pdfium

        with tempfile.NamedTemporaryFile(suffix=".pdf", dir=cache) as tmp:
            with services.store.open(doc.archival.key) as src:
                shutil.copyfileobj(src, tmp)
            tmp.flush()
            pdf = pdfium.PdfDocument(tmp.name)
            try:
                if number > len(pdf):
                    return None
                page = pdf[number - 1]
                scale = width / page.get_width()
                image = page.render(scale=scale).to_pil()
            finally:
                pdf.close()
        part = target.with_suffix(f".{os.getpid()}.part")
        image.save(part, format="PNG", optimize=True)
        os.replace(part, target)  # concurrent readers see a whole file or none
    return target
