"""Notices: each form renders as an A4 PDF with embedded Vietnamese fonts and the dossier's data;
the request to supplement and the apology can be issued once per dossier."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from ingest.notices import (
    NoticeError,
    NoticeLimitError,
    NoticeRegistry,
    date_line,
    issue_notice,
    render_notice,
)
from ingest.tagging import extract

DOSSIER = {
    "code": "000.00.12.H19-230725-0001",
    "procedure_code": "1.011442.000.00.00.H38",
    "procedure_name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "applicant": {
        "name": "Nguyễn Thị Ánh Tuyết",
        "id": "075089001234",
        "phone": "0912345678",
        "address": "Phường Tân Phong, thành phố Biên Hòa",
    },
    "received_at": "2023-07-25T09:30:00",
    "due_date": "2023-08-08",
    "processing_days": 10,
    "documents": [
        {"name": "Đơn đề nghị cấp giấy phép xây dựng", "form": "Bản chính", "copies": 1},
        {"name": "Giấy chứng nhận quyền sử dụng đất", "form": "Bản sao", "copies": 1},
    ],
    "department": "Sở Xây dựng",
    "officer": "Trần Văn Bình",
}
CASES = {
    "receipt": (
        {},
        [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "ngày 08/08/2023",
            "09 giờ 30 phút",
            "Giấy chứng nhận quyền sử dụng đất",
            "Nguyễn Thị Ánh Tuyết",
        ],
    ),
    "supplement": (
        {"items": ["Bản vẽ thiết kế xây dựng", "Giấy ủy quyền có công chứng"], "reason": "Thiếu bản vẽ"},
        [
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "1. Bản vẽ thiết kế xây dựng",
            "2. Giấy ủy quyền có công chứng",
        ],
    ),
    "refusal": (
        {"reason": "Thủ tục không thuộc thẩm quyền giải quyết của Sở Xây dựng"},
        ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "không thuộc thẩm quyền"],
    ),
    "apology": (
        {"reason": "Cần xác minh thực địa", "new_due_date": "2023-08-15"},
        ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "ngày 15/08/2023", "Sở Xây dựng xin lỗi"],
    ),
}


def _text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in doc.pages))


@pytest.mark.parametrize("kind", list(CASES))
def test_each_form_renders(tmp_path: Path, kind: str) -> None:
    details, expected = CASES[kind]
    out = render_notice(kind, DOSSIER, tmp_path / f"{kind}.pdf", issued_at=date(2023, 7, 25), **details)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert abs(box[2] - 595.28) < 1 and abs(box[3] - 841.89) < 1  # A4 in points
        fonts = {str(f.get("/BaseFont")) for f in pdf.pages[0].Resources.Font.values()}
        # Only embedded TrueType subsets (name prefix "XXXXXX+"), no base-14 font without Vietnamese glyphs.
        assert fonts and all("+" in f for f in fonts), fonts
    text = " ".join(_text(out).split())  # lines wrap anywhere
    for snippet in [
        *expected,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "000.00.12.H19-230725-0001",
        "Đồng Nai, ngày 25 tháng 7 năm 2023",
    ]:
        assert snippet in text, snippet
    assert "\ufffd" not in text and "(cid:" not in text


def test_notice_reads_back_through_the_tagger(tmp_path: Path) -> None:
    out = render_notice(
        "refusal", DOSSIER, tmp_path / "r.pdf", issued_at=date(2024, 1, 5), reason="Hồ sơ giả mạo"
    )
    result = extract([_text(out)])
    assert result.issued_date.value == "2024-01-05"
    assert result.place.value == "Đồng Nai"
    # The issuing body as printed, its parent apart (issue 14).
    assert result.organ.value == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    assert result.organ_parent.value == "UBND TỈNH ĐỒNG NAI"
    assert ("cccd", "075089001234") in {(i.kind, i.value) for i in result.identifiers}


def test_missing_details_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        render_notice("supplement", DOSSIER, tmp_path / "s.pdf")
    with pytest.raises(ValueError):
        render_notice("apology", DOSSIER, tmp_path / "a.pdf", reason="x")
    with pytest.raises(ValueError):
        render_notice("memo", DOSSIER, tmp_path / "m.pdf")


def test_date_line_leading_zeros() -> None:
    assert date_line("Đồng Nai", date(2024, 1, 5)) == "Đồng Nai, ngày 05 tháng 01 năm 2024"
    assert date_line("Hà Nội", date(2023, 11, 25)) == "Hà Nội, ngày 25 tháng 11 năm 2023"


def test_supplement_and_apology_only_once(tmp_path: Path) -> None:
    reg = NoticeRegistry(tmp_path / "state.sqlite3")
    code = DOSSIER["code"]
    first = reg.issue("supplement", code, issued_by="intake1", details={"items": ["Bản vẽ"]})
    with pytest.raises(NoticeLimitError, match="chỉ cho phép một lần"):
        reg.issue("supplement", code)
    reg.issue("apology", code)
    with pytest.raises(NoticeLimitError):
        reg.issue("apology", code)
    # Receipts (reprints) and refusals are not limited; other dossiers are unaffected.
    reg.issue("receipt", code)
    reg.issue("receipt", code)
    reg.issue("supplement", "000.00.12.H19-230725-0002")
    assert [r.kind for r in reg.issued(code)] == ["supplement", "apology", "receipt", "receipt"]
    assert not reg.can_issue("supplement", code) and reg.can_issue("refusal", code)
    reg.attach_document(first.id, "doc-123")
    assert reg.issued(code)[0].document_id == "doc-123"
    with pytest.raises(NoticeError):
        reg.issue("memo", code)


def test_cancel_frees_the_slot(tmp_path: Path) -> None:
    reg = NoticeRegistry(tmp_path / "state.sqlite3")
    rec = reg.issue("apology", "X-1")
    reg.cancel(rec.id)  # e.g. the PDF could not be stored
    reg.issue("apology", "X-1")
    assert len(reg.issued("X-1")) == 1


def test_issue_notice_in_one_step(tmp_path: Path) -> None:
    reg = NoticeRegistry(tmp_path / "state.sqlite3")
    record, pdf = issue_notice(
        reg,
        "apology",
        DOSSIER,
        tmp_path / "out",
        issued_by="dept1",
        reason="Cần xác minh",
        new_due_date="2023-08-15",
    )
    assert pdf.exists() and pdf.name == f"{DOSSIER['code']}.apology-{record.id}.pdf"
    with pytest.raises(NoticeLimitError):
        issue_notice(reg, "apology", DOSSIER, tmp_path / "out", reason="x", new_due_date="2023-08-20")
    # A failed render releases the slot: the missing items make the supplement fail, then it can be redone.
    with pytest.raises(ValueError):
        issue_notice(reg, "supplement", DOSSIER, tmp_path / "out")
    issue_notice(reg, "supplement", DOSSIER, tmp_path / "out", items=["Bản vẽ"], reason="Thiếu")


def test_receipt_items_are_numbered_without_gaps(tmp_path: Path) -> None:
    """A dossier without a processing time (the command line may open one without a procedure)
    numbers its receipt 1, 2, 3, 4: no item 2 missing between 1 and 3."""
    with_days = " ".join(_text(render_notice("receipt", DOSSIER, tmp_path / "a.pdf")).split())
    assert "2. Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc" in with_days
    assert "5. Nhận kết quả tại" in with_days
    bare = {k: v for k, v in DOSSIER.items() if k != "processing_days"}
    text = " ".join(_text(render_notice("receipt", bare, tmp_path / "b.pdf")).split())
    assert "Thời gian giải quyết hồ sơ theo quy định" not in text
    assert "2. Thời gian nhận hồ sơ" in text and "4. Nhận kết quả tại" in text
    assert "5. " not in text
