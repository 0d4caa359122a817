"""Odd files as scanners, fax gateways, form software and broken transfers make them: tiny images,
BigTIFF, files cut short, CCITT fax pages in PDFs. Each builder returns the file's bytes."""

from __future__ import annotations

import io
import struct

import pikepdf
from PIL import Image

from tests.support.render import render_page


def image_bytes(img: Image.Image, fmt: str, **save) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **save)
    return buf.getvalue()


def tiny_jpeg(width: int = 1, height: int = 1) -> bytes:
    return image_bytes(Image.new("RGB", (width, height), "white"), "JPEG")


def fax_strip_tiff(width: int = 3, height: int = 40) -> bytes:
    """A one-page bilevel CCITT G4 TIFF a few pixels wide (fax gateways send such strips)."""
    return image_bytes(Image.new("1", (width, height), 1), "TIFF", compression="group4")


def scan_image(line: str, dpi: int = 150) -> Image.Image:
    return render_page([line], dpi=dpi)


TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
OFFSET_TAGS = (273, 324)  # strip and tile offsets move with the data


def _to_bigtiff(classic: bytes) -> bytes:
    """The same single-page little-endian TIFF with BigTIFF's header and directory (Pillow's
    libtiff writer ignores ``big_tiff`` when compressing, and real BigTIFFs are compressed)."""
    assert classic[:4] == b"II*\x00"
    ifd = struct.unpack_from("<I", classic, 4)[0]
    count = struct.unpack_from("<H", classic, ifd)[0]
    body = bytearray(b"II+\x00" + struct.pack("<HHQ", 8, 0, 0) + classic[8:])  # offsets move by 8
    entries = []
    for i in range(count):
        tag, typ, n, value = struct.unpack_from("<HHII", classic, ifd + 2 + 12 * i)
        size = TYPE_SIZE[typ] * n
        raw = (
            classic[ifd + 10 + 12 * i : ifd + 14 + 12 * i][:size]
            if size <= 4
            else classic[value : value + size]
        )
        if tag in OFFSET_TAGS:
            fmt = "<H" if typ == 3 else "<I"
            offsets = [struct.unpack_from(fmt, raw, k * TYPE_SIZE[typ])[0] + 8 for k in range(n)]
            typ, raw, size = 16, struct.pack(f"<{n}Q", *offsets), 8 * n
        if size <= 8:
            entries.append(struct.pack("<HHQ", tag, typ, n) + raw.ljust(8, b"\x00"))
        else:
            at = len(body)
            body += raw + b"\x00" * (len(raw) % 2)
            entries.append(struct.pack("<HHQQ", tag, typ, n, at))
    start = len(body)
    body += struct.pack("<Q", count) + b"".join(entries) + struct.pack("<Q", 0)
    struct.pack_into("<Q", body, 8, start)
    return bytes(body)


def bigtiff(line: str, compression: str = "tiff_deflate") -> bytes:
    """A BigTIFF (64-bit offsets, magic 'II+'), as large-format scanners write."""
    img = scan_image(line).convert("1" if compression == "group4" else "L")
    return _to_bigtiff(image_bytes(img, "TIFF", compression=compression, dpi=(150, 150)))


def multipage_tiff(lines: list[str]) -> bytes:
    pages = [scan_image(line).convert("L") for line in lines]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], dpi=(150, 150))
    return buf.getvalue()


def cut(data: bytes, keep: float) -> bytes:
    """The first ``keep`` share of ``data``: a transfer that stopped early."""
    return data[: int(len(data) * keep)]


def scan_pdf(lines: list[str], dpi: int = 150) -> bytes:
    pages = [scan_image(line, dpi) for line in lines]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buf.getvalue()


def ccitt_pdf(width: int = 3, height: int = 40, page_pt: tuple[float, float] = (2.16, 28.8)) -> bytes:
    """A PDF page carrying a CCITT G4 fax image a few pixels in size, on a page of that size."""
    g4 = fax_strip_tiff(width, height)
    with Image.open(io.BytesIO(g4)) as tif:
        offsets, counts = tif.tag_v2[273], tif.tag_v2[279]
    raw = g4[offsets[0] : offsets[0] + counts[0]]
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, raw)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 1
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.CCITTFaxDecode
    image.DecodeParms = pikepdf.Dictionary(K=-1, Columns=width, Rows=height, BlackIs1=False)
    w, h = page_pt
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, w, h],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        Contents=pdf.make_stream(f"q {w} 0 0 {h} 0 0 cm /Im0 Do Q".encode()),
    )
    pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def linearized(data: bytes) -> bytes:
    """``data`` saved linearized ('fast web view'): a first %%EOF right after the first page's part."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, linearize=True)
    return out.getvalue()


PLEASE_WAIT = (
    "Please wait... If this message is not eventually replaced by the proper contents of the "
    "document, your PDF viewer may not be able to display this type of document."
)
XFA_TEMPLATE = (
    b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template xmlns='http://www.xfa.org/schema/"
    b"xfa-template/3.3/'><subform name='form1'><field name='HoTen'/>%s</subform></template>"
    b"<xfa:datasets xmlns:xfa='http://www.xfa.org/schema/xfa-data/1.0/'><xfa:data><form1>"
    b"<HoTen>Nguyen Van A</HoTen></form1></xfa:data></xfa:datasets></xdp:xdp>"
)


def _text_page(pdf: pikepdf.Pdf, text: str) -> None:
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(f"BT /F1 9 Tf 40 800 Td ({text}) Tj ET".encode("latin-1")),
    )
    pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))


def xfa_form(*, dynamic: bool, needs_rendering: bool = False, script: bool = False) -> bytes:
    """An XFA form: dynamic ones show only the 'please wait' placeholder on their page."""
    pdf = pikepdf.new()
    _text_page(pdf, PLEASE_WAIT if dynamic else "DON DE NGHI - Ho ten: Nguyen Van A")
    body = b"<event activity='initialize'><script contentType='application/x-javascript'>x=1</script></event>"
    xfa = pikepdf.Stream(pdf, XFA_TEMPLATE % (body if script else b""))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_indirect(xfa))
    if needs_rendering:
        pdf.Root.NeedsRendering = True
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _saved(pdf: pikepdf.Pdf, **save) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def many_objects(count: int = 300_000) -> bytes:
    """One blank page and ``count`` small indirect objects hung off the catalogue (in object
    streams, so the file stays small while a walk over its objects takes long)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.Junk = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(N=i)) for i in range(count)])
    return _saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def deep_page_tree(depth: int = 2000) -> bytes:
    """One page under ``depth`` nested /Pages nodes."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    leaf = pdf.pages[0].obj
    node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=[leaf], Count=1))
    leaf.Parent = node
    for _ in range(depth):
        parent = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=[node], Count=1))
        node.Parent = parent
        node = parent
    pdf.Root.Pages = node
    return _saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def many_tiny_images(count: int = 20_000) -> bytes:
    """One page drawing ``count`` 1x1 images (one shared image drawn everywhere, and many own)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    images, ops = {}, []
    for i in range(count):
        img = pikepdf.Stream(pdf, b"\x00")
        img.Type, img.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        img.Width = img.Height = img.BitsPerComponent = 1
        img.ColorSpace = pikepdf.Name.DeviceGray
        images[f"/I{i}"] = pdf.make_indirect(img)
        ops.append(f"q 1 0 0 1 {i % 500} {i // 500} cm /I{i} Do Q")
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(images))
    page.Contents = pdf.make_stream("\n".join(ops).encode())
    return _saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def heavy_content(megabytes: int = 30) -> bytes:
    """One page whose content stream is ``megabytes`` MB of tiny text-show operators (Flate keeps
    the file small): a pure-Python text extractor takes minutes over it."""
    unit = b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n"
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(unit * (megabytes * 1024 * 1024 // len(unit)))
    return _saved(pdf)
