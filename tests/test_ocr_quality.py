"""Accuracy on damaged administrative scans, per-page quality and re-scan reasons, text layer placement."""

from __future__ import annotations

import subprocess

import numpy as np
import pdfplumber
import pytest
from PIL import Image, ImageFilter

from bench.ocr.metrics import cer
from ocr import OcrPage, ocr_to_pdfa, warning_message
from ocr.preprocess import estimate_skew, recognition_grey
from ocr.quality import Thresholds, assess
from ocr.tesseract import is_junk
from ocr.textlayer import text_layer_is_good
from tests.support.render import admin_document, render_admin_page, save_admin_scan


@pytest.fixture(scope="module")
def photocopy(tmp_path_factory):
    """A photocopy (150 dpi grey JPEG q50, skewed, specks, fold) and its OCR through sohoa."""
    tmp = tmp_path_factory.mktemp("photocopy")
    path, truths = save_admin_scan(tmp / "copy.jpg", "photocopy", seed=3003, orders=True)
    result = ocr_to_pdfa(path, tmp / "copy.pdf")
    return path, truths, result


@pytest.mark.slow
def test_photocopy_read_far_better_than_plain_tesseract(photocopy):
    path, truths, result = photocopy
    plain = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie"], capture_output=True, text=True, check=True
    ).stdout
    ours = min(cer(t, result.pages[0].text) for t in truths)
    theirs = min(cer(t, plain) for t in truths)
    assert ours < 0.06, ours
    assert ours < 0.6 * theirs, (ours, theirs)


def test_photocopy_quality_figures(photocopy):
    _, _, result = photocopy
    page = result.pages[0]
    q = page.quality
    assert q["cleaned"] and 1.0 <= abs(q["skew"]) <= 4.5 and q["dpi"] == 150
    assert page.confidence is not None and page.confidence > 80
    assert page.warnings == ["low_resolution"] and page.needs_rescan
    assert "200 dpi" in page.rescan_reasons[0]
    # the archival copy keeps the archive's floor of 200 dpi even for a 150 dpi photocopy
    from tests.test_ocr_inputs import assert_valid_pdfa, page_image_dpi

    with assert_valid_pdfa(result.pdfa_path, 1) as pdf:
        assert page_image_dpi(pdf, 0)[0] >= 199


def test_text_layer_follows_the_skewed_original(photocopy):
    """The text was read on a deskewed copy; in the PDF/A it must lie on the skewed original image."""
    _, _, result = photocopy
    skew = result.pages[0].quality["skew"]
    with pdfplumber.open(result.pdfa_path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    # slope between neighbouring letters of a line (the next letter a little to the right)
    slopes = [
        (b["bottom"] - a["bottom"]) / (b["x0"] - a["x0"])
        for a, b in zip(chars, chars[1:], strict=False)
        if 2 < b["x0"] - a["x0"] < 20
    ]
    assert len(slopes) > 500
    slope = float(np.median(slopes))
    # a page turned counter-clockwise by ``-skew`` has lines rising to the right: bottom falls with x
    assert slope == pytest.approx(np.tan(np.radians(skew)), abs=0.008)


def test_red_seal_dropped_for_recognition():
    img, _ = render_admin_page(admin_document(5), dpi=100)
    grey = recognition_grey(img)
    rgb = np.asarray(img)
    red = rgb[..., 0].astype(int) - rgb[..., 1] > 100
    assert red.sum() > 500 and (grey[red] == 255).all()


@pytest.mark.parametrize("angle", [-3.5, -1.2, 0.0, 2.0])
def test_skew_is_measured(angle):
    img, _ = render_admin_page(admin_document(8), dpi=150)
    turned = img.rotate(angle, resample=Image.BICUBIC, fillcolor="white")
    assert estimate_skew(recognition_grey(turned), 150) == pytest.approx(-angle, abs=0.2)


def test_blank_page_is_flagged(tmp_path):
    src = tmp_path / "blank.png"
    arr = np.random.default_rng(1).normal(245, 4, (2339, 1654)).clip(0, 255).astype("uint8")
    Image.fromarray(arr).save(src, dpi=(200, 200))
    page = ocr_to_pdfa(src, tmp_path / "out.pdf").pages[0]
    assert "blank_page" in page.warnings and page.needs_rescan and page.quality["blank"]


def test_unreadable_page_asks_for_rescan(tmp_path):
    img, _ = render_admin_page(admin_document(9), dpi=200)
    src = tmp_path / "smeared.png"
    img.convert("L").filter(ImageFilter.GaussianBlur(4)).save(src, dpi=(200, 200))
    page = ocr_to_pdfa(src, tmp_path / "out.pdf").pages[0]
    assert page.needs_rescan
    assert set(page.warnings) & {"low_confidence", "many_doubtful_words", "no_text"}
    assert all(r and r[0].isupper() for r in page.rescan_reasons)


def test_assess_thresholds():
    words = [("hồ", 95.0), ("sơ", 91.0), ("tiếp", 96.0), ("nhận", 97.0), ("x", 20.0), ("đất", 30.0)]
    quality, warnings = assess(words=words, dpi=300, skew=0.5, ink=0.05)
    assert quality["confidence"] > 70 and quality["doubtful_share"] == 0.333
    assert warnings == ["many_doubtful_words"]
    assert assess(words=words[3:], dpi=300, skew=0.5, ink=0.05)[1] == ["low_confidence"]
    quality, warnings = assess(
        words=words, dpi=120, skew=6.0, ink=0.05, thresholds=Thresholds(max_doubtful_share=0.9)
    )
    assert warnings == ["low_resolution", "skewed"]
    assert assess(words=None, dpi=300, skew=0, ink=0.05)[1] == []


def test_warning_messages_are_vietnamese():
    for code in (
        "low_confidence",
        "many_doubtful_words",
        "low_resolution",
        "blank_page",
        "skewed",
        "no_text",
    ):
        assert any(
            ch in warning_message(code) for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
        )
    page = OcrPage(1, "x", warnings=["low_resolution"])
    assert page.needs_rescan and page.rescan_reasons == [warning_message("low_resolution")]
    assert not OcrPage(2, "y").needs_rescan


def test_text_layer_judgement():
    good = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 của Quốc hội"
    assert text_layer_is_good(good)
    assert not text_layer_is_good("(cid:3)(cid:17)(cid:42) " * 10)
    assert not text_layer_is_good(good.encode("utf-8").decode("latin-1"))
    assert not text_layer_is_good("Ch÷ng nhËn quyÒn sö dông ®Êt vµ tµi s¶n g¾n liÒn víi ®Êt")
    assert not text_layer_is_good("   ")


def test_junk_tokens():
    assert is_junk("~7IẤE", 0.0) and is_junk("“—", 40.0)
    assert not is_junk("Biên", 40.0) and not is_junk("Hòa", 90.0)


def test_upside_down_page_is_turned_and_read(tmp_path):
    from tests.test_ocr_inputs import small_page

    src = tmp_path / "upside-down.png"
    small_page().rotate(180).save(src, dpi=(200, 200))
    page = ocr_to_pdfa(src, tmp_path / "out.pdf").pages[0]
    assert page.quality["turned"] == 180 and "Nguyễn Văn Hùng" in page.text and not page.needs_rescan


def test_little_ink_that_reads_well_is_not_a_blank_page():
    from ocr.quality import assess

    words = [("Giấy", 95.0), ("xác", 96.0), ("nhận", 94.0)]
    quality, warnings = assess(words=words, dpi=300, skew=0.0, ink=0.0004)
    assert "blank_page" not in warnings and quality["blank"] is False
    _, empty = assess(words=[], dpi=300, skew=0.0, ink=0.0004)
    assert "blank_page" in empty
