"""The odd corpus: files that are not attacks but that scanners, fax gateways, form software,
broken transfers and other libraries' test suites produce, each with the outcome sohoa must give.
Generated ones are built here; real ones come from the sdists of Pillow, pypdf and pikepdf
(tests/data/external, origin and licence in its SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

from tests.support import oddities as odd
from tests.support.hostile import EXTERNAL, Case

OK = ("accepted", "")
TRUNCATED = ("accepted", "truncated")
DAMAGED = ("rejected", "damaged")
ENCRYPTED = ("rejected", "encrypted")
ACTIVE = ("quarantined", "active_content")

# Real files from other libraries' test suites, and what sohoa must make of them.
EXTERNAL_ODD: dict[str, tuple[str, str]] = {
    "pillow-truncated_end_chunk.png": TRUNCATED,  # last IDAT chunk cut short
    "pillow-truncated_jpeg.jpg": TRUNCATED,
    "pillow-truncated_app14.jpg": OK,  # the APP14 marker is cut, the image is whole
    "pillow-broken.png": DAMAGED,  # 80 bytes, no image data
    "pillow-broken_data_stream.png": TRUNCATED,  # zlib stream broken part way
    "pillow-hopper_bigtiff.tif": OK,
    "pillow-g4-fillorder-test.tif": OK,  # a G4 fax page too small to hold text
    "pillow-g4-multi.tiff": OK,
    "pillow-multipage-lastframe.tif": OK,
    "pillow-multipage_single_frame_loop.tiff": OK,  # its IFD chain loops back on itself
    "pillow-multipage_out_of_order.tiff": OK,
    "pillow-oom-225817ca.tif": DAMAGED,  # fuzzer case claiming absurd samples per pixel
    "pillow-png_decompression_dos.png": DAMAGED,  # text chunks that inflate without end
    "pillow-pil_sample_cmyk.jpg": OK,
    "pillow-16bit.deflate.tif": OK,
    "pillow-12in16bit.tif": OK,
    "pillow-tiff_tiled_planar_16bit_RGB.tiff": OK,
    "pillow-tiff_strip_ycbcr_jpeg_2x2_sampling.tif": OK,
    "pillow-tiff_tiled_jpeg_oob_read.tif": DAMAGED,  # crafted tiles that read out of bounds
    "pillow-exif-dpi-zerodivision.jpg": OK,
    "pillow-hopper_orientation_6.jpg": OK,
    "pillow-separate_planar_extra_samples.tiff": OK,
    "pillow-icc-after-SOF.jpg": OK,
    "pillow-variation_tiny.png": OK,
    "pypdf-imagemagick-CCITTFaxDecode.pdf": OK,
    "pypdf-imagemagick-lzw.pdf": OK,
    "pypdf-imagemagick-ASCII85Decode.pdf": OK,
    "pypdf-issue-3850-1bit-indexed-flate.pdf": OK,
    "pypdf-reportlab-inline-image.pdf": OK,
    "pypdf-libreoffice-writer-password.pdf": ENCRYPTED,
    "pypdf-crazyones-encrypted-256.pdf": ENCRYPTED,  # AES-256 with a user password
    "pypdf-encrypted_doc_no_id.pdf": OK,
    "pypdf-r2-owner-password.pdf": OK,
    "pypdf-form_acrobatReader.pdf": OK,
    "pypdf-issue-297.pdf": ACTIVE,  # a JavaScript action
    "pypdf-outlines-with-invalid-destinations.pdf": OK,
    "pypdf-toy.pdf": OK,
    "pypdf-bytes.pdf": OK,
    "pypdf-attachment.pdf": ACTIVE,  # an embedded file
}


def _generated() -> dict[str, tuple[bytes, tuple[str, str], str]]:
    scan = odd.scan_pdf(["Trang một của hồ sơ", "Trang hai của hồ sơ", "Trang ba của hồ sơ"])
    png = odd.image_bytes(odd.scan_image("Tờ khai đăng ký khai sinh"), "PNG")
    jpeg = odd.image_bytes(odd.scan_image("Giấy xác nhận tình trạng hôn nhân"), "JPEG", quality=80)
    return {
        "1x1.jpg": (odd.tiny_jpeg(), OK, "tiny"),
        "3x40-g4.tif": (odd.fax_strip_tiff(), OK, "tiny"),
        "3x40-ccitt.pdf": (odd.ccitt_pdf(), OK, "tiny"),
        "bigtiff-deflate.tif": (odd.bigtiff("Giấy xác nhận cư trú"), OK, "bigtiff"),
        "bigtiff-g4.tif": (odd.bigtiff("Giấy xác nhận cư trú", "group4"), OK, "bigtiff"),
        "cut.png": (odd.cut(png, 0.6), TRUNCATED, "cut"),
        "cut.jpg": (odd.cut(jpeg, 0.4), TRUNCATED, "cut"),
        "cut-bigtiff.tif": (odd.cut(odd.bigtiff("x"), 0.3), DAMAGED, "cut"),
        "cut-late.pdf": (odd.cut(scan, 0.95), TRUNCATED, "cut"),
        # a PDF, not a polyglot (the tail after the first %%EOF is its own objects), but its page
        # tree lies in the lost part: nothing to read
        "cut-linearized.pdf": (odd.cut(odd.linearized(scan), 0.6), DAMAGED, "cut"),
        "cut-head.pdf": (odd.cut(scan, 0.05), DAMAGED, "cut"),
        "xfa-dynamic.pdf": (odd.xfa_form(dynamic=True), ("rejected", "form_without_content"), "form"),
        "xfa-static.pdf": (odd.xfa_form(dynamic=False), OK, "form"),
        "xfa-static-script.pdf": (odd.xfa_form(dynamic=False, script=True), ACTIVE, "form"),
        "deep-page-tree.pdf": (odd.deep_page_tree(2000), DAMAGED, "cost"),
        "tiny-images.pdf": (odd.many_tiny_images(3000), OK, "cost"),
        "heavy-content.pdf": (odd.heavy_content(5), OK, "cost"),
    }


def build_odd(folder: Path) -> dict[Path, Case]:
    """Write the generated odd files into ``folder``; returns them and the real ones with their
    expected outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[Path, Case] = {}
    for name, (data, (status, code), category) in _generated().items():
        path = folder / name
        path.write_bytes(data)
        out[path] = Case(name, category, status, code)
    for name, (status, code) in EXTERNAL_ODD.items():
        out[EXTERNAL / name] = Case(name, "external odd", status, code)
    return out
