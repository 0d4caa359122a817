"""Generate Vietnamese 'scans' for the tests: text rendered with real fonts, degraded like a scan.

Nothing here is mocked: the images go through real Tesseract in the tests.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/noto"),
             Path("/usr/share/fonts/truetype/dejavu")]
FONT_FILES = ["LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf", "DejaVuSerif.ttf"]
A4_MM = (210, 297)


def font_path(bold: bool = False) -> Path:
    """The first installed serif font with Vietnamese glyphs."""
    for name in FONT_FILES:
        if bold:
            name = name.replace("-Regular", "-Bold").replace("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")
        for d in FONT_DIRS:
            if (d / name).exists():
                return d / name
    raise FileNotFoundError("no serif font with Vietnamese glyphs installed (fonts-liberation2/noto)")


def render_page(lines: list[str], dpi: int = 300, size_pt: float = 13.0) -> Image.Image:
    """An A4 page (RGB) with ``lines`` of text, 2 cm margins, at ``dpi``."""
    w, h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(font_path()), round(size_pt / 72 * dpi))
    margin = round(20 / 25.4 * dpi)
    y, step = margin, round(size_pt / 72 * dpi * 1.5)
    for line in lines:
        draw.text((margin, y), line, font=font, fill=(20, 20, 20))
        y += step
    return img


def degrade(img: Image.Image, *, seed: int = 0, skew_deg: float = 1.0, noise: float = 8.0,
            blur: float = 0.6) -> Image.Image:
    """Make a clean render look scanned: slight skew, blur, sensor noise."""
    rnd = random.Random(seed)
    out = img.rotate(rnd.uniform(-skew_deg, skew_deg), resample=Image.BICUBIC, expand=False,
                     fillcolor="white")
    out = out.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        import numpy as np

        arr = np.asarray(out).astype("int16")
        rng = np.random.default_rng(seed)
        arr = arr + rng.normal(0, noise, arr.shape).astype("int16")
        out = Image.fromarray(arr.clip(0, 255).astype("uint8"))
    return out


def save_scan(lines: list[str], path: str | Path, *, dpi: int = 300, seed: int = 0, **damage) -> Path:
    """Render, degrade and save one page (format from the suffix), recording its dpi."""
    path = Path(path)
    img = degrade(render_page(lines, dpi=dpi), seed=seed, **damage)
    img.save(path, dpi=(dpi, dpi))
    return path


def save_pdf(pages: list[list[str]], path: str | Path, *, dpi: int = 300, seed: int = 0) -> Path:
    """A multi-page scanned PDF (images only, no text layer)."""
    path = Path(path)
    images = [degrade(render_page(lines, dpi=dpi), seed=seed + i) for i, lines in enumerate(pages)]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path
