"""The one closed list of reason codes sohoa gives for a file or a request it does not take as
it is, each with its Vietnamese message (for the officer) and an English one (for the IT unit).

A code is a promise to scripts: it never changes meaning. Adding one means adding it here and to
the README table (a test checks both). Codes the OCR package raises keep their Vietnamese text in
``ocr.errors`` (the OCR package stands alone), and are listed here like every other code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from ocr.errors import MESSAGES_VI as OCR_VI

log = logging.getLogger(__name__)


class Reason(StrEnum):
    """Every reason code sohoa can answer with."""

    # the file as it arrives (sniffing)
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    UNREADABLE_FILE = "unreadable_file"
    POLYGLOT = "polyglot"
    DUPLICATE = "duplicate"
    # inspection and OCR (raised in the sandbox)
    ACTIVE_CONTENT = "active_content"
    FORM_WITHOUT_CONTENT = "form_without_content"
    DECODED_TOO_LARGE = "decoded_too_large"
    ENCRYPTED = "encrypted"
    UNREADABLE = "unreadable"
    DAMAGED = "damaged"
    EMPTY = "empty"
    TOO_MANY_PAGES = "too_many_pages"
    TOO_MANY_PIXELS = "too_many_pixels"
    OCR_FAILED = "ocr_failed"
    PDFA_FAILED = "pdfa_failed"
    INSPECTION_TIMEOUT = "inspection_timeout"
    PROCESSING_TIMEOUT = "processing_timeout"
    RESOURCE_LIMIT = "resource_limit"
    # accepted, with something the officer must know
    TRUNCATED = "truncated"
    INSPECT_IN_WORKER = "inspect_in_worker"
    QUEUED_FOR_RETRY = "queued_for_retry"
    JOB_FAILED = "job_failed"
    INTERNAL_ERROR = "internal_error"
    STORAGE_ERROR = "storage_error"
    SPOOL_LOST = "spool_lost"
    # the request around the file
    INVALID_DOSSIER_CODE = "invalid_dossier_code"
    INVALID_APPLICANT_ID = "invalid_applicant_id"
    INVALID_ROLE = "invalid_role"
    INVALID_PAPER_KIND = "invalid_paper_kind"
    UNKNOWN_DEPARTMENT = "unknown_department"
    UNKNOWN_DOSSIER = "unknown_dossier"
    NO_DOSSIER_FOLDER = "no_dossier_folder"
    NO_SEPARATOR = "no_separator"
    ALREADY_ROUTED = "already_routed"
    PART_MOVED = "part_moved"
    PART_NOT_MOVABLE = "part_not_movable"
    DOSSIER_EXISTS = "dossier_exists"
    INVALID_CHANNEL = "invalid_channel"
    INVALID_DATE = "invalid_date"
    NOT_APPLICANTS_DOCUMENT = "not_applicants_document"
    NOT_REUSABLE = "not_reusable"
    EXPIRED_DOCUMENT = "expired_document"
    NOT_LINKED = "not_linked"
    RESCAN_NOT_ONE_PAGE = "rescan_not_one_page"
    RESCAN_WHOLE_ONLY = "rescan_whole_only"
    NO_SUCH_PAGE = "no_such_page"
    REASON_REQUIRED = "reason_required"
    RECORDS_REFUSED = "records_refused"
    RETENTION_NOT_LATER = "retention_not_later"


@dataclass(frozen=True)
class ReasonText:
    vi: str
    en: str


AGAIN = "đề nghị quét lại hoặc gửi lại tệp"
TEXTS: dict[Reason, ReasonText] = {
    Reason.EMPTY_FILE: ReasonText("Tệp rỗng (0 byte).", "Empty file (0 bytes)."),
    Reason.FILE_TOO_LARGE: ReasonText("Tệp quá lớn so với giới hạn cho phép.", "File over the size limit."),
    Reason.UNSUPPORTED_TYPE: ReasonText(
        "Định dạng tệp không được hỗ trợ (chỉ nhận PDF, PNG, JPEG, TIFF).",
        "Unsupported type (PDF, PNG, JPEG and TIFF only).",
    ),
    Reason.UNREADABLE_FILE: ReasonText(
        "Không đọc được tệp từ ổ đĩa.", "The file could not be read from disk."
    ),
    Reason.POLYGLOT: ReasonText(
        "Tệp mang đồng thời hai định dạng (tệp đa hình); đã cách ly, không lưu trữ.",
        "Polyglot file (valid as two formats); quarantined.",
    ),
    Reason.DUPLICATE: ReasonText("Tệp này đã có trong kho lưu trữ.", "Same bytes already archived."),
    Reason.ACTIVE_CONTENT: ReasonText(
        "Tệp PDF chứa nội dung chủ động (mã lệnh, tệp đính kèm...); đã cách ly, không lưu trữ.",
        "PDF with active content (scripts, attachments...); quarantined.",
    ),
    Reason.FORM_WITHOUT_CONTENT: ReasonText(
        "Tệp là biểu mẫu điện tử (XFA) mà nội dung không nằm trên trang: hãy in biểu mẫu đã điền ra "
        "giấy rồi quét, hoặc xuất (in ra PDF) bản đã điền rồi gửi lại.",
        "Form whose content is not on its pages (dynamic XFA): print or export the filled form.",
    ),
    Reason.DECODED_TOO_LARGE: ReasonText(
        "Tệp PDF giải nén ra quá lớn: có thể là bom giải nén.", "PDF streams inflate past the limit."
    ),
    Reason.ENCRYPTED: ReasonText(OCR_VI["encrypted"], "PDF needs a user password to open."),
    Reason.UNREADABLE: ReasonText(OCR_VI["unreadable"], "Not a valid image or PDF."),
    Reason.DAMAGED: ReasonText(OCR_VI["damaged"], "Damaged file: nothing readable; scan or send it again."),
    Reason.EMPTY: ReasonText(OCR_VI["empty"], "No pages."),
    Reason.TOO_MANY_PAGES: ReasonText(OCR_VI["too_many_pages"], "More pages than the limit."),
    Reason.TOO_MANY_PIXELS: ReasonText(OCR_VI["too_many_pixels"], "A page has more pixels than the limit."),
    Reason.OCR_FAILED: ReasonText(OCR_VI["ocr_failed"], "OCR failed."),
    Reason.PDFA_FAILED: ReasonText(OCR_VI["pdfa_failed"], "No valid PDF/A could be written."),
    Reason.INSPECTION_TIMEOUT: ReasonText(
        "Kiểm tra tệp quá thời gian cho phép (tệp có cấu trúc bất thường); " + AGAIN + ".",
        "Inspection exceeded its time budget in the worker.",
    ),
    Reason.PROCESSING_TIMEOUT: ReasonText(
        "Xử lý tệp quá thời gian cho phép; tệp có thể bị hỏng hoặc quá lớn.", "Processing timed out."
    ),
    Reason.RESOURCE_LIMIT: ReasonText(
        "Tệp vượt giới hạn tài nguyên khi giải nén hoặc xử lý (bộ nhớ, CPU).", "Memory or CPU limit hit."
    ),
    Reason.TRUNCATED: ReasonText(
        "Tệp bị cắt, có thể thiếu trang: đã lưu phần đọc được; " + AGAIN + " nếu cần đủ.",
        "Truncated file: what could be read was kept; pages may be missing.",
    ),
    Reason.INSPECT_IN_WORKER: ReasonText(
        "Tệp cần kiểm tra lâu hơn: đã nhận và chuyển cho tiến trình xử lý nền, kết quả sẽ báo sau.",
        "Inspection needs longer than the counter's budget: handed to the worker.",
    ),
    Reason.QUEUED_FOR_RETRY: ReasonText(
        "Đã nhận tệp; xử lý chưa xong, sẽ được thử lại tự động.", "Accepted; processing will be retried."
    ),
    Reason.JOB_FAILED: ReasonText(
        "Đã nhận tệp nhưng xử lý bị lỗi nội bộ nhiều lần; tệp được giữ lại, bộ phận CNTT cần kiểm tra rồi chạy lại.",
        "Accepted, but processing failed too many times; kept for `sohoa jobs retry`.",
    ),
    Reason.STORAGE_ERROR: ReasonText(
        "Lỗi nơi lưu trữ (hết dung lượng, chỉ đọc hoặc không có quyền ghi); tệp không bị lỗi, hệ thống sẽ "
        "thử lại. Hãy báo bộ phận CNTT.",
        "Storage error (disk full, read-only, no permission, store unreachable): not the file's fault; retried.",
    ),
    Reason.SPOOL_LOST: ReasonText(
        "Tệp tạm đã mất cùng thư mục dữ liệu (khôi phục trạng thái từ bản sao lưu); cần tải lên lại.",
        "The spooled file was lost with the data directory (state restored from a backup): send it again.",
    ),
    Reason.INTERNAL_ERROR: ReasonText(
        "Lỗi nội bộ khi xử lý tệp; tệp đã được nhận và giữ lại để thử lại. Hãy báo bộ phận CNTT.",
        "Internal error; the accepted file is kept for retry (details in the log).",
    ),
    Reason.INVALID_DOSSIER_CODE: ReasonText(
        "Mã hồ sơ không hợp lệ: chỉ gồm chữ, số, dấu chấm và gạch ngang.", "Invalid dossier code."
    ),
    Reason.INVALID_APPLICANT_ID: ReasonText(
        "Số định danh không hợp lệ: cần CCCD 12 chữ số, CMND 9 chữ số hoặc mã số thuế hợp lệ.",
        "Invalid applicant id.",
    ),
    Reason.INVALID_ROLE: ReasonText(
        "Vai trò tài liệu phải là component, result hoặc notice.", "Role must be component, result or notice."
    ),
    Reason.INVALID_PAPER_KIND: ReasonText(
        "Hình thức giấy tờ phải là bản chính, bản sao hoặc bản sao chứng thực.",
        "Paper kind must be original, copy or certified copy.",
    ),
    Reason.UNKNOWN_DEPARTMENT: ReasonText(
        "Mã cơ quan/phòng ban không có trong danh mục.", "Unknown department."
    ),
    Reason.UNKNOWN_DOSSIER: ReasonText("Chưa có hồ sơ này: hãy tiếp nhận hồ sơ trước.", "Unknown dossier."),
    Reason.NO_SEPARATOR: ReasonText(
        "Các trang quét trước tờ có mã QR đầu tiên: chưa biết thuộc hồ sơ nào, đã giữ lại chờ cán bộ phân loại.",
        "Batch pages before the first QR separator: held for an officer to route.",
    ),
    Reason.ALREADY_ROUTED: ReasonText(
        "Phần trang giữ lại này đã được chuyển vào hồ sơ khác rồi.",
        "This held part of a batch was already routed to a dossier.",
    ),
    Reason.PART_MOVED: ReasonText(
        "Phần này của lượt quét đã được cán bộ chuyển sang hồ sơ khác.",
        "This part of a batch was moved to another dossier by an officer.",
    ),
    Reason.PART_NOT_MOVABLE: ReasonText(
        "Không chuyển được phần này: tài liệu đang được xử lý hoặc đã lưu trữ (hoặc đã ở hồ sơ đó).",
        "This part cannot move: it is being processed or archived (or already in that dossier).",
    ),
    Reason.NO_DOSSIER_FOLDER: ReasonText(
        "Tệp phải nằm trong thư mục mang mã hồ sơ.", "Hot-folder file outside a dossier folder."
    ),
    Reason.DOSSIER_EXISTS: ReasonText("Mã hồ sơ đã tồn tại.", "Dossier code already exists."),
    Reason.INVALID_CHANNEL: ReasonText("Kênh tiếp nhận không hợp lệ.", "Invalid intake channel."),
    Reason.INVALID_DATE: ReasonText("Ngày không hợp lệ.", "Invalid date."),
    Reason.NOT_APPLICANTS_DOCUMENT: ReasonText(
        "Tài liệu không thuộc kho dữ liệu của người nộp hồ sơ này.", "Not this applicant's document."
    ),
    Reason.NOT_REUSABLE: ReasonText(
        "Thông báo không được sử dụng lại cho hồ sơ khác.", "Notices are not reusable."
    ),
    Reason.EXPIRED_DOCUMENT: ReasonText(
        "Tài liệu đã hết hiệu lực, không thể sử dụng lại.", "Expired document cannot be reused."
    ),
    Reason.NOT_LINKED: ReasonText(
        "Tài liệu này không được liên kết vào hồ sơ.", "The document is not linked to this dossier."
    ),
    Reason.RESCAN_NOT_ONE_PAGE: ReasonText(
        "Bản quét lại của một trang phải có đúng một trang.", "A page re-scan must have one page."
    ),
    Reason.RESCAN_WHOLE_ONLY: ReasonText(
        "Tài liệu gốc không phải PDF nhiều trang: hãy quét lại cả tài liệu.", "Re-scan the whole document."
    ),
    Reason.NO_SUCH_PAGE: ReasonText("Tài liệu không có trang này.", "No such page."),
    Reason.REASON_REQUIRED: ReasonText("Cần ghi lý do.", "A reason is required."),
    Reason.RECORDS_REFUSED: ReasonText(
        "Không thực hiện được thao tác hồ sơ lưu trữ.", "Records action refused."
    ),
    Reason.RETENTION_NOT_LATER: ReasonText(
        "Chỉ được kéo dài thời hạn lưu trữ: ngày mới phải sau thời hạn hiện tại.",
        "Retention can only be extended: the new date must be after the current one.",
    ),
}


def is_known(code: object) -> bool:
    """True when ``code`` is one of the closed list."""
    return isinstance(code, str) and code in Reason._value2member_map_


def message_vi(code: str) -> str:
    """The Vietnamese message of a known code (the internal error's for anything else)."""
    if not is_known(code):
        log.error("reason code outside the closed list: %r", code)
        return TEXTS[Reason.INTERNAL_ERROR].vi
    return TEXTS[Reason(code)].vi


def readme_table() -> str:
    """The README's table of codes (kept in step by a test)."""
    rows = ["| code | message (vi) | meaning (en) |", "|---|---|---|"]
    rows += [f"| `{r.value}` | {TEXTS[r].vi} | {TEXTS[r].en} |" for r in Reason]
    return "\n".join(rows)
