"""Seconds to render one page image of the web app (``search_ui.pages``): pdfium render at the
view width, then PNG encoding with the zlib level the app uses and with ``optimize=True`` (what it
used before issue 15: the confirmation screen shows every page, each image costs that much).

    .venv/bin/python -m bench.pages [--pages 3] [--dpi 200]

The page is a generated A4 scan (colour, 200 dpi) made into a PDF the way the archive stores it
(an image PDF; no OCR: the figure is about rendering).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from search_ui.pages import VIEW_WIDTH
from tests.conftest import PAGE_DECISION
from tests.support.render import save_pdf


def _times(pdf: bytes, pages: int, **png) -> tuple[float, int]:
    """Median seconds per page (render + encode) and the PNG size of the last one."""
    seconds, size = [], 0
    for number in range(pages):
        start = time.perf_counter()
        doc = pdfium.PdfDocument(pdf)
        page = doc[number]
        image = page.render(scale=VIEW_WIDTH / page.get_width()).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", **png)
        doc.close()
        seconds.append(time.perf_counter() - start)
        size = len(out.getvalue())
    return statistics.median(seconds), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = save_pdf([PAGE_DECISION] * args.pages, Path(tmp) / "p.pdf", dpi=args.dpi, seed=5)
        pdf = path.read_bytes()
    for label, png in (
        ("compress_level=1 (app)", {"compress_level": 1}),
        ("optimize=True (before)", {"optimize": True}),
    ):
        median, size = _times(pdf, args.pages, **png)
        print(f"{label:<26} {median:6.2f} s/page  {size / 1e6:5.2f} MB")


if __name__ == "__main__":
    main()
