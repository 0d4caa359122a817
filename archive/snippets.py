"""Snippets with highlight spans, computed on the folded text so that hits without
diacritics are highlighted in the original (folding keeps offsets)."""

from __future__ import annotations

from dataclasses import dataclass

from archive.search_index import QueryPart
from archive.vietnamese import fold, token_spans

WIDTH = 220


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


def _matches(text: str, parts: list[QueryPart]) -> list[tuple[int, int]]:
    folded = fold(text).lower()
    spans = token_spans(folded)
    words = [folded[s:e] for s, e in spans]
    hits: set[int] = set()
    for part in parts:
        want = [fold(w).lower() for w in part.words]
        n = len(want)
        for i in range(len(words) - n + 1):
            if words[i:i + n] == want:
                hits.update(range(i, i + n))
    return [spans[i] for i in sorted(hits)]


def make_snippet(text: str, parts: list[QueryPart], width: int = WIDTH) -> Snippet:
    """The window of ``text`` with the most query hits, cut at word boundaries."""
    text = " ".join(text.split())
    matches = _matches(text, parts)
    if not matches:
        cut = text[:width]
        return Snippet(cut + ("…" if len(text) > width else ""), [])
    best, best_count = matches[0][0], 0
    for start, _ in matches:
        count = sum(1 for s, e in matches if start <= s and e <= start + width)
        if count > best_count:
            best, best_count = start, count
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
