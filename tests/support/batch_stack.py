"""A small scanned stack for the batch web tests: a stray page, a cover sheet of a justice (TP)
dossier with one page and a blank back, a receipt of a construction (XD) dossier with one page;
150 dpi greyscale, one image PDF as a network scanner writes it."""

from __future__ import annotations

from pathlib import Path

from ingest.dossiers.opening import open_dossier
from ingest.notices.cover import render_cover_sheet
from ingest.notices.render import render_notice
from tests.support.stack import blank_page, save_stack, scan_pdf_page, text_page

TP_PROCEDURE, XD_PROCEDURE = "1.000894.000.00.00.H19", "1.009972.000.00.00.H19"
TP_CODE, XD_CODE = "000.00.12.H19-251202-0301", "000.00.12.H19-251202-0302"
COMPONENT = "Tờ khai đăng ký kết hôn"
STRAY = ["GIẤY XÁC NHẬN CƯ TRÚ", "Ông Phạm Văn Đức cư trú tại phường Tân Phong"]
TP_PAGE = ["TỜ KHAI ĐĂNG KÝ KẾT HÔN", "Kính gửi: UBND phường Tân Phong"]
XD_PAGE = ["BẢN VẼ THIẾT KẾ", "Nhà ở riêng lẻ hai tầng"]


def open_dossiers(svc) -> None:
    """The TP and XD dossiers the stack's separators name."""
    desk = svc.dossiers
    procedures = desk.procedures.procedures
    open_dossier(desk, "test", procedures[TP_PROCEDURE], "001203004567", "Trần Thị Thu Hương", code=TP_CODE)
    open_dossier(desk, "test", procedures[XD_PROCEDURE], "079188001234", "Lê Văn Minh", code=XD_CODE)


def make_stack(folder: Path) -> Path:
    """Pages: 1 stray, 2 cover sheet (TP), 3 text, 4 blank back, 5 receipt (XD), 6 text."""
    render_cover_sheet(
        {"code": TP_CODE, "applicant_name": "Hương"}, "component", COMPONENT, folder / "bia.pdf"
    )
    receipt = {"code": XD_CODE, "procedure_name": "Cấp giấy phép xây dựng", "applicant": {"name": "Minh"}}
    render_notice("receipt", {**receipt, "documents": []}, folder / "bien-nhan.pdf")
    pages = [
        text_page(STRAY, 150, 1),
        scan_pdf_page(folder / "bia.pdf", 150, seed=2),
        text_page(TP_PAGE, 150, 3),
        blank_page(150, 4),
        scan_pdf_page(folder / "bien-nhan.pdf", 150, seed=5),
        text_page(XD_PAGE, 150, 6),
    ]
    path = folder / "chong-0001.pdf"
    save_stack(pages, path, 150)
    return path
