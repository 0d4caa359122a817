"""Tagging on OCR text: each field, the header columns in either order, OCR damage, identifiers."""

from __future__ import annotations

import pytest

from ingest.tagging import extract
from ingest.tagging.notation import parse_notation

DECISION = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐỒNG NAI Độc lập - Tự do - Hạnh phúc
Số: 1748/QĐ-UBND Đồng Nai, ngày 25 tháng 7 năm 2023

QUYẾT ĐỊNH
Ban hành Quy chế tổ chức và hoạt động của Trung tâm Phục vụ
hành chính công tỉnh Đồng Nai

ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế tổ chức và hoạt động.

Nơi nhận: TM. ỦY BAN NHÂN DÂN
- Như Điều 3; KT. CHỦ TỊCH
- Lưu: VT. PHÓ CHỦ TỊCH

Võ Tấn Đức
"""
EXPECTED = {
    "type": "Quyết định",
    "number": "1748/QĐ-UBND",
    "issued_date": "2023-07-25",
    "place": "Đồng Nai",
    "organ": "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
    "subject": "Ban hành Quy chế tổ chức và hoạt động của Trung tâm Phục vụ hành chính công tỉnh Đồng Nai",
    "signer_name": "Võ Tấn Đức",
    "signer_position": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
}
# Tesseract read the right column first, then the left one.
REVERSED = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đồng Nai, ngày 25 tháng 7 năm 2023

ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
Số: 1748/QĐ-UBND
""" + DECISION.split("\n", 3)[3]
# Left column first, then the right one.
LEFT_FIRST = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
———
Số: 1748/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đồng Nai, ngày 25 tháng 7 năm 2023
""" + DECISION.split("\n", 3)[3]


@pytest.mark.parametrize(
    "text", [DECISION, REVERSED, LEFT_FIRST], ids=["merged", "right-first", "left-first"]
)
def test_every_field_in_any_column_order(text: str) -> None:
    assert extract([text]).values() == EXPECTED


def test_locations_and_confidence() -> None:
    result = extract([DECISION]).to_dict()
    assert result["number"]["page"] == 1 and result["number"]["line"] == 3
    assert result["type"]["line"] == 5
    assert result["subject"]["line"] == 6
    assert result["signer"]["name"]["line"] == 19
    for name in ("type", "number", "issued_date", "place", "organ", "subject"):
        assert 0.5 <= result[name]["confidence"] <= 1.0


def test_lost_diacritics_and_confusions() -> None:
    damaged = """UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM
TINH DONG NAI Doc lap - Tu do - Hanh phuc
So: l748/QD-UBND Dong Nai, ngay 25 thang 7 nam 2O23
QUYET DINH
Ban hanh Quy che to chuc
Can cu Luat To chuc chinh quyen dia phuong;
"""
    got = extract([damaged]).values()
    assert got["type"] == "Quyết định"
    assert got["number"] == "1748/QĐ-UBND"
    assert got["issued_date"] == "2023-07-25"
    assert got["place"] == "Đồng Nai"  # respelt from the list of places
    assert got["organ"] == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"
    assert got["subject"] == "Ban hành Quy chế tổ chức"  # respelt from the administrative phrases


def test_date_broken_over_two_lines_and_eth() -> None:
    text = "BỘ NỘI VỤ\nSố: 12/2024/TT-BNV Hà Nội, ngày 05 tháng 01\nnăm 2024\nTHÔNG TƯ\nQuy định về lưu trữ\n"
    got = extract([text.replace("Đ", "\u00d0")]).values()
    assert got["issued_date"] == "2024-01-05"
    assert got["number"] == "12/2024/TT-BNV"
    assert got["type"] == "Thông tư" and got["organ"] == "BỘ NỘI VỤ"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("1748/QĐ-UBND", "1748/QĐ-UBND"),
        ("l748 / QD-UBND", "1748/QĐ-UBND"),
        ("107/2O21/NĐ-CP", "107/2021/NĐ-CP"),
        ("2128/QĐÐ-QLĐT", "2128/QĐ-QLĐT"),
        ("737/TTr-UBND", "737/TTr-UBND"),
        ("345/UBND-KT", "345/UBND-KT"),
        ("12/OĐ-STP", "12/QĐ-STP"),
        ("5/TB-QLĐTHà Nội", "5/TB-QLĐT"),
        ("36/2O25QĐ-CTUBND", "36/2025/QĐ-CTUBND"),  # a real dev-part misread: the year's slash lost
        ("36/2025QĐ-CTUBND", "36/2025/QĐ-CTUBND"),
        ("12/1234ABC", "12/1234ABC"),  # four digits that are no year stay as they are
    ],
)
def test_notation_repairs(raw: str, expected: str) -> None:
    assert parse_notation(raw)[0] == expected


def test_cong_van_subject_from_vv() -> None:
    text = """UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc
Số: 345/STP-VP Đồng Nai, ngày 12 tháng 3 năm 2024
V/v đề nghị cung cấp thông tin
hồ sơ đất đai

Kính gửi: Ủy ban nhân dân các huyện
Thực hiện Nghị định số 61/2018/NĐ-CP, Sở Tư pháp đề nghị ...

GIÁM ĐỐC

Trần Thị Mai
"""
    got = extract([text]).values()
    assert got["type"] == "Công văn"
    assert got["subject"] == "V/v đề nghị cung cấp thông tin hồ sơ đất đai"
    assert got["organ"] == "SỞ TƯ PHÁP"
    assert extract([text]).organ_parent.value == "UBND TỈNH ĐỒNG NAI"
    assert got["signer_position"] == "GIÁM ĐỐC" and got["signer_name"] == "Trần Thị Mai"


def test_citizen_application_form() -> None:
    text = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG
Kính gửi: Ủy ban nhân dân Trảng Bom
Thực hiện Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ.
Ông/bà: LÝ HOÀI TRUNG, số định danh cá nhân (CCCD): 092078196331.
Điện thoại liên hệ: 0356.060.257.

Trảng Bom, ngày 15 tháng 12 năm 2024
NGƯỜI LÀM ĐƠN
(Ký và ghi rõ họ tên)

Lê Thu Ánh
"""
    got = extract([text])
    assert got.values() == {
        "type": "Đơn",
        "number": "",
        "issued_date": "2024-12-15",
        "place": "Trảng Bom",
        "organ": "",
        "subject": "ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        "signer_name": "Lê Thu Ánh",
        "signer_position": "NGƯỜI LÀM ĐƠN",
    }
    assert {(i.kind, i.value) for i in got.identifiers} == {("cccd", "092078196331"), ("phone", "0356060257")}


def test_signer_on_second_page() -> None:
    page2 = "Điều 3. Các cơ quan thi hành.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn An\n"
    result = extract([DECISION.split("Nơi nhận")[0], page2])
    assert result.signer_name.value == "Nguyễn Văn An" and result.signer_name.page == 2
    assert result.signer_position.value == "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"


def test_position_ocr_damage_respelt() -> None:
    text = "Điều 2. Thi hành.\nTL. GLÁM ĐỐC\nCHÁNH VĂN PHONG\n\nPhạm Minh Tâm\n"
    assert extract([text]).signer_position.value == "TL. GIÁM ĐỐC / CHÁNH VĂN PHÒNG"
    text = "Điều 2. Thi hành.\nKT. GLIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nPhạm Minh Tâm\n"  # a letter too many
    assert extract([text]).signer_position.value == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"


def test_identifiers() -> None:
    text = (
        "Số CCCD: 075089001234, CMND số 27l234567; MST: 0100233488 và chi nhánh 0100233488-001;\n"
        "Điện thoại: 0912 345 678, máy bàn 0251.3822.111; mã thủ tục 1.011442.000.00.00.H38.\n"
        "Mã số thuế 0100233489 (sai số kiểm tra) và 123456789012 (mã tỉnh 123 không có).\n"
    )
    found = {(i.kind, i.value) for i in extract([text]).identifiers}
    assert found == {
        ("cccd", "075089001234"),
        ("cmnd", "271234567"),
        ("tax_code", "0100233488"),
        ("tax_code", "0100233488-001"),
        ("phone", "0912345678"),
        ("phone", "02513822111"),
        ("procedure_code", "1.011442.000.00.00.H38"),
    }


def test_empty_input() -> None:
    result = extract([""])
    assert result.values()["type"] == "" and result.identifiers == []
    assert result.to_dict()["signer"]["name"]["value"] == ""


def test_minutes_dated_by_hom_nay() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 15/BB-UBND\nBIÊN BẢN\nHọp Hội đồng xác định giá trị tài liệu\n\n"
        "Căn cứ Quyết định số 1748/QĐ-UBND ngày 25 tháng 7 năm 2023;\n"
        "Hôm nay, ngày 04 tháng 3 năm 2024, tại trụ sở Ủy ban nhân dân tỉnh.\n"
    )
    got = extract([text]).values()
    assert got["type"] == "Biên bản" and got["issued_date"] == "2024-03-04" and got["place"] == ""
    assert got["subject"] == "Họp Hội đồng xác định giá trị tài liệu"


def test_body_citation_is_not_the_date() -> None:
    text = "CHÍNH PHỦ\nNGHỊ ĐỊNH\nQuy định về lưu trữ\n\nCăn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
    assert extract([text]).issued_date.value == ""


def test_authority_line_ends_the_subject_and_merged_motto() -> None:
    text = (
        "ỦY BAN NHÂN DÂNCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN TRẢNG BOM Độc lập - Tự do - Hạnh phúc\n"
        "Số:1748/QĐ-UBND Trảng Bom, ngày 5 tháng 7 năm 2023\nQUYẾT ĐỊNH\nV/v phê duyệt kế hoạch\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN TRẢNG BOM\nCăn cứ Luật;\nCHỦ TỊCH\n\nNGUYỄN VĂN AN\n"
    )
    got = extract([text]).values()
    assert got["subject"] == "V/v phê duyệt kế hoạch"
    assert got["organ"] == "ỦY BAN NHÂN DÂN HUYỆN TRẢNG BOM"
    assert got["signer_name"] == "NGUYỄN VĂN AN" and got["signer_position"] == "CHỦ TỊCH"


def test_organ_noise_trimmed_and_merged_words_split() -> None:
    text = (
        "BỘ TÀI CHÍNH TEEN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/2024/TT-BTC Hà Nội, ngày 05 tháng 01 năm 2024\nTHÔNG TƯ\nQuy định về lưu trữ\n"
    )
    assert extract([text]).organ.value == "BỘ TÀI CHÍNH"
    assert (
        extract([text.replace(" TEEN ", "\nTEEN ")]).organ.value == "BỘ TÀI CHÍNH"
    )  # the rule, read as letters
    text2 = (
        "UBND HUYỆN TRẢNGBOM\nPHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG se\nSố: 5/TB-TNMT\nTHÔNG BÁO\nLịch tiếp dân\n"
    )
    result = extract([text2])
    assert result.organ.value == "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG" and result.organ.confidence < 0.9
    assert result.organ_parent.value == "UBND HUYỆN TRẢNG BOM"
    speck = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ ¿ AN\nSố: 5/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc tiếp dân\n"
    assert extract([speck]).organ.value == "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"  # a photocopy speck


def test_citizen_component_form_fields_are_not_a_subject() -> None:
    text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nGIẤY KHAI SINH\n"
        "Họ, chữ đệm, tên: NGUYỄN VĂN AN\nSố định danh cá nhân: 075089001234\n"
    )
    result = extract([text])
    assert result.type.value == "Giấy khai sinh" and result.subject.value == ""
    assert [(i.kind, i.value) for i in result.identifiers] == [("cccd", "075089001234")]


def test_subject_respelling_keeps_other_words() -> None:
    text = (
        "UBND TỈNH ĐỒNG NAI\nSỞ TƯ PHÁP\nSố: 7/TB-STP\nTHÔNG BÁO\n"
        "Kiếm tra hố sơ công dân tại Nam Định và thang máy Trung tâm\n\nCăn cứ Luật;\n"
    )
    assert extract([text]).subject.value == "Kiểm tra hồ sơ công dân tại Nam Định và thang máy Trung tâm"


def test_surname_respelt_from_closed_list() -> None:
    text = "Điều 3. Thi hành.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nĐỉnh Ngọc Vinh\n"
    assert extract([text]).signer_name.value == "Đinh Ngọc Vinh"


@pytest.mark.parametrize(
    "tail",
    [
        "THƯ KÝ CHỦ TRÌ\n\nNgô Thanh Nam Tạ Quốc Thảo\n",  # the two blocks read as one
        "THƯ KÝ\n\nNgô Thanh Nam\nCHỦ TRÌ\n\nTạ Quốc Thảo\n",  # left block first
        "THƯ KÝ CHỦ TRÌ\n\nLê Minh Quân Tạ Quốc Thảo\n",  # Quân also reads as the surname Quan
    ],
)
def test_minutes_signed_by_secretary_and_chair(tail: str) -> None:
    text = "BIÊN BẢN\nHọp Hội đồng\n\nHôm nay, ngày 04 tháng 3 năm 2024, tại trụ sở.\n\n" + tail
    got = extract([text]).values()
    assert (got["signer_name"], got["signer_position"]) == ("Tạ Quốc Thảo", "CHỦ TRÌ")
