"""Real Vietnamese administrative documents (``../shared/corpus/real-docs``) drawn as printed pages.

The layout follows Decree 30/2020 as real documents print it: the organ block (left) and the national
motto with the place-date line (right) side by side, ``Số: ...`` (and a công văn's ``V/v`` lines)
under the organ, the type title and the trích yếu centred in bold, the body, and on the last page the
"Nơi nhận" list on the left beside the signature block on the right: position lines, a handwritten
signature in blue ink, the red seal over the signature's left part and the position's last line, and
the signer's name. Pages after the first carry their number at the top. Everything is drawn from the
``layout`` parts of ``metadata.jsonl``; nothing in the drawing depends on the tagger.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFont

from tests.support.admin_docs.layout import SLOGAN, _Page

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real-docs"
INK_BLUE = (25, 40, 150)
SEAL_RED = (210, 35, 45)


@dataclass
class RealDoc:
    """One record of ``metadata.jsonl`` with its text lines."""

    meta: dict[str, Any]
    lines: list[str]

    @property
    def doc_id(self) -> str:
        return str(self.meta["id"])

    @property
    def layout(self) -> dict[str, Any]:
        return dict(self.meta["layout"])

    def span(self, part: str) -> list[str]:
        start, end = self.layout["text_line_spans"].get(part, [0, 0])
        return self.lines[start:end]

    @property
    def family(self) -> str:
        """Most real documents are set in Times New Roman (Liberation Serif has its metrics)."""
        return "noto" if int(hashlib.sha256(self.doc_id.encode()).hexdigest(), 16) % 4 == 0 else "liberation"


def load_corpus(root: Path = CORPUS) -> list[RealDoc]:
    """Every document of the corpus at ``root``, in file order."""
    docs = []
    with (root / "metadata.jsonl").open(encoding="utf-8") as fh:
        for row in fh:
            meta = json.loads(row)
            text = (root / meta["text_file"]).read_text(encoding="utf-8")
            docs.append(RealDoc(meta, text.split("\n")))
    return docs


def _centred(p: _Page, lines: list[str], cx: float, y: float, style: str, pt: float, width: float) -> float:
    """Draw ``lines`` centred at ``cx``, each wrapped to ``width``; returns the y under them."""
    for line in lines:
        for part in p.wrap(line, style, pt, width):
            p.text_at(part, cx, y, style, pt, "center")
            y += p.step(pt)
    return y


def _header(p: _Page, doc: RealDoc) -> None:
    lay = doc.layout
    lx, rx = p.left + p.mm(35), p.left + p.mm(118)
    y0, y = p.y, p.y
    bold = lay.get("organ_bold") or []
    for i, line in enumerate(lay["organ_lines"]):
        style = "b" if (bold[i] if i < len(bold) else True) else "r"
        y = _centred(p, [line], lx, y, style, 12.5, p.mm(62))
    p.rule(lx, y + p.mm(1), 22)
    y += p.mm(4)
    yr = _centred(p, [lay["motto"][0]], rx, y0, "b", 12.5, p.mm(95))
    yr = _centred(p, [lay["motto"][1] if len(lay["motto"]) > 1 else SLOGAN], rx, yr, "b", 13.5, p.mm(95))
    p.rule(rx, yr + p.mm(1), 55)
    yr += p.mm(4)
    y = max(y, yr)
    p.text_at(lay["number_line"], lx, y, "r", 13, "center")
    p.text_at(lay["place_date"], rx, y, "i", 13, "center")
    y += p.step(13)
    if lay.get("vv"):
        y = _centred(p, [lay["vv"]], lx, y + p.mm(1), "r", 12, p.mm(62))
    p.y = y + p.mm(6)


def _title(p: _Page, doc: RealDoc) -> None:
    lay, width = doc.layout, p.right - p.left - p.mm(10)
    cx = (p.left + p.right) / 2
    if lay.get("type_title"):
        p.y = _centred(p, [lay["type_title"]], cx, p.y, "b", 14, width)
        if lay.get("subject_line"):
            p.y = _centred(p, [lay["subject_line"]], cx, p.y, "b", 14, width)
            p.rule(cx, p.y + p.mm(1.5), 35)
            p.y += p.mm(5)
        if lay.get("issuer_line"):
            p.y = _centred(p, [lay["issuer_line"]], cx, p.y + p.mm(2), "b", 13.5, width)
        p.y += p.mm(4)
    for line in doc.span("kinh_gui"):
        p.flow(line, "r", 14, "center")
    if lay.get("kinh_gui"):
        p.y += p.mm(3)


def _body(p: _Page, doc: RealDoc) -> None:
    styles = doc.layout.get("body_styles") or ""
    for i, line in enumerate(doc.span("body")):
        style = styles[i] if i < len(styles) else "r"
        centred = style == "b" and len(line) < 80 and line.isupper()
        p.flow(line, style, 13.5, "center" if centred else "left")
        p.y += p.mm(1.2)


def _block_height(p: _Page, doc: RealDoc) -> int:
    sig = doc.layout["signature"]
    return p.step(13) * (len(sig) + 1) + p.mm(28)


def _signature(p: _Page, doc: RealDoc, rnd: random.Random) -> None:
    sig = doc.layout["signature"]
    positions, name = sig[:-1], sig[-1]
    noi_nhan = doc.layout.get("noi_nhan") or []
    need = max(_block_height(p, doc), p.step(11) * len(noi_nhan))
    if p.y + min(need, p.bottom - p.top) > p.bottom:
        p.new_page()
    y0 = p.y + p.mm(3)
    p.closing_top = y0  # where "Nơi nhận" and the signature block start on the last page
    ry = y0
    for i, item in enumerate(noi_nhan):
        style, pt = ("bi", 12) if i == 0 else ("r", 11)
        for k, part in enumerate(p.wrap(item, style, pt, p.mm(72))):
            p.text_at(part, p.left + (p.mm(2) if k else 0), ry, style, pt)
            ry += p.step(pt) if i == 0 else round(p.step(pt) * 0.92)
    cx = p.left + p.mm(120)
    y = _centred(p, positions, cx, y0, "b", 13, p.mm(68))
    sign_top = y + p.mm(2)
    _scribble(p, (cx + p.mm(rnd.uniform(-6, 6)), sign_top + p.mm(9)), rnd)
    seal_r = p.mm(rnd.uniform(17, 19))
    seal_c = (cx - p.mm(rnd.uniform(14, 20)), y + seal_r * 0.55 - p.mm(rnd.uniform(0, 5)))
    _seal(p, seal_c, seal_r, doc.layout["organ_lines"], rnd)
    p.text_at(name, cx, sign_top + p.mm(24), "b", 13, "center")


def _scribble(p: _Page, centre: tuple[float, float], rnd: random.Random) -> None:
    """A handwritten-looking signature: a few loops and a long stroke in blue ink."""
    cx, cy = centre
    pts = []
    for k in range(60):
        t = k / 59
        x = cx + p.mm(30) * (t - 0.5) + p.mm(4) * math.sin(t * rnd.uniform(14, 22))
        y = cy + p.mm(6) * math.sin(t * rnd.uniform(5, 9) + 1) * (1 - t) + p.mm(3) * math.cos(t * 19)
        pts.append((x, y))
    p.draw.line(pts, fill=INK_BLUE, width=max(2, p.dpi // 110), joint="curve")
    p.draw.line(
        [(cx - p.mm(14), cy + p.mm(7)), (cx + p.mm(16), cy + p.mm(2))],
        fill=INK_BLUE,
        width=max(2, p.dpi // 130),
    )


@lru_cache(maxsize=256)
def _glyph(char: str, px: int) -> Image.Image:
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf", px)
    box = font.getbbox(char)
    img = Image.new("L", (max(1, box[2] - box[0] + 4), px + 8), 0)
    ImageDraw.Draw(img).text((2 - box[0], 2), char, font=font, fill=255)
    return img


def _seal(
    p: _Page, centre: tuple[float, float], r: float, organ_lines: list[str], rnd: random.Random
) -> None:
    """A red round seal: two rings, the organ's name around the ring, a star in the middle, slightly
    uneven ink; blended over what is under it, as a real stamp is."""
    img = p.pages[-1]
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    cx, cy = centre
    w = max(2, p.dpi // 70)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=w * 2)
    d.ellipse((cx - r * 0.68, cy - r * 0.68, cx + r * 0.68, cy + r * 0.68), outline=255, width=w)
    d.regular_polygon((cx, cy, r * 0.25), 5, fill=255, rotation=rnd.uniform(-8, 8))
    ring_text = " * ".join(organ_lines) + " *"
    px = round(r * 0.2)
    span = 2 * math.pi
    step = span / max(len(ring_text), 1)
    for k, char in enumerate(ring_text):
        if char == " ":
            continue
        angle = -math.pi / 2 + k * step
        g = _glyph(char, px).rotate(-math.degrees(angle + math.pi / 2), expand=True)
        gx = cx + r * 0.84 * math.cos(angle) - g.width / 2
        gy = cy + r * 0.84 * math.sin(angle) - g.height / 2
        layer.paste(255, (round(gx), round(gy)), g)
    # Stamp ink darkens what is under it (a multiply), so black print under the seal stays black.
    strength = rnd.uniform(0.75, 0.95)
    tint = Image.new("RGB", img.size, "white")
    tint.paste(Image.new("RGB", img.size, SEAL_RED), (0, 0), layer.point(lambda v: round(v * strength)))
    img.paste(ImageChops.multiply(img, tint))


class _NumberedPage(_Page):
    """Pages after the first carry their number at the top centre (Decree 30). Every line drawn is
    recorded as Tesseract-like word rows (``words``, one list per page): a perfect reading."""

    closing_top = 0

    def __init__(self, dpi: int, family: str) -> None:
        self.words: list[list[dict]] = []
        super().__init__(dpi, family)

    def text_at(
        self, text: str, x: float, y: float, style: str = "r", pt: float = 13, align: str = "left"
    ) -> None:
        super().text_at(text, x, y, style, pt, align)
        font = self.font(style, pt)
        x0 = x - font.getlength(text) / 2 if align == "center" else x
        height = round(pt / 72 * self.dpi * 0.75)
        page = self.words[-1]
        line = len({w["line_num"] for w in page}) + 1
        # Tesseract starts a paragraph after a wider gap than the line pitch.
        par = page[-1]["par_num"] if page else "1"
        if page and y - page[-1]["top"] > self.step(pt) * 1.3:
            par = str(int(par) + 1)
        pos = 0
        for word in text.split(" "):
            if word:
                left = x0 + font.getlength(text[:pos])
                page.append(
                    {
                        "block_num": "1",
                        "par_num": par,
                        "line_num": str(line),
                        "conf": "96",
                        "text": word,
                        "left": round(left),
                        "top": round(y),
                        "width": round(font.getlength(word)),
                        "height": height,
                    }
                )
            pos += len(word) + 1

    def new_page(self) -> None:
        super().new_page()
        self.words.append([])
        if len(self.pages) > 1:
            self.text_at(str(len(self.pages)), (self.left + self.right) / 2, self.mm(10), "r", 13, "center")


def render_real(doc: RealDoc, dpi: int = 300, seed: int = 0) -> list[Image.Image]:
    """Clean renders (RGB) of every page of ``doc``."""
    return render_real_marked(doc, dpi, seed)[0]


def render_real_marked(doc: RealDoc, dpi: int = 300, seed: int = 0) -> tuple[list[Image.Image], int]:
    """The pages, and the height on the last page where "Nơi nhận" and the signature block start."""
    p = _draw(doc, dpi, seed)
    return p.pages, p.closing_top


def _draw(doc: RealDoc, dpi: int, seed: int) -> _NumberedPage:
    rnd = random.Random(f"{doc.doc_id}-{seed}")
    p = _NumberedPage(dpi, doc.family)
    _header(p, doc)
    _title(p, doc)
    _body(p, doc)
    _signature(p, doc, rnd)
    return p


def _crops(pages: int, closing: int, height: int, dpi: int) -> list[tuple[int, int, int]]:
    """(page number, top, bottom) of what a bench reads: see ``scanned_pages``."""
    if pages == 1:
        return [(1, 0, height)]
    return [(1, 0, height // 2), (pages, max(0, closing - round(dpi * 1.2)), height)]


def scanned_pages(doc: RealDoc, dpi: int = 300) -> list[tuple[int, Image.Image]]:
    """What a bench reads of ``doc``, to keep OCR affordable on two shared cores: the top half of the
    first page (header, title, trích yếu, the start of the body) and the last page from a few body
    lines above "Nơi nhận" down; a one-page document whole. Numbered as the pages they come from."""
    p = _draw(doc, dpi, 0)
    out = []
    for number, top, bottom in _crops(len(p.pages), p.closing_top, p.h, dpi):
        page = p.pages[number - 1]
        out.append((number, page.crop((0, top, page.width, bottom))))
    return out


def perfect_rows(doc: RealDoc, dpi: int = 300) -> list[list[dict]]:
    """The word rows a flawless OCR would give for ``scanned_pages`` (boxes from the fonts)."""
    p = _draw(doc, dpi, 0)
    out = []
    for number, top, bottom in _crops(len(p.pages), p.closing_top, p.h, dpi):
        rows = [dict(w, top=w["top"] - top) for w in p.words[number - 1] if top <= w["top"] < bottom]
        out.append(rows)
    return out
