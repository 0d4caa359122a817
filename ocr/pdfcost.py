"""What a PDF page costs to read, measured without decoding more than a bound: the pure-Python
text-layer reader spends about 20 s on each MB of content stream, so a page drawn with 20 MB of
tiny operators would hold a job for minutes. Such pages are recognised from their image instead."""

from __future__ import annotations

import zlib

import pikepdf

TEXT_LAYER_PAGE_BYTES = 512 * 1024  # a dense page of text is 30-100 KB of content stream
TEXT_LAYER_FILE_BYTES = 8 * 1024 * 1024
TEXT_LAYER_MAX_XOBJECTS = 2000


def inflated_size(raw: bytes, cap: int) -> int:
    """Bytes a Flate stream inflates to, counted in 64 KiB steps and stopped past ``cap``."""
    d = zlib.decompressobj()
    total, data = 0, raw
    while data and total <= cap:
        try:
            total += len(d.decompress(data, 65536))
        except zlib.error:
            break
        data = d.unconsumed_tail
    return total


def stream_size(stream: pikepdf.Object, cap: int) -> int:
    """Decoded size of one stream (raw size for filters other than Flate), at most about ``cap``."""
    if not isinstance(stream, pikepdf.Stream):
        return 0
    raw = stream.read_raw_bytes()
    if stream.get("/Filter") == pikepdf.Name.FlateDecode:
        return inflated_size(raw, cap)
    return len(raw)


def page_cost(page: pikepdf.Page, cap: int) -> tuple[int, int]:
    """The page's content bytes (its streams and its form XObjects', one level) and XObject count."""
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if resources is not None else None
    xobjects = xobjects if xobjects is not None else pikepdf.Dictionary()
    forms = [x for _, x in xobjects.items() if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form"]
    total = 0
    for stream in [*streams, *forms]:
        total += stream_size(stream, cap - total)
        if total > cap:
            break
    return total, len(xobjects)


def text_layer_pages(pdf: pikepdf.Pdf) -> set[int]:
    """Indexes of the pages whose text layer is cheap enough to read."""
    chosen, spent = set(), 0
    for i, page in enumerate(pdf.pages):
        try:
            size, xobjects = page_cost(page, TEXT_LAYER_PAGE_BYTES)
        except (pikepdf.PdfError, AttributeError, TypeError, ValueError):
            continue
        if size > TEXT_LAYER_PAGE_BYTES or xobjects > TEXT_LAYER_MAX_XOBJECTS:
            continue
        if spent + size > TEXT_LAYER_FILE_BYTES:
            break
        spent += size
        chosen.add(i)
    return chosen
