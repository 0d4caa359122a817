"""Wording of the four notices (after the forms of Circular 01/2018/TT-VPCP), filled from a dossier.

Paragraphs use reportlab's mini-markup (``<b>``, ``<i>``); every value from the dossier is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from html import escape
from typing import Any

TITLES = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
}


def title_for(kind: str) -> str:
    if kind not in TITLES:
        raise ValueError(f"unknown notice kind {kind!r}")
    return TITLES[kind]


def _e(value: Any) -> str:
    return escape(str(value if value is not None else ""))


def when_text(value: Any, with_time: bool = False) -> str:
    """``09 giờ 30 phút, ngày 25/07/2023`` or ``ngày 25/07/2023`` from an ISO string or date."""
    if not value:
        return "...................."
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if ("T" in value or " " in value) else date.fromisoformat(value)
    if isinstance(value, datetime) and with_time:
        return f"{value.hour:02d} giờ {value.minute:02d} phút, ngày {value:%d/%m/%Y}"
    return f"ngày {value:%d/%m/%Y}"


def _applicant_lines(dossier: Mapping[str, Any]) -> list[str]:
    a = dossier.get("applicant") or {}
    out = [f"Hồ sơ của: <b>{_e(a.get('name', ''))}</b>"]
    if a.get("id"):
        out.append(f"Số định danh cá nhân/mã số thuế: {_e(a['id'])}")
    if a.get("address"):
        out.append(f"Địa chỉ: {_e(a['address'])}")
    contact = [
        f"Số điện thoại: {_e(a['phone'])}" if a.get("phone") else "",
        f"Email: {_e(a['email'])}" if a.get("email") else "",
    ]
    if any(contact):
        out.append("; ".join(c for c in contact if c))
    proc = _e(dossier.get("procedure_name", ""))
    code = dossier.get("procedure_code")
    out.append(f"Nội dung yêu cầu giải quyết: <b>{proc}</b>" + (f" (mã thủ tục {_e(code)})" if code else ""))
    return out


DOCUMENTS_TABLE = "[[documents]]"  # where render.py puts the table of components


def _receipt(dossier: Mapping[str, Any], center: Mapping[str, Any], details: Mapping[str, Any]) -> list[str]:
    days = dossier.get("processing_days")
    items: list[str] = []  # numbered below, so a missing item leaves no gap in the numbering
    if dossier.get("documents"):
        items.append("Thành phần hồ sơ nộp gồm:")
    if days:
        items.append(f"Thời gian giải quyết hồ sơ theo quy định: <b>{_e(days)}</b> ngày làm việc.")
    items += [
        f"Thời gian nhận hồ sơ: {when_text(dossier.get('received_at'), True)}.",
        f"Thời gian trả kết quả giải quyết hồ sơ: <b>{when_text(dossier.get('due_date'))}</b>.",
        f"Nhận kết quả tại: {_e(details.get('return_place') or 'Bộ phận trả kết quả')}."
        + (f" Điện thoại liên hệ: {_e(center['phone'])}." if center.get("phone") else ""),
    ]
    out = _applicant_lines(dossier)
    for i, item in enumerate(items, 1):
        out.append(f"{i}. {item}")
        if i == 1 and dossier.get("documents"):
            out.append(DOCUMENTS_TABLE)
    return out


def _supplement(
    dossier: Mapping[str, Any], center: Mapping[str, Any], details: Mapping[str, Any]
) -> list[str]:
    items = [f"{i}. {_e(x)}" for i, x in enumerate(details.get("items") or [], 1)]
    return [
        *_applicant_lines(dossier),
        f"Ngày tiếp nhận: {when_text(dossier.get('received_at'))}. Sau khi xem xét, hồ sơ chưa đủ điều kiện "
        "để giải quyết. Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        *items,
        f"Lý do: {_e(details.get('reason', ''))}",
        "Việc yêu cầu bổ sung được thực hiện một lần, đầy đủ. Thời hạn giải quyết được tính lại từ đầu sau khi "
        "nhận đủ hồ sơ."
        + (
            f" Nếu có vướng mắc, ông/bà liên hệ số điện thoại {_e(center['phone'])} để được hướng dẫn."
            if center.get("phone")
            else ""
        ),
    ]


def _refusal(dossier: Mapping[str, Any], center: Mapping[str, Any], details: Mapping[str, Any]) -> list[str]:
    return [
        *_applicant_lines(dossier),
        "Qua xem xét, cơ quan tiếp nhận từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        f"<b>{_e(details.get('reason', ''))}</b>",
        "Xin thông báo để ông/bà được biết và thực hiện.",
    ]


def _apology(dossier: Mapping[str, Any], center: Mapping[str, Any], details: Mapping[str, Any]) -> list[str]:
    dept = _e(dossier.get("department") or "Cơ quan giải quyết")
    return [
        *_applicant_lines(dossier),
        f"Ngày tiếp nhận: {when_text(dossier.get('received_at'))}; thời hẹn trả kết quả: "
        f"{when_text(dossier.get('due_date'))}.",
        f"Tuy nhiên đến nay {dept} chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hạn ghi trên Giấy tiếp "
        f"nhận hồ sơ và hẹn trả kết quả. Lý do: {_e(details.get('reason', ''))}",
        f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {dept} xin lỗi ông/bà về sự bất tiện này và sẽ trả kết quả "
        f"giải quyết hồ sơ cho ông/bà vào <b>{when_text(details.get('new_due_date'))}</b>.",
        "Xin trân trọng cảm ơn sự hợp tác của ông/bà.",
    ]


_BUILDERS = {"receipt": _receipt, "supplement": _supplement, "refusal": _refusal, "apology": _apology}


def body_for(
    kind: str, dossier: Mapping[str, Any], center: Mapping[str, Any], details: Mapping[str, Any]
) -> list[str]:
    """The body paragraphs of ``kind`` for ``dossier``."""
    title_for(kind)
    if kind == "supplement" and not details.get("items"):
        raise ValueError("a request to supplement must list what to supplement (items=[...])")
    if kind == "apology" and not details.get("new_due_date"):
        raise ValueError("an apology must give the new date (new_due_date=...)")
    if kind == "refusal" and not details.get("reason"):
        raise ValueError("a refusal must give its reason (reason=...)")
    return [p for p in _BUILDERS[kind](dossier, center, details) if p]
