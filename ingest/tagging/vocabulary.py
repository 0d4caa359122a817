"""Closed vocabularies OCR damage can be repaired against: place names, organ words, positions.

OCR drops or swaps diacritics (``THÀNH PHÔ``, ``CHỦ TICH``, ``Hà Nột``) and confuses i/l (``GLÁM``).
Where a phrase of a closed vocabulary matches a span of the text letter for letter once diacritics and
confusable characters are ignored, the span is replaced by the phrase, in the span's letter case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.tagging.text import skeleton

PROVINCES = (
    "Hà Nội",
    "Thành phố Hồ Chí Minh",
    "Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "Huế",
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
    "Vũng Tàu",
    "Nha Trang",
    "Đà Lạt",
    "Buôn Ma Thuột",
    "Quy Nhơn",
    "Vinh",
    "Thủ Dầu Một",
    # Đồng Nai, where the center is: its cities and districts.
    "Biên Hòa",
    "Long Khánh",
    "Trảng Bom",
    "Nhơn Trạch",
    "Long Thành",
    "Vĩnh Cửu",
    "Định Quán",
    "Tân Phú",
    "Xuân Lộc",
    "Cẩm Mỹ",
    "Thống Nhất",
    "Hoàn Kiếm",
    "Ba Đình",
    "Thủ Đức",
)
ORGAN_WORDS = (
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "THÀNH PHỐ",
    "THỊ XÃ",
    "TỈNH",
    "HUYỆN",
    "QUẬN",
    "PHƯỜNG",
    "XÃ",
    "SỞ",
    "PHÒNG",
    "BỘ",
    "BAN",
    "CỤC",
    "CHI CỤC",
    "CHÍNH PHỦ",
    "THỦ TƯỚNG",
    "TRUNG TÂM",
    "VĂN PHÒNG",
    "PHỤC VỤ",
    "HÀNH CHÍNH CÔNG",
    "TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "TƯ PHÁP",
    "NỘI VỤ",
    "TÀI CHÍNH",
    "KẾ HOẠCH VÀ ĐẦU TƯ",
    "QUẢN LÝ ĐÔ THỊ",
    "XÂY DỰNG",
    "GIAO THÔNG VẬN TẢI",
    "CÔNG THƯƠNG",
    "Y TẾ",
    "GIÁO DỤC VÀ ĐÀO TẠO",
    "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "KHOA HỌC VÀ CÔNG NGHỆ",
    "THÔNG TIN VÀ TRUYỀN THÔNG",
    "CÔNG AN",
    "UBND",
    "HĐND",
    # Ministries and central bodies since the 2025 reorganisation, and their departments.
    "QUỐC PHÒNG",
    "NGOẠI GIAO",
    "NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "DÂN TỘC VÀ TÔN GIÁO",
    "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
    "THANH TRA CHÍNH PHỦ",
    "KIỂM TOÁN NHÀ NƯỚC",
    "KHO BẠC NHÀ NƯỚC",
    "BẢO HIỂM XÃ HỘI",
    "HẢI QUAN",
    "THUẾ",
    "BAN CHỈ ĐẠO",
    "HỘI ĐỒNG",
)
POSITIONS = (
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "THƯ KÝ",
    "CHỦ TỌA",
    "CHỦ TRÌ",
    "NGƯỜI LÀM ĐƠN",
    "NGƯỜI ĐỀ NGHỊ",
    "NGƯỜI KHAI",
    "CHỦ HỘ",
    "TỔNG GIÁM ĐỐC",
    "HIỆU TRƯỞNG",
    "CHỦ NHIỆM",
    "PHÓ CHỦ NHIỆM",
    "THỨ TRƯỞNG THƯỜNG TRỰC",
    "TỔNG KIỂM TOÁN NHÀ NƯỚC",
    "PHÓ TỔNG KIỂM TOÁN NHÀ NƯỚC",
    "TRƯỞNG THUẾ TỈNH",
    "PHÓ TRƯỞNG THUẾ TỈNH",
    "XÁC THỰC VĂN BẢN HỢP NHẤT",
    "TM.",
    "KT.",
    "TL.",
    "TUQ.",
    "ỦY BAN NHÂN DÂN",
    "CHÍNH PHỦ",
)

# Frequent words of administrative Vietnamese (two syllables or more). OCR swaps the hook and the acute
# (ẩ/ấ, ể/ế, ổ/ố) and loses dots; a span equal to one of these up to diacritics is respelt. Only phrases
# whose undiacritised form means nothing else in this register are listed, and no single syllables
# ("nam" is Việt Nam as well as năm).
ADMIN_PHRASES = (
    "thủ tục hành chính",
    "hành chính",
    "cải cách",
    "hồ sơ",
    "đề nghị",
    "đề xuất",
    "đề án",
    "bổ sung",
    "sửa đổi",
    "bãi bỏ",
    "ban hành",
    "quy chế",
    "quy định",
    "quy trình",
    "tổ chức",
    "hoạt động",
    "thực hiện",
    "triển khai",
    "kiểm tra",
    "kiểm soát",
    "chuẩn hóa",
    "công bố",
    "danh mục",
    "phê duyệt",
    "thành lập",
    "tiếp nhận",
    "giải quyết",
    "trả kết quả",
    "kết quả",
    "số hóa",
    "lưu trữ",
    "điện tử",
    "trực tuyến",
    "dịch vụ công",
    "một cửa",
    "liên thông",
    "phục vụ",
    "trung tâm",
    "văn phòng",
    "ủy ban nhân dân",
    "hội đồng",
    "nhân dân",
    "nhân sự",
    "cán bộ",
    "công chức",
    "viên chức",
    "công dân",
    "doanh nghiệp",
    "hộ kinh doanh",
    "đăng ký",
    "đất đai",
    "quyền sử dụng đất",
    "xây dựng",
    "giấy phép",
    "giấy chứng nhận",
    "hộ tịch",
    "khai sinh",
    "trích lục",
    "bản sao",
    "chứng thực",
    "tài liệu",
    "giá trị",
    "xác định",
    "kỷ luật",
    "kỷ cương",
    "tăng cường",
    "đẩy mạnh",
    "tuyên truyền",
    "tập huấn",
    "hội nghị",
    "dự họp",
    "tiếp công dân",
    "định kỳ",
    "kết luận",
    "chủ tịch",
    "phó chủ tịch",
    "giám đốc",
    "buổi làm việc",
    "thông tin",
    "cung cấp",
    "hướng dẫn",
    "góp ý",
    "dự thảo",
    "kiến nghị",
    "phản ánh",
    "trả lời",
    "kế hoạch",
    "đầu tư",
    "trung hạn",
    "giai đoạn",
    "tình hình",
    "công tác",
    "phương án",
    "bố trí",
    "phối hợp",
    "tạm ngừng",
    "nâng cấp",
    "hệ thống",
    "an toàn thực phẩm",
    "đủ điều kiện",
    "vận tải",
    "khai thác",
    "nước dưới đất",
    "biến động",
    "bàn giao",
    "hiện trạng",
    "công trình",
    "mức thu",
    "lệ phí",
    "địa bàn",
    "thông qua",
    "môi trường",
    "tài nguyên",
    # Frequent in trích yếu of decisions and resolutions; Tesseract swaps their hook and acute (ẩ/ấ, ể/ế).
    "thẩm quyền",
    "thẩm định",
    "phát triển",
    "đặc thù",
    "xuất khẩu",
    "nhập khẩu",
    "thể thao",
    "cụ thể",
    "chỉ thị",
    "nghị quyết",
    "quyết định",
    "thông tư",
    "nghị định",
    "phân cấp",
    "phân bổ",
    "ngân sách",
    "bảo đảm",
    "tiêu chuẩn",
    "tiêu chí",
    "quản lý",
    "nhà nước",
    "kinh tế",
    "xã hội",
    "chính sách",
    "chương trình",
    "mục tiêu quốc gia",
)


# Words an issuing body's name starts with; a header line that starts otherwise continues the line
# above it ("ỦY BAN NHÂN DÂN" / "TỈNH ĐỒNG NAI", "TRUNG TÂM PHỤC VỤ" / "HÀNH CHÍNH CÔNG").
ORGAN_HEADS = (
    "uy ban",
    "ubnd",
    "hoi dong",
    "hdnd",
    "bo ",
    "cuc ",
    "tong cuc",
    "chi cuc",
    "so ",
    "phong ",
    "van phong",
    "thu tuong",
    "chinh phu",
    "chu tich",
    "trung tam",
    "ban ",
    "kiem toan",
    "thue ",
    "vu ",
    "vien ",
    "toa an",
    "cong an",
    "truong dai hoc",
    "truong cao dang",
    "truong trung hoc",
    "truong thpt",
    "truong thcs",
    "truong tieu hoc",
    "truong mam non",
    "benh vien",
    "kho bac",
    "bao hiem",
    "ngan hang",
    "doan ",
    "hoc vien",
    "dai hoc",
    "quy ",
    "cong ty",
)


@lru_cache(maxsize=8)
def _compiled(vocab: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for phrase in sorted(vocab, key=len, reverse=True):
        words = [re.escape(w) for w in skeleton(phrase).split()]
        # Spaces may be lost by OCR (TRẢNGBOM): \s* between words.
        out.append((re.compile(r"(?<!\w)" + r"\s*".join(words) + r"(?!\w)"), phrase))
    return out


def _in_case_of(phrase: str, span: str) -> str:
    """``phrase`` written in the letter case of ``span`` (all capitals, all small, or word by word)."""
    if span.isupper():
        return phrase.upper()
    if span.islower():
        return phrase.lower()
    words, span_words = phrase.split(), span.split()
    if len(words) == len(span_words):
        return " ".join(
            w[:1].upper() + w[1:] if s[:1].isupper() else w[:1].lower() + w[1:]
            for w, s in zip(words, span_words, strict=True)
        )
    return phrase


def snap(text: str, vocab: tuple[str, ...]) -> tuple[str, bool]:
    """``text`` with spans equal to a vocabulary phrase (up to diacritics and i/l, 0/o) respelt.
    Returns the text and whether anything changed. Longer phrases win."""
    skel = skeleton(text)
    taken = [False] * len(text)
    repl: list[tuple[int, int, str]] = []
    for pattern, phrase in _compiled(vocab):
        for m in pattern.finditer(skel):
            if any(taken[m.start() : m.end()]):
                continue
            if " " not in m.group(0) and len(m.group(0)) < 3 and not text[m.start() : m.end()].isupper():
                continue  # short words only in capitals (organ lines), not inside sentences
            for k in range(m.start(), m.end()):
                taken[k] = True
            repl.append((m.start(), m.end(), _in_case_of(phrase, text[m.start() : m.end()])))
    out = text
    for start, end, new in sorted(repl, reverse=True):
        out = out[:start] + new + out[end:]
    return out, out != text


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def snap_whole(text: str, vocab: tuple[str, ...], max_errors: int = 1) -> tuple[str, bool]:
    """``text`` replaced by the one vocabulary entry within ``max_errors`` edits of it (on skeletons,
    entries of 5 letters or more), as for a place read ``Hà Nột``; unchanged if none or several."""
    skel = skeleton(text).replace(" ", "")
    if len(skel) < 5:
        return snap(text, vocab)
    near = {
        p
        for p in vocab
        if abs(len(skeleton(p).replace(" ", "")) - len(skel)) <= max_errors
        and _distance(skeleton(p).replace(" ", ""), skel) <= max_errors
    }
    if len(near) == 1:
        phrase = near.pop()
        return _in_case_of(phrase, text), phrase != text
    return snap(text, vocab)


_MARKS = ("TM.", "KT.", "TL.", "TUQ.", "Q.")


def snap_position(block: str) -> tuple[str, bool]:
    """Respell each line of a signer block (``KT. GLIÁM ĐỐC / PHÓ GIÁM ĐỐC``): exact vocabulary spans
    first, then the whole line after its TM./KT./TL. mark within one edit of a known position."""
    out, changed = [], False
    for part in block.split(" / "):
        fixed, did = snap(part, POSITIONS + tuple(w for w in ORGAN_WORDS if len(w) > 4))
        mark = next((m for m in _MARKS if fixed.startswith(m)), "")
        rest = fixed[len(mark) :].strip()
        if rest and rest not in POSITIONS and len(rest) >= 6:
            near, did2 = snap_whole(rest, tuple(p for p in POSITIONS if p not in _MARKS))
            if did2 and near in POSITIONS:
                fixed, did = f"{mark} {near}".strip(), True
        out.append(fixed)
        changed |= did
    return " / ".join(out), changed
