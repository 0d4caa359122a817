"""Snippets with highlight spans, computed on the folded text so that hits without
diacritics are highlighted in the original (folding keeps offsets).

Each word of a hit is one span (callers wrap spans one by one, e.g. ``<mark>kết</mark>
<mark>hôn</mark>``), but a phrase only counts where its words follow each other. Matching is one
compiled regular expression per query part over the folded page: about 2x cheaper per snippet
than comparing token lists (bench/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from archive.search_index import QueryPart
from archive.vietnamese import fold

WIDTH = 220
_WORD = r"[^\W_]"


@dataclass
class Snippet:
    text: str
    spans: list[tuple[int, int]]  # offsets into text to highlight

    def marked(self, open_: str = "[", close: str = "]") -> str:
        """The snippet with each highlight wrapped in markers (plain text, not HTML)."""
        out, pos = [], 0
        for start, end in self.spans:
            out += [self.text[pos:start], open_, self.text[start:end], close]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


@lru_cache(maxsize=256)
def _pattern(folded_words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words, in order, separated by anything that is not a word character."""
    body = r"[\W_]+".join(re.escape(w) for w in folded_words)
    return re.compile(rf"(?<!{_WORD}){body}(?!{_WORD})", re.IGNORECASE)


_TOKEN = re.compile(rf"{_WORD}+")


def _matches(text: str, parts: list[QueryPart]) -> list[tuple[int, int]]:
    """Sorted spans of every word of every part's matches in ``text``."""
    folded = fold(text)  # same length as text: spans carry over
    words: set[tuple[int, int]] = set()
    for part in parts:
        if not part.words:
            continue
        for m in _pattern(tuple(fold(w).lower() for w in part.words)).finditer(folded):
            if part.is_phrase:
                words.update(t.span() for t in _TOKEN.finditer(folded, m.start(), m.end()))
            else:
                words.add(m.span())
    return sorted(words)


def _best_start(matches: list[tuple[int, int]], width: int) -> int:
    """Start of the match beginning the window of ``width`` that holds the most matches."""
    best, best_count, j = matches[0][0], 0, 0
    for i, (start, _) in enumerate(matches):
        j = max(j, i)
        while j < len(matches) and matches[j][1] <= start + width:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    return best


def highlight_all(text: str, parts: list[QueryPart]) -> Snippet:
    """The whole of ``text`` with every hit marked (a document page's line, not a window of it)."""
    return Snippet(text, _matches(text, parts))


def make_snippet(text: str, parts: list[QueryPart], width: int = WIDTH) -> Snippet:
    """The window of ``text`` with the most query hits, cut at word boundaries."""
    text = " ".join(text.split())
    matches = _matches(text, parts)
    if not matches:
        cut = text[:width]
        return Snippet(cut + ("…" if len(text) > width else ""), [])
    best = _best_start(matches, width)
    begin = max(0, best - width // 4)
    if begin:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 else 0
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space >= 0 else len(text)
    prefix = "…" if begin else ""
    snippet = prefix + text[begin:end] + ("…" if end < len(text) else "")
    shift = len(prefix) - begin
    spans = [(s + shift, e + shift) for s, e in matches if s >= begin and e <= end]
    return Snippet(snippet, spans)
