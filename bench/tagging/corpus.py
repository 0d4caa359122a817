"""The bench corpus: generated labelled documents, scanned at two damage levels, OCR'd once and cached.

OCR text is cached under ``bench/output/tagging/<level>/<doc id>-<key>.txt`` (pages separated by form
feeds); the key hashes the document, the damage settings and the OCR settings, so a change to any of
them re-OCRs just what changed, and reruns while tuning the tagger cost nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from ingest.tagging.digits import needs_second_opinion, reconcile
from tests.support.admin_docs import DAMAGE, AdminDoc, make_corpus, scan_pages

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "output" / "tagging"
TESSERACT_CONFIG = "--psm 3"
LEVELS = ("mild", "hard")
LAYOUT_VERSION = 4  # bump when tests/support/admin_docs/layout.py draws differently


ENGINES = ("tesseract", "sohoa")  # plain Tesseract, or the service's own ocr.ocr_to_pdfa


def cache_path(doc: AdminDoc, level: str, seed: int, engine: str = "tesseract") -> Path:
    fields = asdict(doc)
    if not any(fields.get("second_signer", ())):
        fields.pop("second_signer", None)  # added later: documents without one keep their cached OCR
    payload = json.dumps(
        [fields, DAMAGE[level], TESSERACT_CONFIG, seed, LAYOUT_VERSION], default=str, sort_keys=True
    )
    key = hashlib.sha256(payload.encode()).hexdigest()[:12]
    base = CACHE if engine == "tesseract" else CACHE / engine
    return base / level / f"{doc.doc_id}-{key}.txt"


def _sohoa_ocr(images: list, dpi: int) -> list[str]:
    """The service's OCR (preprocessing, Tesseract, PDF/A) on each page image."""
    import tempfile

    from ocr import ocr_to_pdfa

    out = []
    with tempfile.TemporaryDirectory(prefix="bench-tag-") as tmp:
        for k, img in enumerate(images):
            src = Path(tmp) / f"p{k}.png"
            img.save(src, dpi=(dpi, dpi))
            out.append(ocr_to_pdfa(src, Path(tmp) / f"p{k}.pdf", language="vie").pages[0].text)
    return out


def ocr_doc(doc: AdminDoc, level: str, seed: int, lang: str = "vie", engine: str = "tesseract") -> list[str]:
    """Scan and OCR one document, one Tesseract thread, as the service does."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    dpi = DAMAGE[level]["dpi"]
    images = scan_pages(doc, level, seed)
    if engine == "sohoa" and lang == "vie":
        return _sohoa_ocr(images, dpi)
    return [
        pytesseract.image_to_string(img, lang=lang, config=f"{TESSERACT_CONFIG} --dpi {dpi}")
        for img in images
    ]


def _write(path: Path, pages: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\f".join(pages), encoding="utf-8")
    tmp.replace(path)


def _ocr_and_cache(doc: AdminDoc, level: str, seed: int, engine: str = "tesseract") -> str:
    """The ``vie`` reading, and the ``eng`` second opinion of the pages with identifier-like digit runs."""
    path = cache_path(doc, level, seed, engine)
    if not path.exists():
        _write(path, ocr_doc(doc, level, seed, engine=engine))
    eng = path.with_suffix(".eng.txt")
    if not eng.exists():
        pages = path.read_text(encoding="utf-8").split("\f")
        if any(needs_second_opinion(p) for p in pages):
            second = ocr_doc(doc, level, seed, lang="eng")
            _write(eng, [s if needs_second_opinion(p) else "" for p, s in zip(pages, second, strict=True)])
        else:
            _write(eng, ["" for _ in pages])
    return doc.doc_id


def _cached(doc: AdminDoc, level: str, seed: int, digits: bool, engine: str) -> list[str]:
    path = cache_path(doc, level, seed, engine)
    pages = path.read_text(encoding="utf-8").split("\f")
    if not digits:
        return pages
    second = path.with_suffix(".eng.txt").read_text(encoding="utf-8").split("\f")
    return [reconcile(p, s) if s else p for p, s in zip(pages, second, strict=True)]


def load(
    n: int = 66,
    seed: int = 2024,
    levels: tuple[str, ...] = LEVELS,
    jobs: int = 2,
    progress: bool = True,
    digits: bool = False,
    engine: str = "tesseract",
) -> dict[str, list[tuple[AdminDoc, list[str]]]]:
    """``{level: [(doc, page texts)]}``, OCR-ing (in ``jobs`` processes) only what is not cached.
    With ``digits``, identifier-like digit runs are checked against the ``eng`` reading."""
    docs = make_corpus(n, seed)
    todo = [
        (d, lv, i)
        for lv in levels
        for i, d in enumerate(docs)
        if not cache_path(d, lv, i, engine).with_suffix(".eng.txt").exists()
    ]
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_ocr_and_cache, d, lv, i, engine) for d, lv, i in todo]
            for k, fut in enumerate(futures, 1):
                fut.result()
                if progress:
                    print(f"\rOCR {k}/{len(todo)}", end="", flush=True)
        if progress:
            print()
    return {lv: [(d, _cached(d, lv, i, digits, engine)) for i, d in enumerate(docs)] for lv in levels}
