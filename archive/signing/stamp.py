"""The visible stamp of a certified copy (Decree 30/2020 Annex I): top right of page 1, the copy
type, the agency's name and the signing time in ISO 8601 with the Vietnamese zone (+07:00), in a
Times New Roman style font, upright, 10 pt, black.

pyHanko writes a CID font's glyph widths (/W) as the font's own units, which is right only for a
font of 1000 units per em; Liberation Serif has 2048, so it is rescaled once with fontTools and
kept beside the data (the stamp would otherwise come out letter-spaced and break PDF/A's width
rule)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from archive.signing.config import SigningConfig, SigningError

VN_ZONE = timezone(timedelta(hours=7))
FONT_SIZE = 10
LINE_GAP = 1.25  # line height / font size, as pyHanko lays text out
PADDING = 6  # points inside the stamp's box
MARGIN = 14  # points from the page's top and right edges
# Letters a stamp can need (Latin, Latin-1, Latin Extended-A/B, combining marks, Vietnamese,
# punctuation): the cached font keeps only these, so pyHanko's per-signature subsetting is quick.
STAMP_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1EA0, 0x1F00),
    *range(0x2010, 0x2030),
]


def vn_time(moment: datetime) -> datetime:
    """``moment`` in Vietnam's zone, to the second."""
    return moment.astimezone(VN_ZONE).replace(microsecond=0)


def iso_vn(moment: datetime) -> str:
    """ISO 8601 with the +07:00 offset, e.g. ``2026-12-01T09:15:00+07:00``."""
    return vn_time(moment).isoformat()


def stamp_font(config: SigningConfig) -> Path:
    """The stamp font at 1000 units per em (made once from ``stamp_font`` and cached)."""
    source = Path(config.stamp_font)
    if not source.is_file():
        raise SigningError("stamp_font_missing", f"Không tìm thấy phông chữ cho dấu ký số: {source}")
    target = config.work_dir / f"{source.stem}-1000upem-vi.ttf"
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    font = TTFont(str(source))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(target)  # atomic: a second signer never reads half a font
    return target


def stamp_lines(config: SigningConfig, signed_at: datetime) -> list[str]:
    """The words of the stamp, one line each."""
    return [config.stamp_text, config.agency, f"Thời gian ký: {iso_vn(signed_at)}"]


@functools.lru_cache(maxsize=4)
def _metrics(font_path: Path, mtime: float) -> tuple[dict, dict, int]:
    font = TTFont(str(font_path), lazy=True)
    return (
        font.getBestCmap(),
        {name: adv for name, (adv, _lsb) in font["hmtx"].metrics.items()},
        font["head"].unitsPerEm,
    )


def _text_width(font_path: Path, line: str) -> float:
    cmap, advances, upem = _metrics(font_path, font_path.stat().st_mtime)
    units = sum(advances[cmap.get(ord(ch), ".notdef")] for ch in line)
    return units / upem * FONT_SIZE


@dataclass(frozen=True)
class Stamp:
    """A stamp ready for pyHanko: its style, text and box on page 1."""

    style: TextStampStyle
    text: str
    box: tuple[int, int, int, int]


def build_stamp(config: SigningConfig, signed_at: datetime, page_box: tuple[float, ...]) -> Stamp:
    """Style and box of the stamp at the top right of a page with ``page_box`` (MediaBox)."""
    font = stamp_font(config)
    lines = stamp_lines(config, signed_at)
    width = max(_text_width(font, line) for line in lines) + 2 * PADDING + 2
    height = len(lines) * FONT_SIZE * LINE_GAP + 2 * PADDING
    x0, _y0, x1, y1 = (float(v) for v in page_box[:4])
    right, top = x1 - MARGIN, y1 - MARGIN
    left = max(x0 + MARGIN, right - width)
    style = TextStampStyle(
        stamp_text="%(stamp)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(font), font_size=FONT_SIZE), font_size=FONT_SIZE, leading=None
        ),
        border_width=1,
        background=None,
    )
    box = (int(left), int(top - height), int(right) + 1, int(top) + 1)
    return Stamp(style=style, text="\n".join(lines), box=box)
