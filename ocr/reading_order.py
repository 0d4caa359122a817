"""Reading order of a page from Tesseract's word boxes: side-by-side blocks read column by column.

Tesseract joins words of one baseline into one line, so the two header columns (organ | motto) and the
"Nơi nhận" list beside the signature block come out interleaved: ``Nơi nhận: TM. ỦY BAN NHÂN DÂN``.
Here every line is cut where a gap wider than a few letter heights opens, the pieces are grouped into
rows by their height on the page, and a run of rows that all keep clear of one vertical gutter is read
as two columns: the left one top to bottom, then the right one. Everything else stays in Tesseract's
line order. Low-confidence pieces inside such a run (a seal's ring letters, a signature's strokes) are
dropped: a column of print reads with confidence, stamp ink does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

GAP_HEIGHTS = 2.5  # a horizontal gap this many line heights wide separates columns
ROW_GAP_HEIGHTS = 2.2  # a vertical gap this many line heights wide ends a two-column run
JUNK_CONF = 55.0  # mean confidence under which a short piece inside a column run is stamp or ink
# A document's notation (``Số: 10988/BNV-CQĐP``): a seal's ring never holds one, however low
# Tesseract's confidence in it (25 on a clean counter scan of a công văn's header column).
NOTATION = re.compile(r"\d+/[^\s/]*[A-ZĐ]")


@dataclass
class Piece:
    """Words of one Tesseract line between two wide gaps."""

    words: list[dict]
    key: tuple[str, str]  # (block, paragraph) of Tesseract, for paragraph breaks
    left: int = 0
    right: int = 0
    top: int = 0
    bottom: int = 0
    height: float = 0.0
    conf: float = 0.0
    row: list[Piece] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        boxes = [_box(w) for w in self.words]
        self.left, self.top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        self.right, self.bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        self.height = float(median(b[3] - b[1] for b in boxes))
        self.conf = sum(float(w["conf"]) for w in self.words) / len(self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def _box(word: dict) -> tuple[int, int, int, int]:
    left, top = int(word["left"]), int(word["top"])
    return left, top, left + int(word["width"]), top + int(word["height"])


def _pieces(words: list[dict]) -> list[Piece]:
    """Tesseract's lines, in its order, each cut at its wide gaps."""
    lines: dict[tuple[str, str, str], list[dict]] = {}
    for w in words:
        lines.setdefault((w["block_num"], w["par_num"], w["line_num"]), []).append(w)
    out = []
    for (block, par, _), line in lines.items():
        line = sorted(line, key=lambda w: int(w["left"]))
        h = median(int(w["height"]) for w in line)
        cur = [line[0]]
        for prev, word in zip(line, line[1:], strict=False):
            if int(word["left"]) - _box(prev)[2] > GAP_HEIGHTS * h:
                out.append(Piece(cur, (block, par)))
                cur = []
            cur.append(word)
        out.append(Piece(cur, (block, par)))
    return out


def _rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped by height on the page: a piece whose middle is level with a row joins it."""
    rows: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: p.top):
        mid = (p.top + p.bottom) / 2
        if rows:
            first = rows[-1][0]
            if abs(mid - (first.top + first.bottom) / 2) < 0.6 * max(first.height, p.height):
                rows[-1].append(p)
                continue
        rows.append([p])
    return [sorted(r, key=lambda p: p.left) for r in rows]


def _gutter(row: list[Piece]) -> tuple[float, float] | None:
    """(left, right) edges of the widest gap of a row of pieces set wide apart, else None."""
    if len(row) < 2:
        return None
    # The first widest gap (a key, not tuples: two gaps of the same width would compare pieces).
    a, b = max(zip(row, row[1:], strict=False), key=lambda ab: ab[1].left - ab[0].right)
    width = b.left - a.right
    h = max(p.height for p in row)
    return (a.right, b.left) if width > GAP_HEIGHTS * h else None


def _sides(row: list[Piece], lo: float, hi: float, h: float) -> list[bool] | None:
    """Which pieces of ``row`` are on the right of the gutter (lo, hi); None when one spans it."""
    out = []
    for p in row:
        left_ok, right_ok = p.right <= hi - 0.5 * h, p.left >= lo + 0.5 * h
        if not (left_ok or right_ok):
            return None
        out.append(right_ok if not left_ok else (p.left + p.right) / 2 > (lo + hi) / 2 and right_ok)
    return out


def _column_run(
    rows: list[list[Piece]], start: int, gutter: tuple[float, float], h: float
) -> list[list[bool]]:
    """Sides of each row of the two-column run that begins at ``start``: the gutter narrows to what
    the rows leave free; the run ends at a row across it, or after a wide vertical gap."""
    lo, hi = gutter
    sides: list[list[bool]] = []
    for k in range(start, len(rows)):
        row = rows[k]
        got = _sides(row, lo, hi, h)
        if got is None:
            break
        if sides and min(p.top for p in row) - max(p.bottom for p in rows[k - 1]) > ROW_GAP_HEIGHTS * h:
            break
        for p, right in zip(row, got, strict=True):
            lo, hi = (lo, min(hi, p.left)) if right else (max(lo, p.right), hi)
        sides.append(got)
    return sides


def _is_stamp(piece: Piece) -> bool:
    """Seal or signature ink inside a column run: hardly a letter (``z ==``, ``'4``, ``——``), or a few
    words read with low confidence. Column text (recipients, positions, a name) has letters."""
    if NOTATION.search(piece.text):
        return False
    letters = sum(ch.isalpha() for ch in piece.text)
    return letters < 2 or (piece.conf < JUNK_CONF and (len(piece.words) <= 3 or letters < 6))


def ordered_lines(words: list[dict]) -> list[tuple[str, bool]]:
    """``[(line text, starts a paragraph)]`` of a page in reading order, from Tesseract's words."""
    return [(" ".join(w["text"] for w in line), new) for line, new in ordered_words(words)]


def ordered_words(words: list[dict]) -> list[tuple[list[dict], bool]]:
    """``[(words of a line, starts a paragraph)]`` of a page in reading order (stamp ink inside a
    column run left out): what the page text and the PDF's text layer are written from."""
    if not words:
        return []
    pieces = _pieces(words)
    h = float(median(p.height for p in pieces))
    rows = _rows(pieces)
    out: list[tuple[list[dict], bool]] = []
    last_key: tuple[str, str] | None = None
    i = 0
    while i < len(rows):
        gutter = _gutter(rows[i])
        if gutter is None:
            key = rows[i][0].key
            out.append(([w for p in rows[i] for w in p.words], bool(out) and key != last_key))
            last_key, i = key, i + 1
            continue
        sides = _column_run(rows, i, gutter, h)
        run = [
            (p, right) for r, sd in zip(rows[i:], sides, strict=False) for p, right in zip(r, sd, strict=True)
        ]
        for want in (False, True):
            column = [p for p, right in run if right == want and not _is_stamp(p)]
            for k, p in enumerate(column):
                gap = k and p.top - column[k - 1].bottom > 1.2 * h
                out.append((p.words, bool(out) and (k == 0 or bool(gap))))
        last_key, i = None, i + len(sides)
    return out
