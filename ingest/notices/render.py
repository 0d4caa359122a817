"""Printable A4 notices (Circular 01/2018/TT-VPCP forms 01-04, as kept by Circular 03/2025/TT-VPCP):
receipt and appointment slip, request to supplement, refusal, apology with a new date.

reportlab with an embedded TrueType serif that has the Vietnamese glyphs (Noto Serif, Liberation
Serif or DejaVu Serif); all text is NFC, so every letter is one precomposed glyph.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ingest.notices.fonts import register_fonts
from ingest.notices.qr import draw_qr, payload
from ingest.notices.texts import DOCUMENTS_TABLE, body_for, title_for

CENTER_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_CENTER = {
    "organ_lines": ["UBND TỈNH ĐỒNG NAI", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"],
    "place": "Đồng Nai",
    "phone": "",
}


def nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text if text is not None else ""))


def date_line(place: str, when: date) -> str:
    """``Đồng Nai, ngày 05 tháng 01 năm 2024`` (Decree 30: zero before days < 10 and months < 3)."""
    day = f"{when.day:02d}" if when.day < 10 else str(when.day)
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"{place}, ngày {day} tháng {month} năm {when.year}"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=13, leading=17, alignment=TA_JUSTIFY, spaceAfter=3)
    return {
        "body": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER, spaceAfter=0),
        "head": ParagraphStyle(
            "head", parent=base, fontSize=12.5, leading=15, alignment=TA_CENTER, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            fontName=f"{font}-Bold",
            spaceBefore=10,
            spaceAfter=8,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=11, leading=14),
    }


def _header(center: Mapping[str, Any], code: str, issued: date, st: dict[str, ParagraphStyle]) -> Table:
    lines = [escape(nfc(x)) for x in center.get("organ_lines", DEFAULT_CENTER["organ_lines"])]
    left = "<br/>".join(lines[:-1] + [f"<b>{lines[-1]}</b>"]) + "<br/>_______________"
    right = (
        "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/><b>Độc lập - Tự do - Hạnh phúc</b><br/>"
        "_______________________"
    )
    place = nfc(center.get("place", DEFAULT_CENTER["place"]))
    rows = [
        [Paragraph(left, st["head"]), Paragraph(right, st["head"])],
        [
            Paragraph(f"Mã hồ sơ: {escape(code)}", st["head"]),
            Paragraph(f"<i>{escape(date_line(place, issued))}</i>", st["head"]),
        ],
    ]
    table = Table(rows, colWidths=[72 * mm, 98 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def _documents_table(docs: list[Mapping[str, Any]], st: dict[str, ParagraphStyle], font: str) -> Table:
    rows: list[list[Any]] = [
        [Paragraph(f"<b>{h}</b>", st["center"]) for h in ("TT", "Tên giấy tờ", "Hình thức", "Số lượng")]
    ]
    for i, d in enumerate(docs, 1):
        rows.append(
            [
                Paragraph(str(i), st["center"]),
                Paragraph(escape(nfc(d.get("name", ""))), st["small"]),
                Paragraph(escape(nfc(d.get("form", "Bản chính"))), st["center"]),
                Paragraph(str(d.get("copies", 1)), st["center"]),
            ]
        )
    table = Table(rows, colWidths=[12 * mm, 100 * mm, 32 * mm, 24 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), font),
            ]
        )
    )
    return table


def _signatures(kind: str, dossier: Mapping[str, Any], st: dict[str, ParagraphStyle]) -> Table:
    officer = escape(nfc(dossier.get("officer", "")))
    left = "<b>NGƯỜI NỘP HỒ SƠ</b><br/><i>(Ký và ghi rõ họ tên)</i>" if kind == "receipt" else ""
    right_title = {
        "receipt": "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "supplement": "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "refusal": "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "apology": "THỦ TRƯỞNG CƠ QUAN",
    }[kind]
    applicant = escape(nfc((dossier.get("applicant") or {}).get("name", ""))) if kind == "receipt" else ""
    right = f"<b>{right_title}</b><br/><i>(Ký và ghi rõ họ tên)</i>"
    rows = [
        [Paragraph(left, st["center"]), Paragraph(right, st["center"])],
        ["", ""],
        [Paragraph(f"<b>{applicant}</b>", st["center"]), Paragraph(f"<b>{officer}</b>", st["center"])],
    ]
    table = Table(rows, colWidths=[80 * mm, 90 * mm], rowHeights=[None, 22 * mm, None])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName)])
    )
    return table


def _as_date(value: Any, default: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value:
        return datetime.fromisoformat(str(value)).date()
    return default


def render_notice(
    kind: str,
    dossier: Mapping[str, Any],
    out_path: str | Path,
    *,
    center: Mapping[str, Any] | None = None,
    issued_at: date | datetime | str | None = None,
    font_dirs: list[str | Path] | None = None,
    **details: Any,
) -> Path:
    """Write the ``kind`` notice (receipt | supplement | refusal | apology) for ``dossier`` to ``out_path``.

    ``dossier``: ``code``, ``procedure_code``, ``procedure_name``, ``applicant`` {name, id, phone,
    address}, ``received_at``, ``due_date`` (ISO), ``documents`` [{name, form, copies}], ``department``,
    ``officer``. ``details``: supplement ``items`` (list) and ``reason``; refusal ``reason``; apology
    ``reason`` and ``new_due_date``. ``center``: ``organ_lines``, ``place``, ``phone``.
    """
    font = register_fonts(font_dirs)
    st = _styles(font)
    center = {**DEFAULT_CENTER, **(center or {})}
    # Today in the center's zone: a server clock in UTC is a day behind after 17:00 in Vietnam.
    issued = _as_date(issued_at, datetime.now(ZoneInfo(center.get("timezone", CENTER_TIMEZONE))).date())
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # The receipt carries the dossier's QR code above the header (batch scanning sorts by it).
    receipt = kind == "receipt"
    doc = SimpleDocTemplate(
        str(out_path),
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=(RECEIPT_QR_MM + 8 if receipt else 20) * mm,
        bottomMargin=20 * mm,
        title=nfc(title_for(kind)),
        author=nfc(" ".join(center["organ_lines"])),
        subject=nfc(dossier.get("code", "")),
        initialFontName=font,
    )
    story: list[Flowable] = [
        _header(center, nfc(dossier.get("code", "")), issued, st),
        Paragraph(escape(nfc(title_for(kind))), st["title"]),
    ]
    for para in body_for(kind, dossier, center, details):
        if para == DOCUMENTS_TABLE:
            story += [_documents_table(list(dossier["documents"]), st, font), Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(nfc(para), st["body"]))
    story += [Spacer(1, 6 * mm), _signatures(kind, dossier, st)]
    code = nfc(dossier.get("code", ""))
    doc.build(story, onFirstPage=(lambda c, _d: _receipt_qr(c, code)) if receipt else (lambda c, _d: None))
    return out_path


RECEIPT_QR_MM = 26


def _receipt_qr(canvas: Any, code: str) -> None:
    """The dossier's QR code in the top right corner of the receipt's first page."""
    width, height = A4
    size = RECEIPT_QR_MM * mm
    draw_qr(canvas, payload(code), width - 15 * mm - size, height - 5 * mm - size, size)
