"""Confidence capped on fields that show OCR damage (seen on photocopies of the development part)."""

from __future__ import annotations

import pytest

from ingest.tagging import extract
from ingest.tagging.calibration import (
    DOUBTFUL,
    calibrate,
    number_doubtful,
    organ_doubtful,
    position_doubtful,
    subject_doubtful,
)
from ingest.tagging.result import Field, TagResult


@pytest.mark.parametrize(
    "block",
    [
        "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH TỊCH",  # the seal's letters read into the line
        "TRƯỞNG",  # THỨ TRƯỞNG with its first word under the seal
        "CỤC TRƯỞNG / TRƯỞNG",
        "KT. CHỦ TỊCH / CHỦ TỊCH",  # the head's title again, the deputy's lost
        "TM. CHÍNH PHỦ",  # the block ends on its TM. line
        "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN NGHIỆP VỤ",
        "CHỦ TỊCH `HỦ TỊCH",
        "KZ:BQ TRƯỞNG, CHỦ NHIỆM / CHỦ NHIỆM",
    ],
)
def test_damaged_signer_blocks_are_doubtful(block: str) -> None:
    assert position_doubtful(block)


@pytest.mark.parametrize(
    "block",
    [
        "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
        "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
        "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
        "TM. CHÍNH PHỦ / THỦ TƯỚNG",
        "GIÁM ĐỐC",
    ],
)
def test_clean_signer_blocks_are_not(block: str) -> None:
    assert not position_doubtful(block)


def test_calibrate_caps_only_damaged_fields() -> None:
    result = TagResult(
        type=Field("Quy định", 0.95),  # a Thông tư whose title line was lost
        number=Field("12/2025/TT-BCT", 0.9),
        organ=Field("ỦY BAN NHÂN DÂN TỈNH NGHỆ ¿ AN", 0.9),
        subject=Field("VỀ VIỆC BAN HÀNH QUY CHẾ QUẢN LÝ HOẠT ĐỘNG CỦA", 0.85),
        signer_name=Field("Nguyễn Văn An", 0.95),
        signer_position=Field("KT. CHỦ TỊCH / CHỦ TỊCH", 0.9),
    )
    calibrate(result)
    assert result.type.confidence == result.organ.confidence == DOUBTFUL
    assert result.subject.confidence == result.signer_position.confidence == DOUBTFUL
    assert (result.number.confidence, result.signer_name.confidence) == (0.9, 0.95)
    assert result.type.value == "Quy định" and result.organ.value.endswith("AN")  # values untouched


def test_organ_without_its_head_line() -> None:
    lost = calibrate(TagResult(organ=Field("TỈNH SƠN LA", 0.9)))  # ỦY BAN NHÂN DÂN lost
    kept = calibrate(TagResult(organ=Field("SỞ TƯ PHÁP", 0.9)))
    assert (lost.organ.confidence, kept.organ.confidence) == (DOUBTFUL, 0.9)


@pytest.mark.parametrize(
    "organ",
    [
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG. TRỊ",  # a speck read as a full stop (dev photocopies)
        "BỘ KHOA HỌC NGHỆ",  # "VÀ CÔNG" lost
        "HỘI ĐỒNG NHÂN DÂN THÀNH HUẾ",  # "PHỐ" lost
        "BỘ VĂN HÓA, THẾ THAO VÀ DU LỊCH",  # THỂ read THẾ
    ],
)
def test_damaged_organs_are_doubtful(organ: str) -> None:
    assert organ_doubtful(organ)


@pytest.mark.parametrize(
    "organ",
    [
        "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHONG",  # a commune the lexicon never saw is no damage
        "ỦY BAN NHÂN DÂN THỊ XÃ BÌNH LONG",
    ],
)
def test_organs_as_printed_are_not(organ: str) -> None:
    assert not organ_doubtful(organ)


def test_subject_cut_or_with_a_broken_notation() -> None:
    assert subject_doubtful("CÔNG BỐ BỔ SUNG DANH MỤC THỦ TỤC HÀNH CHÍNH LĨNH")
    assert subject_doubtful("V/v triển khai Nghị định 136/2025NĐ-CP")
    assert not subject_doubtful("V/v triển khai Nghị định 136/2025/NĐ-CP")
    assert not subject_doubtful("QUY ĐỊNH VỀ DANH MỤC LOÀI NGOẠI LAI XÂM HẠI")
    assert subject_doubtful("XÂY DỰNG")  # a heading taken for the subject (walkthrough)
    assert not subject_doubtful("chính sách thuế")
    assert subject_doubtful("CỤC TRƯỞNG CỤC HẢI QUAN")  # the signer's title taken for it
    assert subject_doubtful("V/v chế độ ưu đãi người có công 'năm 2026")  # a stray ' of OCR


def test_low_resolution_signature_page_caps_the_title() -> None:
    # A deputy's block on a 150 dpi copy: the seal hid PHÓ CHỦ TỊCH, the line above reads as the title.
    page = (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 5/QĐ-UBND\nĐắk Lắk, ngày 3 tháng 11 năm 2025\n"
        "QUYẾT ĐỊNH\nVề việc tiếp dân\n\nNơi nhận:\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n"
        "Nguyễn Văn An\n"
    )
    assert extract([page], [300.0]).signer_position.confidence == 0.9
    low = extract([page], [150.0])
    assert low.signer_position.confidence == DOUBTFUL and low.signer_name.confidence > 0.8
    assert extract([page], [None]).signer_position.confidence == 0.9  # a text layer


def test_cited_number_and_cut_subject() -> None:
    assert number_doubtful("42/2018/QĐ-UBND", "2025-11-03")
    assert not number_doubtful("122/2025/QĐ-UBND", "2025-11-03")
    assert not number_doubtful("01/2025/QĐ-UBND", "2026-01-02") and not number_doubtful("5/QĐ-UBND", "")
    assert subject_doubtful("VỀ VIỆC QUY ĐỊNH NỘI DUNG CHI, MỨC CHI, THỜI GIAN HỖ")  # HỖ TRỢ cut
    assert not subject_doubtful("VỀ VIỆC QUY ĐỊNH NỘI DUNG CHI, MỨC CHI, THỜI GIAN HỖ TRỢ")
