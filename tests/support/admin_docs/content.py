"""Labelled Vietnamese administrative documents (Decree 30/2020 layout) for the tagging tests and bench.

``make_corpus(n, seed)`` returns documents with their expected metadata; ``layout.render_doc``
draws them as A4 pages. The content is made up but follows the real forms: organ block and national
motto in two columns, number and notation, place and date, title and trích yếu, body citing other
documents (dates and numbers that must not be taken for the document's own), recipients, signer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.vn import mst

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lương",
    "Tạ",
]
MIDDLES = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Ngọc", "Quốc", "Thu", "Xuân", "Hoài", "Anh"]
GIVENS = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vinh",
    "Yến",
    "Đạt",
    "Ánh",
]
# (organ lines, notation suffix, place, signer blocks)
ORGANS = [
    (
        ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI"],
        "UBND",
        "Đồng Nai",
        [["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]],
    ),
    (
        ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BIÊN HÒA"],
        "UBND",
        "Biên Hòa",
        [["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["CHỦ TỊCH"]],
    ),
    (
        ["UBND TỈNH ĐỒNG NAI", "SỞ TƯ PHÁP"],
        "STP",
        "Đồng Nai",
        [["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]],
    ),
    (
        ["UBND TỈNH ĐỒNG NAI", "SỞ NỘI VỤ"],
        "SNV",
        "Đồng Nai",
        [["GIÁM ĐỐC"], ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]],
    ),
    (
        ["UBND HUYỆN TRẢNG BOM", "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG"],
        "TNMT",
        "Trảng Bom",
        [["TRƯỞNG PHÒNG"], ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"]],
    ),
    (
        ["UBND TỈNH ĐỒNG NAI", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"],
        "TTHCC",
        "Đồng Nai",
        [["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]],
    ),
    (
        ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"],
        "UBND",
        "Thành phố Hồ Chí Minh",
        [["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]],
    ),
    (["UBND QUẬN HOÀN KIẾM", "PHÒNG QUẢN LÝ ĐÔ THỊ"], "QLĐT", "Hà Nội", [["TRƯỞNG PHÒNG"]]),
    (["BỘ NỘI VỤ"], "BNV", "Hà Nội", [["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], ["BỘ TRƯỞNG"]]),
    (["BỘ TÀI CHÍNH"], "BTC", "Hà Nội", [["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]]),
    (
        ["CHÍNH PHỦ"],
        "CP",
        "Hà Nội",
        [["TM. CHÍNH PHỦ", "THỦ TƯỚNG"], ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]],
    ),
    (["UBND TỈNH BÌNH DƯƠNG", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"], "SKHĐT", "Bình Dương", [["GIÁM ĐỐC"]]),
]
CENTRAL = {"CP": "NĐ", "BNV": "TT", "BTC": "TT"}
SUBJECTS = {
    "Quyết định": [
        "Về việc ban hành Quy chế tổ chức và hoạt động của Trung tâm Phục vụ hành chính công tỉnh",
        "Về việc phê duyệt danh mục thủ tục hành chính thực hiện tiếp nhận tại Trung tâm",
        "Về việc công bố danh mục thủ tục hành chính được chuẩn hóa lĩnh vực hộ tịch",
        "Về việc thành lập Tổ công tác số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    ],
    "Nghị quyết": [
        "Về việc thông qua kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025",
        "Quy định mức thu phí, lệ phí trên địa bàn tỉnh",
    ],
    "Chỉ thị": [
        "Về việc tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính",
        "Về đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    ],
    "Thông báo": [
        "Về việc tạm ngừng tiếp nhận hồ sơ trực tuyến để nâng cấp hệ thống",
        "Kết luận của Phó Chủ tịch tại buổi làm việc về cải cách hành chính",
        "Về lịch tiếp công dân định kỳ tháng 8",
    ],
    "Kế hoạch": [
        "Triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Kiểm tra công tác cải cách hành chính năm 2024",
        "Tuyên truyền về dịch vụ công trực tuyến",
    ],
    "Tờ trình": [
        "Về việc đề nghị phê duyệt phương án bố trí nhân sự tại Trung tâm",
        "Đề nghị ban hành Quy chế phối hợp giải quyết thủ tục hành chính",
    ],
    "Báo cáo": [
        "Tình hình tiếp nhận và giải quyết thủ tục hành chính quý II",
        "Kết quả thực hiện số hóa hồ sơ tháng 6",
        "Công tác kiểm soát thủ tục hành chính năm 2023",
    ],
    "Biên bản": [
        "Họp Hội đồng xác định giá trị tài liệu",
        "Kiểm tra hiện trạng công trình xây dựng",
        "Bàn giao hồ sơ lưu trữ",
    ],
    "Công văn": [
        "V/v đề nghị cung cấp thông tin hồ sơ đất đai",
        "V/v hướng dẫn thực hiện thủ tục cấp phép xây dựng",
        "V/v góp ý dự thảo Quy chế số hóa hồ sơ",
        "V/v trả lời kiến nghị của công dân",
    ],
    "Giấy mời": ["Dự họp triển khai Kế hoạch cải cách hành chính", "Dự hội nghị tập huấn số hóa hồ sơ"],
    "Hướng dẫn": [
        "Thực hiện lưu trữ hồ sơ điện tử",
        "Quy trình tiếp nhận hồ sơ qua dịch vụ bưu chính công ích",
    ],
    "Nghị định": [
        "Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
        "Quy định về thực hiện thủ tục hành chính trên môi trường điện tử",
    ],
    "Thông tư": [
        "Hướng dẫn thi hành một số quy định về cơ chế một cửa",
        "Quy định về lưu trữ hồ sơ điện tử của cơ quan nhà nước",
    ],
    "Giấy chứng nhận": ["ĐĂNG KÝ HỘ KINH DOANH", "ĐĂNG KÝ DOANH NGHIỆP", "ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM"],
    "Giấy phép": ["XÂY DỰNG", "KINH DOANH VẬN TẢI BẰNG XE Ô TÔ", "KHAI THÁC NƯỚC DƯỚI ĐẤT"],
    "Đơn": [
        "ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH",
        "ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        "ĐỀ NGHỊ ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
    ],
}
ABBREV = {
    "Quyết định": "QĐ",
    "Nghị quyết": "NQ",
    "Chỉ thị": "CT",
    "Thông báo": "TB",
    "Kế hoạch": "KH",
    "Tờ trình": "TTr",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Giấy mời": "GM",
    "Hướng dẫn": "HD",
    "Giấy chứng nhận": "GCN",
    "Giấy phép": "GP",
}
CITED = [
    "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ",
    "Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ",
    "Thông tư số 01/2018/TT-VPCP ngày 23 tháng 11 năm 2018 của Văn phòng Chính phủ",
    "Quyết định số 1748/QĐ-UBND ngày 25 tháng 7 năm 2023 của Ủy ban nhân dân tỉnh",
]
FILLER = [
    "Các cơ quan, đơn vị có liên quan chịu trách nhiệm tổ chức thực hiện nội dung này đúng quy định.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời để được hướng dẫn.",
    "Việc tiếp nhận, số hóa hồ sơ được thực hiện ngay sau khi tiếp nhận theo quy định hiện hành.",
    "Kết quả giải quyết thủ tục hành chính được lưu trữ điện tử và chia sẻ để tái sử dụng.",
]
PROCEDURES = [
    "1.011442.000.00.00.H38",
    "2.000305.000.00.00.H19",
    "1.004227.000.00.00.H19",
    "1.001612.000.00.00.H19",
    "2.001711.000.00.00.H19",
]
CCCD_PROVINCES = ["001", "075", "079", "048", "092", "036", "038", "040", "074", "068"]
MOBILE = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "032", "035", "070", "077", "083"]


@dataclass
class AdminDoc:
    """One labelled document: what is drawn and what the tagger should find."""

    doc_id: str
    layout: str  # standard | congvan | don | licence
    type_name: str
    organ: list[str]
    number: str
    place: str
    issued: date
    title: str  # the title line as printed ("" for a công văn)
    subject: str
    body: list[str]
    recipients: list[str]
    signer_position: list[str]
    signer_name: str
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    font: str = "liberation"
    second_signer: tuple[str, str] = ("", "")  # (position, name) signing on the left, as minutes' secretary

    @property
    def date_line(self) -> str:
        """Decree 30 writes days below 10 and months below 3 with a leading zero."""
        d, m = self.issued.day, self.issued.month
        day = f"{d:02d}" if d < 10 else str(d)
        month = f"{m:02d}" if m < 3 else str(m)
        return f"{self.place}, ngày {day} tháng {month} năm {self.issued.year}"

    @property
    def has_parent(self) -> bool:
        """``UBND TỈNH ĐỒNG NAI`` above ``SỞ TƯ PHÁP``: the first line is the parent body."""
        return len(self.organ) > 1 and self.organ[0].startswith("UBND ")

    def labels(self) -> dict:
        """Expected tagging output, in the shape of ``TagResult.to_dict()`` values."""
        return {
            "type": self.type_name,
            "number": self.number,
            "issued_date": self.issued.isoformat(),
            "place": self.place,
            "organ": " ".join(self.organ[1:] if self.has_parent else self.organ),
            "organ_parent": self.organ[0] if self.has_parent else "",
            "subject": self.subject,
            "signer_name": self.signer_name,
            "signer_position": " / ".join(self.signer_position),
            "identifiers": sorted(f"{k}:{v}" for k, v in self.identifiers),
        }


def person(rnd: random.Random) -> str:
    return f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLES)} {rnd.choice(GIVENS)}"


def cccd(rnd: random.Random) -> str:
    year = rnd.randint(1950, 2005)
    century_sex = (0 if year < 2000 else 2) + rnd.randint(0, 1)
    return f"{rnd.choice(CCCD_PROVINCES)}{century_sex}{year % 100:02d}{rnd.randint(0, 999999):06d}"


def tax_code(rnd: random.Random, branch: bool = False) -> str:
    while True:  # a remainder of 10 gives no valid check digit: draw again
        base = f"{rnd.choice(['01', '03', '36', '37', '02'])}{rnd.randint(0, 9999999):07d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            break
    code = base + check
    return f"{code}-{rnd.randint(1, 20):03d}" if branch else code


def phone(rnd: random.Random) -> tuple[str, str]:
    """(printed form, normalised digits) of a mobile number."""
    digits = rnd.choice(MOBILE) + f"{rnd.randint(0, 9999999):07d}"
    style = rnd.randint(0, 2)
    printed = [
        digits,
        f"{digits[:4]} {digits[4:7]} {digits[7:]}",
        f"{digits[:4]}.{digits[4:7]}.{digits[7:]}",
    ][style]
    return printed, digits


def _body(rnd: random.Random, type_name: str) -> list[str]:
    cites = rnd.sample(CITED, k=2)
    paras = (
        [f"Căn cứ {c};" for c in cites]
        if type_name in ("Quyết định", "Nghị quyết", "Nghị định", "Thông tư", "Chỉ thị")
        else []
    )
    filler = rnd.choice(FILLER)
    paras.append(f"Thực hiện {rnd.choice(CITED)}, {filler[0].lower()}{filler[1:]}")
    # About one document in eight runs onto a second page, so the signer is not on page 1.
    paras += rnd.sample(FILLER, k=2) * (7 if rnd.random() < 0.12 else 1)
    return paras


def _identifiers(rnd: random.Random, layout: str, body: list[str]) -> list[tuple[str, str]]:
    ids: list[tuple[str, str]] = []
    if layout in ("don", "licence") or rnd.random() < 0.3:
        name, number = person(rnd).upper(), cccd(rnd)
        if rnd.random() < 0.2:
            number = f"{rnd.randint(100000000, 399999999)}"
            body.append(f"Ông/bà: {name}, số CMND: {number}.")
            ids.append(("cmnd", number))
        else:
            body.append(f"Ông/bà: {name}, số định danh cá nhân (CCCD): {number}.")
            ids.append(("cccd", number))
    if layout == "licence" or rnd.random() < 0.25:
        code = tax_code(rnd, branch=rnd.random() < 0.2)
        body.append(f"Mã số thuế: {code}.")
        ids.append(("tax_code", code))
    if layout == "don" or rnd.random() < 0.3:
        printed, digits = phone(rnd)
        body.append(f"Điện thoại liên hệ: {printed}.")
        ids.append(("phone", digits))
    if rnd.random() < 0.3:
        proc = rnd.choice(PROCEDURES)
        body.append(f"Mã thủ tục hành chính: {proc}.")
        ids.append(("procedure_code", proc))
    return ids


def _number(rnd: random.Random, type_name: str, suffix: str, year: int, layout: str) -> str:
    n = rnd.randint(1, 2999)
    if layout == "don":
        return ""
    if type_name in ("Nghị định", "Thông tư"):
        return f"{n}/{year}/{CENTRAL.get(suffix, 'TT')}-{suffix}"
    if layout == "congvan":
        return (
            f"{n}/{suffix}-{rnd.choice(['VP', 'KT', 'HCTH', 'NC'])}"
            if suffix == "UBND"
            else f"{n}/{suffix}-VP"
        )
    if type_name == "Nghị quyết" and rnd.random() < 0.5:
        return f"{n}/{year}/NQ-HĐND"
    return f"{n}/{ABBREV[type_name]}-{suffix}"


def make_doc(rnd: random.Random, doc_id: str, type_name: str) -> AdminDoc:
    """One random document of ``type_name``."""
    layout = {"Công văn": "congvan", "Đơn": "don", "Giấy chứng nhận": "licence", "Giấy phép": "licence"}.get(
        type_name, "standard"
    )
    if type_name in ("Nghị định",):
        organ_row = ORGANS[10]
    elif type_name == "Thông tư":
        organ_row = rnd.choice(ORGANS[8:10])
    else:
        organ_row = rnd.choice(ORGANS[:8] + ORGANS[11:])
    organ, suffix, place, signers = organ_row
    issued = date(2019, 1, 1) + timedelta(days=rnd.randint(0, 2900))
    subject = rnd.choice(SUBJECTS[type_name])
    title = "" if layout == "congvan" else type_name.upper()
    if layout in ("don", "licence"):
        title = f"{type_name.upper()} {subject}"
        subject = subject[0] + subject[1:].lower()
    body = _body(rnd, type_name)
    ids = _identifiers(rnd, layout, body)
    position, name = rnd.choice(signers), person(rnd)
    if layout == "don":
        organ, position, place = [], ["NGƯỜI LÀM ĐƠN"], rnd.choice(["Đồng Nai", "Biên Hòa", "Trảng Bom"])
    recipients = ["- Như trên;", "- Lưu: VT."] if layout != "don" else []
    second = ("", "")
    if type_name == "Biên bản":
        # Minutes are signed by the secretary (left) and the chair (right), without a recipients list.
        # A generator of its own keeps the rest of the corpus the same as before this was added.
        second, position, recipients = (
            ("THƯ KÝ", person(random.Random(doc_id + "/secretary"))),
            ["CHỦ TRÌ"],
            [],
        )
    return AdminDoc(
        doc_id,
        layout,
        type_name,
        organ,
        _number(rnd, type_name, suffix, issued.year, layout),
        place,
        issued,
        title,
        subject,
        body,
        recipients,
        position,
        name,
        ids,
        font=rnd.choice(["liberation", "liberation", "noto", "dejavu"]),
        second_signer=second,
    )


def make_corpus(n: int = 66, seed: int = 2024) -> list[AdminDoc]:
    """``n`` documents cycling through every type (16 types), reproducible from ``seed``."""
    rnd = random.Random(seed)
    types = list(SUBJECTS)
    return [make_doc(rnd, f"doc{i:03d}", types[i % len(types)]) for i in range(n)]
