"""Every pixel step is safe for any size from 1x1 up; pages too small to hold text are kept with no
text and the ``too_small`` warning; BigTIFF reads; files cut short keep what decodes and say so."""

from __future__ import annotations

import itertools

import pytest
from PIL import Image

from ingest.sniff import sniff
from ocr import ocr_to_pdfa
from ocr.errors import OcrError
from ocr.preprocess import prepare
from tests.support import oddities as odd

SIZES = [(1, 1), (1, 2), (2, 1), (1, 60), (60, 1), (3, 40), (40, 3), (7, 7), (16, 16), (31, 9), (33, 33)]


@pytest.mark.parametrize(("size", "mode"), list(itertools.product(SIZES, ["L", "RGB"])))
def test_cleaning_is_safe_at_any_size(size, mode):
    for dpi, force in itertools.product([0.1, 3.4, 72, 150, 300], [None, True, False]):
        img = Image.new(mode, size, "white" if mode == "RGB" else 255)
        prep = prepare(img, dpi, force=force)
        assert prep.image.ndim == 2 and prep.image.size > 0
        assert max(prep.image.shape) <= 6600, "a wrong dpi never blows a tiny page up"


def _ocr(tmp_path, name: str, data: bytes):
    src = tmp_path / name
    src.write_bytes(data)
    return ocr_to_pdfa(src, tmp_path / f"{name}.pdf")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("1x1.jpg", odd.tiny_jpeg()),
        ("3x40.tif", odd.fax_strip_tiff()),
        ("ccitt-3x40.pdf", odd.ccitt_pdf()),
    ],
)
def test_too_small_pages_are_kept_without_text_and_flagged(tmp_path, name, data):
    result = _ocr(tmp_path, name, data)
    [page] = result.pages
    assert page.text == "" and "too_small" in page.warnings
    assert any("quá nhỏ" in r for r in page.rescan_reasons)
    assert (tmp_path / f"{name}.pdf").stat().st_size > 0


def test_bigtiff_is_sniffed_and_read(tmp_path):
    src = tmp_path / "big.tif"
    src.write_bytes(odd.bigtiff("Giấy xác nhận cư trú"))
    assert src.read_bytes()[:4] == b"II+\x00"
    assert sniff(src, max_bytes=10**8).content_type == "image/tiff"
    result = ocr_to_pdfa(src, tmp_path / "big.pdf")
    assert "cư trú" in result.pages[0].text


def test_png_cut_short_keeps_what_decodes_and_says_so(tmp_path):
    png = odd.image_bytes(odd.scan_image("Tờ khai đăng ký khai sinh"), "PNG")
    result = _ocr(tmp_path, "cut.png", odd.cut(png, 0.6))
    [page] = result.pages
    assert "khai sinh" in page.text and "truncated" in page.warnings
    assert any("bị cắt" in r for r in page.rescan_reasons)


def test_pdf_cut_in_transfer_keeps_its_complete_pages(tmp_path):
    data = odd.scan_pdf(["Trang một của hồ sơ", "Trang hai của hồ sơ", "Trang ba của hồ sơ"])
    result = _ocr(tmp_path, "cut.pdf", odd.cut(data, 0.95))
    assert len(result.pages) == 2 and "Trang một" in result.pages[0].text
    assert result.pages[-1].warnings[-1] == "truncated"


def test_nothing_readable_is_damaged(tmp_path):
    data = odd.scan_pdf(["Trang một"])
    for name, bad in [("head.pdf", odd.cut(data, 0.05)), ("head.tif", odd.cut(odd.bigtiff("x"), 0.3))]:
        with pytest.raises(OcrError) as err:
            _ocr(tmp_path, name, bad)
        assert err.value.code == "damaged" and "gửi lại" in err.value.message
