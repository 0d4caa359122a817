"""The one error type of the OCR package, with a stable code the ingest side maps to a reason code."""

from __future__ import annotations

MESSAGES_VI = {
    "encrypted": "Tệp PDF được bảo vệ bằng mật khẩu mở tệp; hãy nộp bản không đặt mật khẩu.",
    "unreadable": "Không đọc được tệp: không phải ảnh hoặc PDF hợp lệ, hoặc tệp bị hỏng.",
    "damaged": "Tệp bị hỏng, không đọc được nội dung nào: đề nghị quét lại hoặc gửi lại tệp.",
    "empty": "Tệp không có trang nào.",
    "too_many_pages": "Tệp có quá nhiều trang so với giới hạn cho phép.",
    "too_many_pixels": "Ảnh quá lớn (số điểm ảnh vượt giới hạn cho phép).",
    "ocr_failed": "Nhận dạng ký tự (OCR) thất bại.",
    "pdfa_failed": "Không tạo được tệp PDF/A hợp lệ.",
}


class OcrError(Exception):
    """The input could not be turned into a PDF/A.

    ``code`` is one of ``MESSAGES_VI`` (the ingest side lists them in ``ingest.reasons``); ``message`` is Vietnamese for the counter officer; ``detail`` is
    technical, for the log.
    """

    def __init__(self, code: str, detail: str = "", message: str | None = None) -> None:
        self.code = code
        self.message = message or MESSAGES_VI.get(code, "Lỗi xử lý OCR.")
        self.detail = detail
        super().__init__(f"{self.message} ({code}{': ' + detail if detail else ''})")
