"""Every input kind counter staff produce goes through real Tesseract into a valid PDF/A-2b."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr import Limits, OcrError, ocr_to_pdfa
from ocr.pdfa import pdfa_report
from tests.support.render import font_path, render_page, save_pdf

LINES = [
    "GIẤY TIẾP NHẬN HỒ SƠ",
    "Ông Nguyễn Văn Hùng, phường Tân Phong,",
    "thành phố Biên Hòa, tỉnh Đồng Nai.",
]
LINES_2 = ["THÔNG BÁO BỔ SUNG HỒ SƠ", "Đề nghị bà Trần Thị Thu Hương nộp thêm", "bản sao giấy chứng nhận."]


def small_page(lines: list[str] = LINES, dpi: int = 200) -> Image.Image:
    """A short page: few lines keep Tesseract quick."""
    return render_page(lines, dpi=dpi, size_pt=14)


def assert_valid_pdfa(path: Path, pages: int) -> pikepdf.Pdf:
    report = pdfa_report(path)
    assert report.passed, report.findings[:5]
    pdf = pikepdf.open(path)
    assert pdf.open_metadata().pdfa_status == "2B"
    assert len(pdf.pages) == pages
    return pdf


def page_image_dpi(pdf: pikepdf.Pdf, index: int) -> tuple[float, str]:
    """Resolution and colour space of the full-page image of page ``index``."""
    page = pdf.pages[index]
    ((_, raw),) = page.get_images().items()
    width_in = float(page.mediabox[2]) / 72
    return int(raw.Width) / width_in, str(raw.ColorSpace)


def test_png_colour_page_keeps_colour_and_resolution(tmp_path):
    src = tmp_path / "page.png"
    small_page().save(src, dpi=(200, 200))
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    page = result.pages[0]
    assert "Nguyễn Văn Hùng" in page.text and "Biên Hòa" in page.text
    assert page.source == "ocr" and page.confidence > 80 and not page.needs_rescan
    pdf = assert_valid_pdfa(result.pdfa_path, 1)
    dpi, colour = page_image_dpi(pdf, 0)
    assert dpi >= 199 and colour == "/DeviceRGB"


def test_jpeg_with_exif_rotation_is_read_upright(tmp_path):
    img = small_page().rotate(90, expand=True)  # the camera stored it sideways ...
    exif = Image.Exif()
    exif[0x0112] = 6  # ... and says: turn it 90 degrees clockwise to view
    src = tmp_path / "phone.jpg"
    img.save(src, exif=exif.tobytes(), dpi=(200, 200), quality=90)
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert "Biên Hòa" in result.pages[0].text
    with pikepdf.open(result.pdfa_path) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert box[3] > box[2]  # portrait, as the sheet


def test_png_16_bit_grey(tmp_path):
    grey = np.asarray(small_page().convert("L")).astype(np.uint16) * 257
    src = tmp_path / "deep.png"
    Image.fromarray(grey).save(src, dpi=(200, 200))
    assert Image.open(src).mode.startswith("I")
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert "Nguyễn Văn Hùng" in result.pages[0].text


def test_png_with_alpha_lands_on_white(tmp_path):
    page = small_page().convert("L")
    rgba = Image.new("RGBA", page.size, (0, 0, 0, 0))  # transparent black: black once alpha is dropped
    rgba.putalpha(Image.eval(page, lambda v: 255 - v))
    src = tmp_path / "alpha.png"
    rgba.save(src, dpi=(200, 200))
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert "Biên Hòa" in result.pages[0].text


def test_cmyk_jpeg(tmp_path):
    src = tmp_path / "cmyk.jpg"
    small_page().convert("CMYK").save(src, dpi=(200, 200), quality=92)
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert "Nguyễn Văn Hùng" in result.pages[0].text
    assert_valid_pdfa(result.pdfa_path, 1)


@pytest.mark.slow
def test_multipage_tiff_keeps_page_order(tmp_path):
    src = tmp_path / "dossier.tif"
    pages = [small_page(LINES), small_page(LINES_2), small_page(LINES)]
    pages[0].save(src, save_all=True, append_images=pages[1:], dpi=(200, 200), compression="tiff_lzw")
    result = ocr_to_pdfa(src, tmp_path / "out.pdf", jobs=2)
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert "Hùng" in result.pages[0].text and "Thu Hương" in result.pages[1].text
    assert "Hùng" in result.pages[2].text
    assert_valid_pdfa(result.pdfa_path, 3)


def born_digital_pdf(
    path: Path,
    lines: list[str],
    *,
    embed: bool = True,
    invisible: bool = False,
    background: Image.Image | None = None,
) -> Path:
    """A PDF made by software (reportlab): an embedded TrueType font, or Helvetica (not embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    font = "Helvetica"
    if embed:
        pdfmetrics.registerFont(TTFont("VNSerif", str(font_path())))
        font = "VNSerif"
    if background is not None:
        c.drawImage(ImageReader(background), 0, 0, width=A4[0], height=A4[1])
    text = c.beginText(72, A4[1] - 90)
    text.setFont(font, 13)
    if invisible:
        text.setTextRenderMode(3)
    for line in lines:
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    return path


BODY = [f"Dòng {i}: hồ sơ được số hóa và lưu trữ điện tử theo quy định." for i in range(1, 6)]


def test_born_digital_pdf_uses_its_text_layer(tmp_path):
    src = born_digital_pdf(tmp_path / "digital.pdf", BODY)
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    page = result.pages[0]
    assert page.source == "textlayer" and "lưu trữ điện tử" in page.text
    assert_valid_pdfa(result.pdfa_path, 1)


def test_born_digital_without_embedded_fonts_is_still_pdfa(tmp_path):
    ascii_body = [f"Line {i}: the dossier was digitised and archived as required." for i in range(1, 6)]
    src = born_digital_pdf(tmp_path / "helvetica.pdf", ascii_body, embed=False)
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert result.pages[0].source == "textlayer" and "archived" in result.pages[0].text
    assert_valid_pdfa(result.pdfa_path, 1)


@pytest.mark.slow
def test_mixed_pdf_ocrs_only_scanned_pages(tmp_path):
    digital = born_digital_pdf(tmp_path / "digital.pdf", BODY)
    scanned = save_pdf([LINES], tmp_path / "scanned.pdf", dpi=200)
    mixed = pikepdf.new()
    for part in (digital, scanned):
        mixed.pages.extend(pikepdf.open(part).pages)
    mixed.save(tmp_path / "mixed.pdf")
    result = ocr_to_pdfa(tmp_path / "mixed.pdf", tmp_path / "out.pdf", jobs=2)
    assert [p.source for p in result.pages] == ["textlayer", "ocr"]
    assert "Biên Hòa" in result.pages[1].text
    assert_valid_pdfa(result.pdfa_path, 2)


def test_lying_text_layer_is_ocrd(tmp_path):
    # TCVN3 mojibake, as legacy Vietnamese fonts leave it, drawn invisibly over the real scan
    lie = ["Ch÷ng nhËn quyÒn sö dông ®Êt vµ tµi s¶n", "g¾n liÒn víi ®Êt ë cña hé gia ®×nh ¤ng"] * 3
    src = born_digital_pdf(tmp_path / "lie.pdf", lie, embed=False, invisible=True, background=small_page())
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    page = result.pages[0]
    assert page.source == "ocr" and "Nguyễn Văn Hùng" in page.text and "®" not in page.text


def test_owner_password_pdf_is_decrypted(tmp_path):
    plain = save_pdf([LINES], tmp_path / "plain.pdf", dpi=200)
    locked = tmp_path / "owner.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(
            locked,
            encryption=pikepdf.Encryption(
                owner="secret", user="", allow=pikepdf.Permissions(extract=False, modify_other=False)
            ),
        )
    assert pikepdf.open(locked).is_encrypted
    result = ocr_to_pdfa(locked, tmp_path / "out.pdf")
    assert "Biên Hòa" in result.pages[0].text
    pdf = assert_valid_pdfa(result.pdfa_path, 1)
    # the scanned page went in as it was: the very image bytes, no re-encoding
    with pikepdf.open(plain) as original:
        ((_, before),) = original.pages[0].get_images().items()
        ((_, after),) = pdf.pages[0].get_images().items()
        assert after.read_raw_bytes() == before.read_raw_bytes()


def test_user_password_pdf_is_refused(tmp_path):
    plain = save_pdf([LINES], tmp_path / "plain.pdf", dpi=100)
    locked = tmp_path / "user.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="secret", user="open-me"))
    with pytest.raises(OcrError) as err:
        ocr_to_pdfa(locked, tmp_path / "out.pdf")
    assert err.value.code == "encrypted" and "mật khẩu" in err.value.message
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty"), (b"not an image at all" * 10, "unreadable"), (b"%PDF-1.7\n garbage", "damaged")],
)
def test_bad_files_are_refused_with_a_code(tmp_path, content, code):
    src = tmp_path / "bad.bin"
    src.write_bytes(content)
    with pytest.raises(OcrError) as err:
        ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert err.value.code == code and err.value.message


def test_page_and_pixel_limits(tmp_path):
    two = save_pdf([LINES, LINES_2], tmp_path / "two.pdf", dpi=100)
    with pytest.raises(OcrError) as err:
        ocr_to_pdfa(two, tmp_path / "out.pdf", limits=Limits(max_pages=1))
    assert err.value.code == "too_many_pages"
    big = tmp_path / "big.png"
    Image.new("L", (3000, 3000), 255).save(big)
    with pytest.raises(OcrError) as err:
        ocr_to_pdfa(big, tmp_path / "out.pdf", limits=Limits(max_pixels=5_000_000))
    assert err.value.code == "too_many_pixels"


def test_pdf_rendered_beyond_pixel_limit_is_refused(tmp_path):
    buf = io.BytesIO()
    small_page(dpi=100).save(buf, format="PDF", resolution=100)
    (tmp_path / "a.pdf").write_bytes(buf.getvalue())
    with pytest.raises(OcrError) as err:
        ocr_to_pdfa(tmp_path / "a.pdf", tmp_path / "out.pdf", limits=Limits(max_pixels=1_000_000))
    assert err.value.code == "too_many_pixels"


def test_bilevel_group4_tiff(tmp_path):
    src = tmp_path / "fax.tif"
    small_page(dpi=300).convert("1").save(src, compression="group4", dpi=(300, 300))
    result = ocr_to_pdfa(src, tmp_path / "out.pdf")
    assert "Nguyễn Văn Hùng" in result.pages[0].text
    assert_valid_pdfa(result.pdfa_path, 1)
