"""A serif TrueType family with the Vietnamese glyphs, registered with reportlab once per process."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "SohoaSerif"
DEFAULT_DIRS = [
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
]
# (regular, bold, italic, bold italic) file names per family, best first.
CANDIDATES = [
    ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"),
    (
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
]


class FontError(Exception):
    """No font with Vietnamese glyphs was found."""


def find_family(dirs: list[str | Path] | None = None) -> tuple[Path, Path, Path, Path]:
    """Paths of the first complete family found in ``dirs``."""
    for names in CANDIDATES:
        for d in dirs or DEFAULT_DIRS:
            paths = tuple(Path(d) / n for n in names)
            if all(p.exists() for p in paths):
                return paths  # type: ignore[return-value]
    raise FontError("no serif TTF with Vietnamese glyphs (install fonts-noto-core or fonts-liberation2)")


def register_fonts(dirs: list[str | Path] | None = None) -> str:
    """Register the family (regular, bold, italic, bold italic) and return its name."""
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return FAMILY
    regular, bold, italic, bold_italic = find_family(dirs)
    for suffix, path in (("", regular), ("-Bold", bold), ("-Italic", italic), ("-BoldItalic", bold_italic)):
        pdfmetrics.registerFont(TTFont(FAMILY + suffix, str(path)))
    # So that <b> and <i> in paragraphs pick the right faces.
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, FAMILY + "-Bold")
    addMapping(FAMILY, 0, 1, FAMILY + "-Italic")
    addMapping(FAMILY, 1, 1, FAMILY + "-BoldItalic")
    return FAMILY
