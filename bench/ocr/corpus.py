"""The bench corpus: Vietnamese administrative pages at three damage levels, generated here."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
from PIL import Image

from tests.support.render import DAMAGE_LEVELS, save_admin_scan


def build(out: Path, per_level: int) -> list[dict]:
    """Write ``per_level`` pages per damage level into ``out``; returns [{path, level, truths}] (cached)."""
    out.mkdir(parents=True, exist_ok=True)
    index = out / "corpus.json"
    if index.exists():
        items = json.loads(index.read_text(encoding="utf-8"))
        if len(items) == per_level * len(DAMAGE_LEVELS) and all(Path(i["path"]).exists() for i in items):
            return items
    items = []
    for li, level in enumerate(DAMAGE_LEVELS):
        suffix = ".png" if level == "clean" else ".jpg"
        for k in range(per_level):
            seed = 1000 * (li + 1) + k
            path, truths = save_admin_scan(out / f"{level}-{k:02d}{suffix}", level, seed, orders=True)
            items.append({"path": str(path), "level": level, "truths": truths})
    index.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return items


def dossier_pdf(items: list[dict], out: Path, pages: int) -> Path:
    """A scanned multi-page dossier (image-only PDF) mixing the levels, for the throughput run."""
    chosen = [items[(i * 7) % len(items)] for i in range(pages)]
    images = []
    for item in chosen:
        img = Image.open(item["path"])
        img.load()
        images.append((img.convert("RGB"), img.info.get("dpi", (300, 300))[0]))
    # PIL writes one resolution for all pages: save page by page so each keeps its own dpi.
    pdf = pikepdf.new()
    for i, (img, dpi) in enumerate(images):
        tmp = out / f"_dossier_{i}.pdf"
        img.save(tmp, resolution=float(dpi), quality=85)
        with pikepdf.open(tmp) as one:
            pdf.pages.extend(one.pages)
        tmp.unlink()
    path = out / f"dossier-{pages}.pdf"
    pdf.save(path)
    return path
