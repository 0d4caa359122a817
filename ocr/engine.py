"""Turn an image or PDF into an archival PDF/A-2b with per-page text, confidence and re-scan warnings.

One Tesseract process per job (thread), each page cleaned only when it needs it; the PDF/A keeps the
colour original and carries the text recognised on the cleaned image.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from ocr.errors import OcrError
from ocr.inputs import Limits, PageSource, encode_jpeg, open_input
from ocr.pdfa import GraftPage, ImagePage, VectorPage, write_pdfa
from ocr.preprocess import Prepared, prepare
from ocr.quality import MIN_READABLE_PX, Thresholds, assess, warning_message, word_stats
from ocr.tesseract import Recognised, orientation, recognise

log = logging.getLogger(__name__)


@dataclass
class OcrPage:
    """One page's text (NFC), mean word confidence (0-100, None when not OCR'd) and quality.

    ``source`` is ``ocr`` or ``textlayer``; ``warnings`` holds re-scan reason codes (see ``ocr.quality``).
    """

    number: int
    text: str
    confidence: float | None = None
    source: str = "ocr"
    warnings: list[str] = field(default_factory=list)
    quality: dict = field(default_factory=dict)

    @property
    def needs_rescan(self) -> bool:
        """True when the counter officer should scan this page again."""
        return bool(self.warnings)

    @property
    def rescan_reasons(self) -> list[str]:
        """The Vietnamese reasons behind ``warnings``."""
        return [warning_message(w) for w in self.warnings]


@dataclass
class OcrResult:
    """The PDF/A written and its pages in order."""

    pdfa_path: Path
    pages: list[OcrPage]

    @property
    def text(self) -> str:
        """All pages' text, separated by form feeds."""
        return "\f".join(p.text for p in self.pages)


@dataclass
class _Options:
    language: str
    thresholds: Thresholds
    limits: Limits
    clean: bool | None
    workdir: Path
    page_timeout: float = 300.0  # Tesseract's seconds for one page
    on_page: Callable[[int, int], None] | None = None  # told (page, pages) as a page starts


def _stored_image(src: PageSource, img: Image.Image, min_dpi: int) -> tuple[bytes, Image.Image, float]:
    """The JPEG that goes into the PDF/A: the original bytes when possible, never below ``min_dpi``."""
    dpi = src.render_dpi
    if dpi < min_dpi:  # the archival rule wants >= 200 dpi; the page is flagged for re-scan anyway
        f = min_dpi / dpi
        img = img.resize((round(img.width * f), round(img.height * f)), Image.Resampling.BICUBIC)
        return encode_jpeg(img), img, float(min_dpi)
    return (src.jpeg or encode_jpeg(img)), img, dpi


def _read_upright(
    src: PageSource, img: Image.Image, opt: _Options
) -> tuple[Image.Image, Prepared, Recognised, int]:
    """Recognise the page; if it reads badly and OSD says it lies sideways or upside down, turn it and
    read again. Returns the (turned) colour image, the preparation, the text and the turn in degrees."""
    work = opt.workdir / f"p{src.number:05d}"
    prep = prepare(img, src.render_dpi, force=opt.clean)
    rec = recognise(prep.image, prep.dpi, work, language=opt.language, timeout=opt.page_timeout)
    conf = word_stats(rec.words, opt.thresholds.doubtful_word_conf)[0]
    turned = 0
    if prep.ink >= opt.thresholds.blank_ink and (conf is None or conf < opt.thresholds.min_confidence):
        turned = orientation(prep.image, prep.dpi, work)
        if turned:
            img = img.rotate(turned, expand=True)
            prep = prepare(img, src.render_dpi, force=opt.clean)
            rec = recognise(
                prep.image, prep.dpi, work / "turned", language=opt.language, timeout=opt.page_timeout
            )
    del prep.image
    return img, prep, rec, turned


def _process(
    src: PageSource, opt: _Options, allow_vector: bool
) -> tuple[OcrPage, ImagePage | VectorPage | GraftPage]:
    """Recognise one page (or take its trusted text layer) and build what the PDF/A writer needs."""
    trusted = bool(src.extra.get("text_good"))
    if trusted and src.keep_vector and allow_vector:
        quality, warnings = assess(words=None, dpi=300, skew=0.0, ink=1.0, thresholds=opt.thresholds)
        page = OcrPage(src.number, src.text_layer or "", None, "textlayer", warnings, quality)
        return page, VectorPage(src.extra["pdf_bytes"], src.pdf_index or 0)
    img = src.load()
    if src.extra.get("truncated"):
        src.jpeg = None  # the cut original must not go into the PDF/A: the decoded part does
    if min(img.size) < MIN_READABLE_PX:
        return _too_small(src, img, opt)
    img, prep, rec, turned = _read_upright(src, img, opt)
    if allow_vector and src.extra.get("graft") and not turned:
        image_page: ImagePage | GraftPage = GraftPage(
            src.extra["pdf_bytes"], src.pdf_index or 0, rec.text_pdf, prep.rotated
        )
    else:
        jpeg, stored, dpi = _stored_image(src, img, opt.limits.min_dpi)
        image_page = ImagePage(
            jpeg, stored.width, stored.height, stored.mode == "L", dpi, rec.text_pdf, prep.rotated
        )
    words = None if trusted else rec.words
    quality, warnings = assess(
        words=words, dpi=src.native_dpi, skew=prep.skew, ink=prep.ink, thresholds=opt.thresholds
    )
    quality["cleaned"], quality["turned"] = prep.cleaned, turned
    _note_truncation(src, quality, warnings)
    if trusted:
        page = OcrPage(src.number, src.text_layer or "", None, "textlayer", warnings, quality)
    else:
        page = OcrPage(src.number, rec.text, quality.get("confidence"), "ocr", warnings, quality)
    return page, image_page


def _note_truncation(src: PageSource, quality: dict, warnings: list[str]) -> None:
    """The file was cut at or after this page: the officer is told on the page itself."""
    if src.extra.get("truncated"):
        warnings.append("truncated")
    quality["messages"] = [warning_message(w) for w in warnings]


def _too_small(src: PageSource, img: Image.Image, opt: _Options) -> tuple[OcrPage, ImagePage]:
    """A page too small to hold text: stored as it is, no text, the ``too_small`` warning (decided
    once for every input, so a 1x1 JPEG and a 3x40 fax strip end the same way)."""
    jpeg, stored, dpi = _stored_image(src, img, opt.limits.min_dpi)
    quality, warnings = assess(words=[], dpi=src.native_dpi, skew=0.0, ink=0.0, thresholds=opt.thresholds)
    warnings = ["too_small", *(w for w in warnings if w == "low_resolution")]
    quality["size"] = list(img.size)
    _note_truncation(src, quality, warnings)
    page = OcrPage(src.number, "", None, "ocr", warnings, quality)
    return page, ImagePage(jpeg, stored.width, stored.height, stored.mode == "L", dpi, None)


def ocr_to_pdfa(
    src: str | Path,
    out_pdf: str | Path,
    *,
    language: str = "vie",
    jobs: int = 1,
    limits: Limits | None = None,
    thresholds: Thresholds | None = None,
    clean: bool | None = None,
    title: str | None = None,
    page_timeout: float = 300.0,
    on_page: Callable[[int, int], None] | None = None,
) -> OcrResult:
    """OCR ``src`` (image or PDF) into ``out_pdf`` (PDF/A-2b) and return the pages' text and quality.

    ``jobs`` Tesseract processes run at once (one per core); ``clean`` forces (True) or skips (False) the
    preprocessing that is otherwise applied only to pages that need it; ``page_timeout`` bounds
    Tesseract's seconds on one page; ``on_page(number, pages)`` is called as each page starts (a
    caller shows progress). Raises ``OcrError`` with a code.
    """
    src, out_pdf = Path(src), Path(out_pdf)
    limits = limits or Limits()
    sources = open_input(src, limits)
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
        opt = _Options(language, thresholds or Thresholds(), limits, clean, Path(tmp), page_timeout, on_page)
        results = _run(sources, opt, jobs, allow_vector=True)
        try:
            write_pdfa([r[1] for r in results], out_pdf, title=title)
        except OcrError:
            if not any(isinstance(r[1], VectorPage | GraftPage) for r in results):
                raise
            log.info("pages copied from the PDF did not pass PDF/A as they are; rasterising them")
            results = _run(sources, opt, jobs, allow_vector=False)
            write_pdfa([r[1] for r in results], out_pdf, title=title)
    return OcrResult(pdfa_path=out_pdf, pages=[r[0] for r in results])


def _run(
    sources: list[PageSource], opt: _Options, jobs: int, allow_vector: bool
) -> list[tuple[OcrPage, ImagePage | VectorPage | GraftPage]]:
    def one(s: PageSource) -> tuple[OcrPage, ImagePage | VectorPage | GraftPage]:
        if opt.on_page is not None:
            opt.on_page(s.number, len(sources))
        return _process(s, opt, allow_vector)

    if jobs <= 1 or len(sources) == 1:
        return [one(s) for s in sources]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, sources))
