"""Split a scanned stack into parts: a separator page starts a part of its dossier and belongs to
no document; blank pages are dropped; pages before the first separator make a part without one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.batch.pages import PageRef, is_blank, iter_pages
from ingest.batch.separator import Separator, read_separator


@dataclass
class Part:
    """The pages after one separator (``separator`` None: before the first one)."""

    separator: Separator | None
    separator_page: int = 0  # its page number in the stack, 0 when there is none
    pages: list[PageRef] = field(default_factory=list)
    blanks: list[int] = field(default_factory=list)  # dropped blank pages (stack numbers)


def split_stack(files: list[Path], known: Callable[[str], bool]) -> list[Part]:
    """The parts of the stack, in order; parts with no page left are kept (they are reported)."""
    parts: list[Part] = []
    for ref, image in iter_pages(files):
        if is_blank(image):
            (parts[-1] if parts else _start(parts, None, 0)).blanks.append(ref.number)
            continue
        sep = read_separator(image, known)
        if sep is not None:
            _start(parts, sep, ref.number)
        else:
            (parts[-1] if parts else _start(parts, None, 0)).pages.append(ref)
    return parts


def _start(parts: list[Part], sep: Separator | None, number: int) -> Part:
    parts.append(Part(sep, number))
    return parts[-1]
