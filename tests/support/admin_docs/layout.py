"""Draw an ``AdminDoc`` as A4 pages in the Decree 30/2020 layout, and damage them like scans.

Two header columns (organ and number on the left, national motto and place-date on the right), the
title and trích yếu centred in bold, the body, recipients on the left and the signer block on the right.
"""

from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.support.admin_docs.content import AdminDoc

FONTS = {
    "liberation": (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf",
        {"r": "Regular", "b": "Bold", "i": "Italic", "bi": "BoldItalic"},
    ),
    "noto": (
        "/usr/share/fonts/truetype/noto/NotoSerif-{}.ttf",
        {"r": "Regular", "b": "Bold", "i": "Italic", "bi": "BoldItalic"},
    ),
    "dejavu": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif{}.ttf",
        {"r": "", "b": "-Bold", "i": "-Italic", "bi": "-BoldItalic"},
    ),
}
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
# Damage levels of the bench: a good flatbed scan, and a poor photocopy-like scan at 200 dpi.
DAMAGE = {
    "mild": {"dpi": 300, "skew": 0.4, "noise": 6.0, "blur": 0.5, "jpeg": 0},
    "hard": {"dpi": 200, "skew": 1.2, "noise": 22.0, "blur": 0.8, "jpeg": 30},
}


@lru_cache(maxsize=64)
def _font(family: str, style: str, px: int) -> ImageFont.FreeTypeFont:
    pattern, styles = FONTS[family]
    path = pattern.format(styles[style])
    if not Path(path).exists():  # DejaVu has no BoldItalic serif on some systems
        path = pattern.format(styles["b" if "b" in style else "r"])
    return ImageFont.truetype(path, px)


class _Page:
    """A cursor over a list of A4 pages at ``dpi``; margins per Decree 30 (left 30 mm, right 15 mm)."""

    def __init__(self, dpi: int, family: str) -> None:
        self.dpi, self.family = dpi, family
        self.w, self.h = self.mm(210), self.mm(297)
        self.left, self.right, self.top, self.bottom = (
            self.mm(30),
            self.w - self.mm(15),
            self.mm(20),
            self.h - self.mm(20),
        )
        self.pages: list[Image.Image] = []
        self.new_page()

    def mm(self, v: float) -> int:
        return round(v / 25.4 * self.dpi)

    def font(self, style: str, pt: float) -> ImageFont.FreeTypeFont:
        return _font(self.family, style, round(pt / 72 * self.dpi))

    def new_page(self) -> None:
        self.pages.append(Image.new("RGB", (self.w, self.h), "white"))
        self.draw = ImageDraw.Draw(self.pages[-1])
        self.y = self.top

    def step(self, pt: float) -> int:
        return round(pt / 72 * self.dpi * 1.35)

    def text_at(
        self, text: str, x: float, y: float, style: str = "r", pt: float = 13, align: str = "left"
    ) -> None:
        font = self.font(style, pt)
        width = font.getlength(text)
        x = x - width / 2 if align == "center" else x
        self.draw.text((x, y), text, font=font, fill=(15, 15, 15))

    def rule(self, cx: float, y: float, length_mm: float) -> None:
        half = self.mm(length_mm) / 2
        self.draw.line([(cx - half, y), (cx + half, y)], fill=(30, 30, 30), width=max(1, self.dpi // 150))

    def wrap(self, text: str, style: str, pt: float, width: float) -> list[str]:
        font, lines, cur = self.font(style, pt), [], ""
        for word in text.split():
            trial = f"{cur} {word}".strip()
            if cur and font.getlength(trial) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        return [*lines, cur] if cur else lines

    def flow(
        self, text: str, style: str = "r", pt: float = 13, align: str = "left", indent_mm: float = 10
    ) -> None:
        """A paragraph across the text width, breaking pages when needed."""
        width = self.right - self.left
        for i, line in enumerate(
            self.wrap(text, style, pt, width - (self.mm(indent_mm) if align == "left" else 0))
        ):
            if self.y + self.step(pt) > self.bottom:
                self.new_page()
            if align == "center":
                self.text_at(line, (self.left + self.right) / 2, self.y, style, pt, "center")
            else:
                self.text_at(line, self.left + (self.mm(indent_mm) if i == 0 else 0), self.y, style, pt)
            self.y += self.step(pt)


def _header(p: _Page, doc: AdminDoc) -> None:
    lx, rx = p.left + p.mm(32), p.left + p.mm(117)
    y0 = p.y
    y = y0
    for i, line in enumerate(doc.organ):
        p.text_at(line, lx, y, "b" if i == len(doc.organ) - 1 else "r", 12.5, "center")
        y += p.step(12.5)
    if doc.organ:
        p.rule(lx, y + p.mm(1), 25)
        y += p.mm(4)
    yr = y0
    p.text_at(MOTTO, rx if doc.organ else (p.left + p.right) / 2, yr, "b", 12.5, "center")
    yr += p.step(12.5)
    p.text_at(SLOGAN, rx if doc.organ else (p.left + p.right) / 2, yr, "b", 13.5, "center")
    p.rule(rx if doc.organ else (p.left + p.right) / 2, yr + p.step(13.5) + p.mm(1), 55)
    yr += p.step(13.5) + p.mm(4)
    y = max(y, yr)  # the date line goes under the motto block even when the organ is one line
    if doc.number and doc.layout != "licence":
        p.text_at(f"Số: {doc.number}", lx, y, "r", 13, "center")
    if doc.layout != "don":
        p.text_at(doc.date_line, rx, y, "i", 13, "center")
    y += p.step(13)
    if doc.layout == "congvan":
        for line in p.wrap(doc.subject, "r", 12, p.mm(70)):
            p.text_at(line, lx, y, "r", 12, "center")
            y += p.step(12)
    p.y = y + p.mm(6)


def _title(p: _Page, doc: AdminDoc) -> None:
    if doc.layout == "congvan":
        p.flow(
            "Kính gửi: " + ("Ủy ban nhân dân các huyện, thành phố" if doc.organ else "Sở Tư pháp"),
            "r",
            14,
            "center",
        )
        p.y += p.mm(3)
        return
    p.flow(doc.title, "b", 14, "center")
    if doc.layout == "licence":
        p.flow(f"Số: {doc.number}", "r", 13, "center")
    elif doc.layout == "standard":
        p.flow(doc.subject, "b", 14, "center")
        p.rule((p.left + p.right) / 2, p.y + p.mm(2), 30)
        p.y += p.mm(2)
    else:
        p.flow("Kính gửi: Ủy ban nhân dân " + doc.place, "r", 14, "center")
    p.y += p.mm(6)


def _signature(p: _Page, doc: AdminDoc) -> None:
    need = p.step(13) * (len(doc.signer_position) + 2) + p.mm(30)
    if p.y + need > p.bottom:
        p.new_page()
    cx, y = p.left + p.mm(118), p.y
    if doc.layout == "don":
        p.text_at(doc.date_line, cx, y, "i", 13, "center")
        y += p.step(13)
    ry = y
    if doc.recipients:
        p.text_at("Nơi nhận:", p.left, ry, "bi", 12)
        for item in doc.recipients:
            ry += p.step(11)
            p.text_at(item, p.left, ry, "r", 11)
    second_position, second_name = doc.second_signer
    if second_position:
        p.text_at(second_position, p.left + p.mm(35), y, "b", 13, "center")
    for line in doc.signer_position:
        p.text_at(line, cx, y, "b", 13, "center")
        y += p.step(13)
    if doc.layout == "don":
        p.text_at("(Ký và ghi rõ họ tên)", cx, y, "i", 12, "center")
    y += p.mm(24)
    if second_name:
        p.text_at(second_name, p.left + p.mm(35), y, "b", 13, "center")
    p.text_at(doc.signer_name, cx, y, "b", 13, "center")


def render_doc(doc: AdminDoc, dpi: int = 300) -> list[Image.Image]:
    """Clean renders of the document's pages (RGB)."""
    p = _Page(dpi, doc.font)
    _header(p, doc)
    _title(p, doc)
    for para in doc.body:
        p.flow(para, "r", 13.5)
        p.y += p.mm(1.5)
    p.y += p.mm(4)
    _signature(p, doc)
    return p.pages


def damage(img: Image.Image, level: str, seed: int) -> Image.Image:
    """Scan-like damage: skew, blur, grain and (for ``hard``) heavy JPEG compression."""
    cfg = DAMAGE[level]
    rnd = random.Random(seed)
    out = img.convert("L").rotate(
        rnd.uniform(-cfg["skew"], cfg["skew"]), resample=Image.BICUBIC, fillcolor=255
    )
    out = out.filter(ImageFilter.GaussianBlur(cfg["blur"]))
    import numpy as np

    arr = np.asarray(out).astype("int16") + np.random.default_rng(seed).normal(
        0, cfg["noise"], out.size[::-1]
    )
    out = Image.fromarray(arr.clip(0, 255).astype("uint8"))
    if cfg["jpeg"]:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=cfg["jpeg"])
        out = Image.open(io.BytesIO(buf.getvalue()))
    return out


def scan_pages(doc: AdminDoc, level: str, seed: int = 0) -> list[Image.Image]:
    """The document as scanned at damage ``level`` (``mild`` or ``hard``)."""
    dpi = DAMAGE[level]["dpi"]
    return [damage(img, level, seed * 31 + i) for i, img in enumerate(render_doc(doc, dpi))]
