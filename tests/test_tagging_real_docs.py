"""Real documents drawn as printed pages, OCR'd by the service's recognition, then tagged.

They would fail if the OCR read the header columns or "Nơi nhận" and the signature block across
(``Nơi nhận: TL. CỤC TRƯỞNG``), or if the signer came from the recipients list.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from ingest.tagging import extract
from ocr.preprocess import prepare
from ocr.reading_order import ordered_lines
from ocr.tesseract import recognise, text_from_rows
from tests.support.real_docs import load_corpus, scanned_pages

DATA = Path(__file__).parent / "data" / "real_docs"


def _ocr(doc, tmp_path: Path) -> list[str]:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pages = []
    for number, img in scanned_pages(doc, dpi=300):
        prep = prepare(img, 300)
        rec = recognise(prep.image, prep.dpi, tmp_path / f"p{number}")
        assert rec.text == text_from_rows(rec.rows)
        assert _layer_lines(rec.text_pdf) == _lines(rec.text), "the text layer follows the reading order"
        pages.append(rec.text)
    return pages


def _layer_lines(pdf: Path) -> list[str]:
    """The text layer in content-stream order (what copying text or a screen reader gets)."""
    raw = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True
    )
    return _lines(raw.stdout.replace("\f", ""))


@pytest.fixture(scope="module")
def docs() -> dict:
    return {d.doc_id: d for d in load_corpus(DATA)}


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def test_customs_letter_columns_and_long_signer_block(docs, tmp_path: Path) -> None:
    doc = docs["cv-8aae102c2f"]
    pages = _ocr(doc, tmp_path)
    lines = _lines(pages[-1])
    # Columns read apart: the organ lines before the motto; the list before the signer block.
    assert (
        lines.index("BỘ TÀI CHÍNH")
        < lines.index("CỤC HẢI QUAN")
        < lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    )
    assert not any("Nơi nhận" in line and "CỤC TRƯỞNG" in line for line in lines)
    assert lines.index("TL. CỤC TRƯỞNG") > max(i for i, line in enumerate(lines) if line.startswith("- "))
    got = extract(pages)
    assert got.organ.value == "CỤC HẢI QUAN" and got.organ_parent.value == "BỘ TÀI CHÍNH"
    assert got.signer_name.value == "Nguyễn Bắc Hải"
    assert got.signer_position.value.split(" / ") == [
        "TL. CỤC TRƯỞNG",
        "KT. TRƯỞNG BAN GIÁM SÁT QUẢN LÝ VỀ HQ",
        "PHÓ TRƯỞNG BAN",
    ]
    assert got.number.value == doc.meta["number"] and got.issued_date.value == doc.meta["date"]


def test_provincial_decision_signed_for_the_chair(docs, tmp_path: Path) -> None:
    doc = docs["qd-b6ae4bd43c"]
    pages = _ocr(doc, tmp_path)
    got = extract(pages)
    assert got.type.value == "Quyết định"
    assert got.organ.value == "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" and not got.organ_parent.value
    assert got.signer_name.value == "Phạm Văn Thịnh"
    assert got.signer_position.value.split(" / ")[-2:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert got.subject.value.upper() == doc.meta["subject"].upper()


def _word(text: str, left: int, top: int, line: str) -> dict:
    return {
        "text": text,
        "left": left,
        "top": top,
        "width": 30 * len(text),
        "height": 40,
        "conf": "95",
        "block_num": "1",
        "par_num": "1",
        "line_num": line,
    }


def test_side_by_side_lines_are_read_column_by_column() -> None:
    # Tesseract's lines run across both columns; the reading order takes the left column first.
    words = [
        _word("BỘ", 100, 100, "1"),
        _word("CÔNG", 200, 100, "1"),
        _word("CỘNG", 1200, 100, "1"),
        _word("HÒA", 1350, 100, "1"),
        _word("Số:", 100, 160, "2"),
        _word("12/BCT", 200, 160, "2"),
        _word("Độc", 1200, 160, "2"),
        _word("lập", 1320, 160, "2"),
        _word("Căn", 100, 400, "3"),
        _word("cứ", 220, 400, "3"),
        _word("Luật", 320, 400, "3"),
        _word("này", 470, 400, "3"),
        _word("và", 600, 400, "3"),
        _word("luật", 700, 400, "3"),
        _word("khác", 850, 400, "3"),
        _word("nữa", 1000, 400, "3"),
        _word("đây", 1150, 400, "3"),
    ]
    texts = [t for t, _ in ordered_lines(words)]
    assert texts == ["BỘ CÔNG", "Số: 12/BCT", "CỘNG HÒA", "Độc lập", "Căn cứ Luật này và luật khác nữa đây"]


def test_a_row_with_two_gaps_of_the_same_width_is_read() -> None:
    # Three pieces set exactly as far apart (a ruled form, a spaced title): the widest gap is a tie.
    # It crashed the page's OCR (comparing pieces) on a real test-part document.
    words = [_word("Nơi", 100, 100, "1"), _word("Ngày", 1090, 100, "1"), _word("Ký", 2110, 100, "1")]
    texts = [t for t, _ in ordered_lines(words)]
    assert sorted(" ".join(texts).split()) == ["Ký", "Ngày", "Nơi"]


def test_a_notation_read_with_low_confidence_beside_the_motto_is_kept() -> None:
    # A real dev-part công văn: Tesseract read its header column's "Số:10988/BNV-CQĐP" right, with
    # confidence 25; beside the motto column it looked like seal ink and was dropped.
    words = [
        _word("BỘ", 100, 100, "1"),
        _word("NỘI", 200, 100, "1"),
        _word("VỤ", 320, 100, "1"),
        _word("CỘNG", 1200, 100, "1"),
        _word("HÒA", 1350, 100, "1"),
        {**_word("Số:10988/BNV-CQĐP", 100, 160, "2"), "conf": "25.03"},
        _word("Độc", 1200, 160, "2"),
        _word("lập", 1320, 160, "2"),
    ]
    texts = [t for t, _ in ordered_lines(words)]
    assert texts[:2] == ["BỘ NỘI VỤ", "Số:10988/BNV-CQĐP"]


def test_seal_ink_beside_the_recipients_leaves_no_junk_lines() -> None:
    words = [
        _word("Nơi", 100, 1000, "1"),
        _word("nhận:", 200, 1000, "1"),
        _word("KT.", 1200, 1000, "1"),
        _word("CHỦ", 1310, 1000, "1"),
        _word("TỊCH", 1420, 1000, "1"),
        _word("-", 100, 1060, "2"),
        _word("Như", 140, 1060, "2"),
        _word("trên;", 250, 1060, "2"),
        {**_word("z", 1250, 1060, "2"), "conf": "76"},  # the seal's ring read as letters
        {**_word("==", 1290, 1060, "2"), "conf": "76"},
        _word("-", 100, 1120, "3"),
        _word("Lưu:", 140, 1120, "3"),
        _word("VT.", 280, 1120, "3"),
        {**_word("'4", 1300, 1120, "3"), "conf": "60"},
        _word("Mai", 1200, 1180, "4"),
        _word("Sơn", 1310, 1180, "4"),
    ]
    texts = [t for t, _ in ordered_lines(words)]
    assert texts == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "Mai Sơn"]


def test_sohoa_tag_json_gives_the_organ_and_its_parent(tmp_path: Path, capsys) -> None:
    from sohoa.cli import main

    path = tmp_path / "doc.txt"
    path.write_text(
        "BỘ TÀI CHÍNH\nCỤC THUẾ\n\nSố: 5253/CT-CS\nV/v chính sách tiền thuê đất\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Hà Nội, ngày 17 tháng 11 năm 2025\n\nKính gửi: Thuế tỉnh Đắk Lắk.\n"
        "\fNơi nhận:\n- Như trên;\n- Lưu: VT, CS.\n\nTL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN CHÍNH SÁCH,\n"
        "THUẾ QUỐC TẾ\nPHÓ TRƯỞNG BAN\n\nPhạm Thị Minh Hiền\n",
        encoding="utf-8",
    )
    assert main(["--data-dir", str(tmp_path / "data"), "tag", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["organ"]["value"] == "CỤC THUẾ" and out["organ_parent"]["value"] == "BỘ TÀI CHÍNH"
    assert out["type"]["value"] == "Công văn" and out["subject"]["value"] == "V/v chính sách tiền thuê đất"
    assert out["signer"]["name"]["value"] == "Phạm Thị Minh Hiền"
    assert out["signer"]["position"]["value"].split(" / ")[-2:] == [
        "KT. TRƯỞNG BAN CHÍNH SÁCH, THUẾ QUỐC TẾ",
        "PHÓ TRƯỞNG BAN",
    ]


def test_archival_pdf_text_layer_reads_the_header_columns_apart(tmp_path: Path) -> None:
    """Through the whole OCR (PDF/A graft included): the organ's column before the motto's."""
    from PIL import Image, ImageDraw, ImageFont

    from ocr.engine import ocr_to_pdfa
    from tests.support.render import degrade, font_path

    img = Image.new("RGB", (1650, 500), "white")
    draw, font = ImageDraw.Draw(img), ImageFont.truetype(str(font_path()), 30)
    cells = [
        ("UBND TỈNH ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("SỞ TƯ PHÁP", "Độc lập - Tự do - Hạnh phúc"),
    ]
    for row, (left, right) in enumerate(cells):
        draw.text((60, 60 + 55 * row), left, font=font, fill=(20, 20, 20))
        draw.text((800, 60 + 55 * row), right, font=font, fill=(20, 20, 20))
    scan = tmp_path / "header.png"
    degrade(img, seed=3).save(scan, dpi=(200, 200))
    out = ocr_to_pdfa(scan, tmp_path / "header.pdf")
    lines = _layer_lines(out.pdfa_path)
    organ, motto = lines.index("UBND TỈNH ĐỒNG NAI"), lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert organ < lines.index("SỞ TƯ PHÁP") < motto, lines
