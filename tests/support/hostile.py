"""The hostile corpus: files built here that scanners, citizens and networks send, each with the
outcome sohoa must give. Real odd files from other projects' test suites live in
tests/data/external (origin and licence in tests/data/external/SOURCES.md)."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from tests.support.render import render_page

EXTERNAL = Path(__file__).resolve().parent.parent / "data" / "external"


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    status: str  # accepted | rejected | quarantined
    reason_code: str = ""


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A valid PNG header claiming 3.6 gigapixels, with a few bytes of data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def flate_bomb_pdf(inflated_mb: int = 600) -> bytes:
    """A one-page PDF whose content stream inflates from < 1 MB to ``inflated_mb`` MB."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    raw = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, raw)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _scan_pdf(lines: list[str], **save) -> bytes:
    img = render_page(lines, dpi=150)
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=150)
    if not save:
        return buf.getvalue()
    pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _pdf_with(mutate) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    mutate(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _js(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )


def _launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))


def _attachment(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not really")


def _xfa(pdf: pikepdf.Pdf) -> None:
    xfa = pikepdf.Stream(pdf, b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_indirect(xfa))


def _zero_pages() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def _jpeg(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    render_page(lines, dpi=150).save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def build(folder: Path) -> dict[Path, Case]:
    """Write the corpus into ``folder``; returns each file with its expected outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    scan = _scan_pdf(["Đơn đề nghị cấp bản sao trích lục hộ tịch"])
    jpeg = _jpeg(["Giấy xác nhận tình trạng hôn nhân"])
    png = io.BytesIO()
    render_page(["Tờ khai đăng ký khai sinh cho trẻ em"], dpi=150).save(png, format="PNG")
    files: dict[str, tuple[bytes, Case]] = {
        "empty.pdf": (b"", Case("empty", "truncation", "rejected", "empty_file")),
        "plain-text.pdf": (
            "Kính gửi: Ủy ban nhân dân".encode(),
            Case("text", "type confusion", "rejected", "unsupported_type"),
        ),
        "archive.pdf": (
            b"PK\x03\x04" + b"\0" * 200,
            Case("zip", "type confusion", "rejected", "unsupported_type"),
        ),
        "page.jpg": (
            b"<!doctype html><script>alert(1)</script>",
            Case("html", "type confusion", "rejected", "unsupported_type"),
        ),
        "logo.png": (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            Case("svg", "type confusion", "rejected", "unsupported_type"),
        ),
        "scan-really-png.pdf": (png.getvalue(), Case("png named pdf", "type confusion", "accepted")),
        "bomb.png": (png_bomb(), Case("pixel bomb", "bomb", "rejected", "too_many_pixels")),
        "flate-bomb.pdf": (flate_bomb_pdf(), Case("flate bomb", "bomb", "rejected", "decoded_too_large")),
        "truncated.pdf": (scan[:400], Case("truncated pdf", "truncation", "rejected", "damaged")),
        "truncated.jpg": (
            jpeg[: len(jpeg) // 3],
            Case("truncated jpeg", "truncation", "accepted", "truncated"),
        ),
        "zero-pages.pdf": (_zero_pages(), Case("zero pages", "truncation", "rejected", "empty")),
        "user-password.pdf": (
            _scan_pdf(["Mật"], encryption=pikepdf.Encryption(user="u", owner="o")),
            Case("user password", "encryption", "rejected", "encrypted"),
        ),
        "owner-password.pdf": (
            _scan_pdf(
                ["Giấy biên nhận hồ sơ và hẹn trả kết quả"], encryption=pikepdf.Encryption(user="", owner="o")
            ),
            Case("owner password only", "encryption", "accepted"),
        ),
        "javascript.pdf": (
            _pdf_with(_js),
            Case("javascript", "active content", "quarantined", "active_content"),
        ),
        "launch.pdf": (
            _pdf_with(_launch),
            Case("launch action", "active content", "quarantined", "active_content"),
        ),
        "attachment.pdf": (
            _pdf_with(_attachment),
            Case("embedded file", "active content", "quarantined", "active_content"),
        ),
        "xfa.pdf": (
            _pdf_with(_xfa),
            Case("xfa form, blank page", "form", "rejected", "form_without_content"),
        ),
        "pdf-zip.pdf": (
            scan + b"PK\x03\x04" + b"\1" * 4000,
            Case("pdf+zip", "polyglot", "quarantined", "polyglot"),
        ),
        "jpeg-pdf.jpg": (
            jpeg[:2] + b"\xff\xfe\x00\x10%PDF-1.4 obj" + jpeg[2:],
            Case("jpeg+pdf", "polyglot", "quarantined", "polyglot"),
        ),
        "\u202egpj.exe": (jpeg, Case("bidi name", "odd name", "accepted")),
    }
    out: dict[Path, Case] = {}
    for name, (data, case) in files.items():
        path = folder / name
        path.write_bytes(data)
        out[path] = case
    externals = {
        "cyclic-toc.pdf": Case("cyclic outline", "external", "accepted"),
        "badlin1.pdf": Case("bad linearization", "external", "accepted"),
        "content-stream-errors.pdf": Case("content stream errors", "external", "accepted"),
        "jbig2.pdf": Case("jbig2 image", "external", "accepted"),
        "fuzz-378014596.pdf": Case("fuzzer case", "external", "rejected", "damaged"),
        "graph-encrypted.pdf": Case("user password (external)", "external", "rejected", "encrypted"),
    }
    for name, case in externals.items():
        out[EXTERNAL / name] = case
    return out
