"""The real-document bench corpus: split, scanned at three damage levels, OCR'd once and cached.

The 292 documents of ``../shared/corpus/real-docs`` are split once into a development part (tuned on)
and a held-back test part (never tuned on), by type, so that every type has documents in both parts:
``real_split.json`` beside this file is that split, committed.

Levels: ``mild`` and ``hard`` are the damage of ``bench/tagging`` (a counter scanner; kept in colour,
as counter scanners scan), ``photocopy`` a bad photocopy (150 dpi grey, skew up to 4 degrees, a fold,
toner specks, JPEG q50: ``tests.support.render.damage_level``). OCR is the service's own recognition
(``ocr.preprocess.prepare`` then ``ocr.tesseract.recognise``, one thread) on the first and last page; the
words Tesseract found, with their boxes, are cached per page in ``bench/output/tagging-real/``, and the
page text is rebuilt from them at every run by ``ocr.tesseract.text_from_rows``: reruns while tuning the
tagger or the reading order cost no OCR. To keep OCR affordable, the bench reads the top half of the
first page and the closing part of the last one (``tests.support.real_docs.scanned_pages``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

from tests.support.real_docs import RealDoc, load_corpus, perfect_rows, scanned_pages

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "output" / "tagging-real"
SPLIT_FILE = Path(__file__).with_name("real_split.json")
LEVELS = ("text", "mild", "hard", "photocopy")  # text: the drawn words, no OCR (tagger logic only)
RENDER_VERSION = 3  # bump when tests/support/real_docs.py draws differently
OCR_VERSION = 1  # bump when the recognition (not the text rebuilt from its words) changes
SCAN = {
    "mild": {"dpi": 300, "skew": 0.4, "noise": 6.0, "blur": 0.5, "jpeg": 85},
    "hard": {"dpi": 200, "skew": 1.2, "noise": 22.0, "blur": 0.8, "jpeg": 30},
    "photocopy": {"dpi": 150},
    "text": {},
}


def make_split(docs: list[RealDoc]) -> dict[str, list[str]]:
    """Half of each type to ``dev``, half to ``test`` (an odd one to ``test``), organs spread over both:
    within a type, documents sorted by organ then by a hash of their id, taken in turns."""
    by_type: dict[str, list[RealDoc]] = defaultdict(list)
    for doc in docs:
        by_type[doc.meta["type"]].append(doc)
    split: dict[str, list[str]] = {"dev": [], "test": []}
    for kind in sorted(by_type):
        ordered = sorted(
            by_type[kind], key=lambda d: (d.meta["organ"], hashlib.sha256(d.doc_id.encode()).hexdigest())
        )
        for i, doc in enumerate(ordered):
            split["test" if i % 2 == 0 else "dev"].append(doc.doc_id)
    return {part: _interleaved(ids) for part, ids in split.items()}


def _interleaved(ids: list[str]) -> list[str]:
    """Ids taken in turns from each type (the id's prefix), so the first N of a part are a sample of
    every type: ``--limit`` then gives a stratified subset."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest()):
        by_type[doc_id.split("-")[0]].append(doc_id)
    queues = sorted(by_type.values(), key=len, reverse=True)
    total = len(ids)
    out: list[str] = []
    taken = dict.fromkeys(range(len(queues)), 0)
    while len(out) < total:
        # the type furthest behind its share goes next
        k = min(taken, key=lambda q: (taken[q] / len(queues[q]) if taken[q] < len(queues[q]) else 9, q))
        out.append(queues[k][taken[k]])
        taken[k] += 1
    return out


def read_split() -> dict[str, list[str]]:
    """The committed split (``{dev: [...], test: [...]}``)."""
    return dict(json.loads(SPLIT_FILE.read_text(encoding="utf-8")))


def _seed(doc: RealDoc, page: int) -> int:
    return int(hashlib.sha256(f"{doc.doc_id}:{page}".encode()).hexdigest()[:8], 16)


def scan(doc: RealDoc, level: str) -> list[tuple[int, Image.Image, int]]:
    """``[(page number, scanned image, dpi)]`` of the pages the bench reads, at damage ``level``."""
    from tests.support.render import damage_level

    cfg = SCAN[level]
    dpi = 300 if level == "photocopy" else cfg["dpi"]
    out = []
    for number, img in scanned_pages(doc, dpi):
        seed = _seed(doc, number)
        if level == "photocopy":
            scanned, got_dpi = damage_level(img, "photocopy", seed)
            scanned = _jpeg(scanned, 50)
        else:
            scanned, got_dpi = _colour_damage(img, level, seed), cfg["dpi"]
        out.append((number, scanned, got_dpi))
    return out


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def _colour_damage(img: Image.Image, level: str, seed: int) -> Image.Image:
    """bench/tagging's damage at ``level`` (skew, blur, grain, JPEG) on a colour page."""
    import random

    import numpy as np
    from PIL import ImageFilter

    cfg = SCAN[level]
    angle = random.Random(seed).uniform(-cfg["skew"], cfg["skew"])
    out = img.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    out = out.filter(ImageFilter.GaussianBlur(cfg["blur"]))
    grain = np.random.default_rng(seed).normal(0, cfg["noise"], (out.height, out.width, 1))
    arr = np.asarray(out).astype("float32") + grain
    return _jpeg(Image.fromarray(arr.clip(0, 255).astype("uint8")), cfg["jpeg"])


def cache_path(doc: RealDoc, level: str) -> Path:
    payload = json.dumps([doc.meta, doc.lines, SCAN[level], RENDER_VERSION, OCR_VERSION], sort_keys=True)
    key = hashlib.sha256(payload.encode()).hexdigest()[:12]
    return CACHE / level / f"{doc.doc_id}-{key}.json"


def ocr_doc(doc: RealDoc, level: str) -> list[dict]:
    """Scan and recognise ``doc`` as the service does; ``[{page, dpi, rows}]`` with Tesseract's words."""
    from ocr.preprocess import prepare
    from ocr.tesseract import recognise

    os.environ["OMP_THREAD_LIMIT"] = "1"
    out = []
    with tempfile.TemporaryDirectory(prefix="bench-real-") as tmp:
        for number, img, dpi in scan(doc, level):
            prep = prepare(img, dpi)
            rec = recognise(prep.image, prep.dpi, Path(tmp) / f"p{number}")
            out.append({"page": number, "dpi": prep.dpi, "rows": rec.rows})
    return out


def _ocr_and_cache(doc: RealDoc, level: str) -> str:
    path = cache_path(doc, level)
    if not path.exists():
        pages = ocr_doc(doc, level)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    return doc.doc_id


def page_texts(doc: RealDoc, level: str) -> list[str]:
    """The cached recognition of ``doc`` turned into page texts by the current reading-order code."""
    from ocr.tesseract import text_from_rows

    if level == "text":
        return [text_from_rows(rows) for rows in perfect_rows(doc)]
    pages = json.loads(cache_path(doc, level).read_text(encoding="utf-8"))
    return [text_from_rows(p["rows"]) for p in pages]


def load(
    part: str,
    levels: tuple[str, ...],
    limit: int = 0,
    jobs: int = 2,
    progress: bool = True,
    cached_only: bool = False,
) -> dict[str, list[tuple[RealDoc, list[str]]]]:
    """``{level: [(doc, page texts)]}`` of split ``part`` (its first ``limit`` documents when > 0),
    OCR-ing in ``jobs`` processes only what is not cached yet (with ``cached_only``, skipping it)."""
    wanted = read_split()[part]
    wanted = wanted[:limit] if limit else wanted
    by_id = {d.doc_id: d for d in load_corpus()}
    docs = [by_id[i] for i in wanted]
    todo = [(d, lv) for d in docs for lv in levels if lv != "text" and not cache_path(d, lv).exists()]
    if cached_only:
        return {
            lv: [(d, page_texts(d, lv)) for d in docs if lv == "text" or cache_path(d, lv).exists()]
            for lv in levels
        }
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_ocr_and_cache, d, lv) for d, lv in todo]
            for k, fut in enumerate(futures, 1):
                fut.result()
                if progress:
                    print(f"\rOCR {k}/{len(todo)} ({part})", end="", flush=True)
        if progress:
            print()
    return {lv: [(d, page_texts(d, lv)) for d in docs] for lv in levels}
