"""Diacritics repair of the trích yếu against the shipped word-bigram lexicon.

The misreads are Tesseract's own, seen on the development part of the real-document bench (a hook
read as an acute on capitals); the repair must fix them and leave attested words alone.
"""

from __future__ import annotations

import pytest

from ingest.tagging import extract
from ingest.tagging.bigrams import Lexicon, repair
from ingest.tagging.build_bigrams import count, runs


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        (
            "Ý KIẾN THẤM TRA CỦA ỦY BAN KINH TẾ VÀ TÀI CHÍNH",
            "Ý KIẾN THẨM TRA CỦA ỦY BAN KINH TẾ VÀ TÀI CHÍNH",
        ),
        ("TĂNG CƯỜNG PHỐI HỢP THẤM ĐỊNH GIẢI QUYẾT", "TĂNG CƯỜNG PHỐI HỢP THẨM ĐỊNH GIẢI QUYẾT"),
        ("VỀ VIỆC KHẤN TRƯƠNG CHUẨN BỊ TỔ CHỨC", "VỀ VIỆC KHẨN TRƯƠNG CHUẨN BỊ TỔ CHỨC"),
        ("ĐẠI HỘI ĐẠI BIẾU TOÀN QUỐC", "ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC"),
        ("PHÂN CẤP TUYẾN DỤNG VIÊN CHỨC", "PHÂN CẤP TUYỂN DỤNG VIÊN CHỨC"),
        ("CỦA QUỐC HỘI THÍ ĐIẾM VỀ MỘT SỐ CƠ CHẾ", "CỦA QUỐC HỘI THÍ ĐIỂM VỀ MỘT SỐ CƠ CHẾ"),
        ("LUẬT BẢO HIẾM TIỀN GỬI (SỬA ĐỔI)", "LUẬT BẢO HIỂM TIỀN GỬI (SỬA ĐỔI)"),
        ("Về việc thấm định dự án đầu tư", "Về việc thẩm định dự án đầu tư"),
    ],
)
def test_real_misreads_repaired(read: str, printed: str) -> None:
    assert repair(read) == (printed, True)


@pytest.mark.parametrize(
    "printed",
    [
        "QUY ĐỊNH VỀ DANH MỤC LOÀI NGOẠI LAI XÂM HẠI",  # LOÀI, not the commoner LOẠI
        "PHÊ DUYỆT KẾT QUẢ THĂM DÒ KHOÁNG SẢN",  # attested: THĂM DÒ stays
        "VỀ VIỆC KÝ NGHỊ ĐỊNH THƯ 1 CỦA HIỆP ĐỊNH",  # THƯ is a word: only its tone may change
        "Nguyễn Văn Xyz và Trần Thị Qwe",  # unknown words, nothing to choose from
    ],
)
def test_attested_and_unknown_words_untouched(printed: str) -> None:
    assert repair(printed) == (printed, False)


def test_one_sided_evidence_needs_a_missing_neighbour() -> None:
    lex = Lexicon(["phối hợp\t5", "hợp thẩm\t1", "thẩm định\t1", "thăm hỏi\t3"])
    # Both neighbours present: the candidate must be seen with both.
    assert repair("phối hợp thấm định", lex) == ("phối hợp thẩm định", True)
    assert repair("phối hợp thấm xyz", lex) == ("phối hợp thấm xyz", False)
    # At the end, one well-attested side is enough; a bigram seen once is not.
    assert repair("thắm hỏi", lex) == ("thăm hỏi", True)
    assert repair("hợp thấm", lex) == ("hợp thấm", False)


def test_extract_repairs_the_subject() -> None:
    page = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐẮK LẮK Độc lập - Tự do - Hạnh phúc
Số: 010/CT-UBND Đắk Lắk, ngày 17 tháng 11 năm 2025

CHỈ THỊ
VỀ VIỆC NÂNG CAO TRÁCH NHIỆM, TĂNG CƯỜNG PHỐI HỢP THẤM ĐỊNH
GIẢI QUYẾT THỦ TỤC ĐẦU TƯ

Thời gian qua, công tác thu hút đầu tư đã có nhiều chuyển biến.
"""
    subject = extract([page]).subject.value
    assert subject == (
        "VỀ VIỆC NÂNG CAO TRÁCH NHIỆM, TĂNG CƯỜNG PHỐI HỢP THẨM ĐỊNH GIẢI QUYẾT THỦ TỤC ĐẦU TƯ"
    )


def test_lexicon_runs_stop_at_numbers_and_sentence_breaks() -> None:
    text = "Căn cứ Luật Đầu tư; Nghị định số 31/2021/NĐ-CP của Chính phủ, quy định (sửa đổi)"
    assert list(runs(text)) == [
        ["căn", "cứ", "luật", "đầu", "tư"],
        ["nghị", "định", "số"],
        ["của", "chính", "phủ", "quy", "định"],
        ["sửa", "đổi"],
    ]
    assert count([text, text])[("đầu", "tư")] == 2
