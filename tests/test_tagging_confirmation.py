"""The officer's confirmations and corrections are stored with the document and survive its manifest."""

from __future__ import annotations

from archive.model import Document
from ingest.tagging import extract, record_confirmation, record_proposal, tagging_accuracy

TEXT = """UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc
Số: 345/QĐ-STP Đồng Nai, ngày 12 tháng 3 năm 2024
QUYẾT ĐỊNH
Về việc cấp bản sao trích lục hộ tịch
Căn cứ Luật Hộ tịch; Ông Lê Văn Nam, CCCD 075089001234.
GIÁM ĐỐC

Trần Thị Mai
"""


def test_proposal_then_confirmation_round_trip() -> None:
    doc = Document(id="d1", dossier_code="000.00.12.H19-240312-0001")
    result = extract([TEXT])
    record_proposal(doc.metadata, result)
    # Empty fields are pre-filled with the proposal, so the officer only confirms.
    assert doc.metadata.type_name == "Quyết định" and doc.metadata.number == "345/QĐ-STP"
    assert doc.metadata.extra["place"] == "Đồng Nai"
    review = record_confirmation(
        doc.metadata,
        {"subject": "Về việc cấp bản sao trích lục khai sinh", "signer_position": "GIÁM ĐỐC"},
        officer="intake1",
    )
    assert (
        review["subject"] == "corrected"
        and review["type"] == "confirmed"
        and review["signer_position"] == "confirmed"
    )
    assert doc.metadata.subject == "Về việc cấp bản sao trích lục khai sinh"
    assert doc.metadata.signer == "Trần Thị Mai" and doc.metadata.issued_date == "2024-03-12"
    again = Document.from_json(doc.to_json())
    entry = again.metadata.extra["tagging"]
    assert entry["confirmed_by"] == "intake1"
    assert entry["proposed"]["subject"]["value"] == "Về việc cấp bản sao trích lục hộ tịch"
    assert entry["confirmed"]["subject"] == "Về việc cấp bản sao trích lục khai sinh"
    assert again.metadata.extra["identifiers"][0]["value"] == "075089001234"


def test_accuracy_in_real_use() -> None:
    docs = [Document(id=f"d{i}", dossier_code="X") for i in range(4)]
    for i, doc in enumerate(docs):
        record_proposal(doc.metadata, extract([TEXT]))
        fixes = {"number": "346/QĐ-STP"} if i == 0 else {}
        record_confirmation(doc.metadata, fixes, officer="o")
    unreviewed = Document(id="u", dossier_code="X")
    record_proposal(unreviewed.metadata, extract([TEXT]))
    stats = tagging_accuracy(d.metadata for d in [*docs, unreviewed])
    assert stats["number"] == {"reviewed": 4, "right": 3, "accuracy": 0.75}
    assert stats["type"]["accuracy"] == 1.0


def test_unknown_field_refused() -> None:
    doc = Document(id="d", dossier_code="X")
    record_proposal(doc.metadata, extract([TEXT]))
    try:
        record_confirmation(doc.metadata, {"colour": "red"}, officer="o")
    except ValueError as exc:
        assert "colour" in str(exc)
    else:
        raise AssertionError("unknown field accepted")
