"""Turning snippets into safe HTML.

OCR text is hostile input (a scanned page may say ``<script>``): every piece of text is escaped
and only our own ``<mark>`` tags are added around the highlight spans.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from archive.search_index import QueryPart
from archive.snippets import Snippet, highlight_all, make_snippet


def marked_html(snippet: Snippet) -> Markup:
    """The snippet as HTML: escaped text with each highlight span in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in snippet.spans:
        out.append(str(escape(snippet.text[pos:start])))
        out.append(f"<mark>{escape(snippet.text[start:end])}</mark>")
        pos = end
    out.append(str(escape(snippet.text[pos:])))
    return Markup("".join(out))


def snippet_html(text: str, parts: list[QueryPart]) -> Markup:
    """The best window of ``text`` for the query, highlighted."""
    return marked_html(make_snippet(text, parts))


def page_html(text: str, parts: list[QueryPart]) -> list[Markup]:
    """Every line of a page's text, highlighted where the query hits (line breaks kept)."""
    lines = []
    for line in text.splitlines():
        if not parts:
            lines.append(Markup(escape(line)))
            continue
        lines.append(marked_html(highlight_all(line, parts)))
    return lines
