"""The printable cover sheet (tờ bìa phân tách) of a batch scan: put on top of a result or an
internal paper of a dossier before the stack goes through the scanner; its QR code says which
dossier, role and component the pages after it are. The sheet itself is dropped at intake."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from ingest.notices.fonts import register_fonts
from ingest.notices.qr import draw_qr, payload
from ingest.notices.render import DEFAULT_CENTER, nfc

ROLE_NAMES = {"component": "Thành phần hồ sơ", "result": "Kết quả giải quyết", "notice": "Thông báo"}
COVER_QR_MM = 70


class _QrFlowable(Flowable):
    """A centred QR code in the story."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.size = text, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._x = (avail_width - self.size) / 2
        return avail_width, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.text, self._x, 0, self.size)


def render_cover_sheet(
    dossier: Mapping[str, Any],
    role: str,
    component: str,
    out_path: str | Path,
    *,
    center: Mapping[str, Any] | None = None,
) -> Path:
    """Write the cover sheet of ``dossier`` (``code``, ``applicant_name``, ``procedure_name``) for
    a document of ``role`` named ``component`` to ``out_path``."""
    font = register_fonts(None)
    center = {**DEFAULT_CENTER, **(center or {})}
    base = ParagraphStyle("c", fontName=font, fontSize=14, leading=19, alignment=TA_CENTER)
    title = ParagraphStyle("t", parent=base, fontName=f"{font}-Bold", fontSize=18, leading=24)
    code = nfc(dossier.get("code", ""))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(out_path), pagesize=A4, topMargin=25 * mm, bottomMargin=20 * mm)
    doc.title, doc.subject = "TỜ BÌA PHÂN TÁCH HỒ SƠ", code
    lines = [
        escape(nfc(" - ".join(center["organ_lines"]))),
        f"Mã hồ sơ: <b>{escape(code)}</b>",
        f"Người nộp: {escape(nfc(dossier.get('applicant_name', '')))}",
        f"Loại giấy tờ: {escape(ROLE_NAMES.get(role, role))}",
        f"Tên giấy tờ: <b>{escape(nfc(component))}</b>",
    ]
    story: list[Flowable] = [Paragraph("TỜ BÌA PHÂN TÁCH HỒ SƠ", title), Spacer(1, 8 * mm)]
    story += [Paragraph(line, base) for line in lines]
    story += [Spacer(1, 12 * mm), _QrFlowable(payload(code, role, nfc(component)), COVER_QR_MM * mm)]
    story += [
        Spacer(1, 10 * mm),
        Paragraph("Đặt tờ này lên trên giấy tờ khi quét hàng loạt. Tờ bìa không được lưu vào hồ sơ.", base),
    ]
    doc.build(story)
    return out_path
