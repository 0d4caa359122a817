"""Seeded generator of realistic Vietnamese administrative pages with metadata.

Pages are assembled from sentence templates of the kind found in decisions, licences,
applications and notices of a provincial one-stop centre, filled with names, places, dates and
document notations drawn from long-tailed pools, so that common words ("ủy ban", "hồ sơ") are on
most pages while notations and hamlet names are rare: the query mix of the bench needs both.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from archive.model import Applicant, Document, DocumentMetadata, PageText

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
    "Lâm",
    "Mai",
    "Tạ",
    "Quách",
    "Cao",
    "Châu",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Hữu",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Quốc",
    "Xuân",
    "Thu",
    "Hoài",
    "Kim",
    "Gia",
    "Bảo",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Đạt",
    "Khoa",
    "Nhung",
    "Phúc",
    "Tâm",
    "Thắng",
    "Trung",
    "Việt",
    "Hiếu",
    "Loan",
    "Oanh",
    "Hậu",
    "Quyên",
]
DISTRICTS = (
    "Biên Hòa",
    "Long Khánh",
    "Nhơn Trạch",
    "Trảng Bom",
    "Long Thành",
    "Vĩnh Cửu",
    "Định Quán",
    "Tân Phú",
    "Xuân Lộc",
    "Cẩm Mỹ",
    "Thống Nhất",
)
WARDS = (
    "Tân Phong",
    "Trảng Dài",
    "Hố Nai",
    "Bửu Long",
    "Tam Hiệp",
    "Quyết Thắng",
    "An Bình",
    "Long Bình",
    "Phước Tân",
    "Tam Phước",
    "Hiệp Hòa",
    "Bình Đa",
    "Thống Nhất",
    "Tân Hiệp",
    "Xuân Thanh",
    "Bảo Vinh",
    "Phú Hữu",
    "Đại Phước",
    "Hiệp Phước",
    "Bàu Hàm",
)
HAMLET_A = ("Bàu", "Suối", "Cây", "Gò", "Bến", "Rạch", "Xóm", "Đồi", "Trảng", "Láng")
HAMLET_B = (
    "Cá",
    "Sao",
    "Dầu",
    "Tre",
    "Gáo",
    "Đá",
    "Mít",
    "Me",
    "Sen",
    "Bông",
    "Lớn",
    "Nhỏ",
    "Mới",
    "Cũ",
    "Chùa",
    "Đình",
    "Nước",
    "Muồng",
    "Găng",
    "Trôm",
)
# (code, name, organ abbreviation) of the departments whose dossiers pass through the centre.
DEPARTMENTS = (
    ("STP", "Sở Tư pháp", "STP"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "STNMT"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("SXD", "Sở Xây dựng", "SXD"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
    ("SGTVT", "Sở Giao thông vận tải", "SGTVT"),
    ("SYT", "Sở Y tế", "SYT"),
    ("SCT", "Sở Công Thương", "SCT"),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "SNN"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "SGDĐT"),
)
# (type name, notation abbreviation, role)
DOC_TYPES = (
    ("Quyết định", "QĐ", "result"),
    ("Giấy phép", "GP", "result"),
    ("Giấy chứng nhận", "GCN", "result"),
    ("Tờ khai", "TK", "component"),
    ("Đơn đề nghị", "ĐN", "component"),
    ("Công văn", "CV", "component"),
    ("Thông báo", "TB", "notice"),
    ("Biên bản", "BB", "component"),
    ("Phiếu tiếp nhận", "PTN", "notice"),
    ("Hợp đồng", "HĐ", "component"),
)
SUBJECTS = (
    "cấp giấy chứng nhận quyền sử dụng đất",
    "cấp giấy phép xây dựng nhà ở riêng lẻ",
    "đăng ký thành lập doanh nghiệp",
    "cấp phiếu lý lịch tư pháp",
    "chứng thực bản sao từ bản chính",
    "cấp giấy phép lái xe",
    "đăng ký kết hôn có yếu tố nước ngoài",
    "cấp giấy phép kinh doanh rượu",
    "thẩm định hồ sơ thiết kế phòng cháy",
    "điều chỉnh giấy chứng nhận đầu tư",
    "cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
    "hỗ trợ người lao động mất việc làm",
    "công nhận trường đạt chuẩn quốc gia",
    "cấp giấy phép khai thác nước dưới đất",
    "chuyển mục đích sử dụng đất nông nghiệp",
    "thu hồi đất để thực hiện dự án",
)
SENTENCES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 118/2025/NĐ-CP của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa, "
    "một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia;",
    "Căn cứ Quyết định số 1748/QĐ-UBND ngày 25 tháng 7 năm 2023 của Ủy ban nhân dân tỉnh Đồng Nai;",
    "Xét đề nghị của {dept_name} tại Tờ trình số {num}/TTr-{organ} ngày {date};",
    "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai đã tiếp nhận hồ sơ của ông (bà) {person}, "
    "số định danh cá nhân {cccd}, địa chỉ thường trú tại ấp {hamlet}, xã {ward}, huyện {district}.",
    "Hồ sơ gồm các thành phần theo quy định; thời hạn giải quyết là {days} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Điều {art}. {subject_cap} cho ông (bà) {person} đối với thửa đất số {num}, tờ bản đồ số {small}, "
    "diện tích {area} m2 tại phường {ward}, thành phố {district}.",
    "Điều {art}. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc {dept_name}, Chủ tịch Ủy ban nhân dân "
    "huyện {district} và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
    "Quyết định này có hiệu lực kể từ ngày ký. Nơi nhận: như Điều {art}; lưu VT, {organ}.",
    "Người đề nghị cam kết chịu trách nhiệm trước pháp luật về tính chính xác, trung thực của nội dung đã kê khai.",
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết {subject} theo đúng quy định của pháp luật hiện hành.",
    "Trường hợp hồ sơ chưa đầy đủ, cơ quan tiếp nhận hướng dẫn bổ sung một lần bằng văn bản theo mẫu.",
    "Số tiền phí, lệ phí đã nộp là {money} đồng theo biên lai số {num} ngày {date}.",
    "Biên bản được lập vào hồi {hour} giờ ngày {date} tại trụ sở {dept_name}, gồm có đại diện các bên.",
    "Kết quả giải quyết thủ tục hành chính được số hóa và lưu vào kho dữ liệu điện tử của tổ chức, cá nhân.",
    "Văn bản số {notation} ngày {date} về việc {subject} của {dept_name} đã được xem xét.",
    "Ông (bà) {person} sinh năm {year}, nghề nghiệp: {job}, hiện cư trú tại khu phố {small}, phường {ward}.",
    "Đất ở tại đô thị; nguồn gốc sử dụng: Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất.",
    "Công trình được phép xây dựng {small} tầng, chiều cao tối đa {area} m, mật độ xây dựng không quá 80%.",
    "Giao {dept_name} chủ trì, phối hợp với Ủy ban nhân dân huyện {district} kiểm tra, đôn đốc việc thực hiện.",
)
JOBS = (
    "nông dân",
    "công nhân",
    "giáo viên",
    "kỹ sư xây dựng",
    "buôn bán",
    "cán bộ hưu trí",
    "bác sĩ",
    "tài xế",
)


@dataclass
class CorpusSpec:
    """How many pages and how they are grouped; ``seed`` fixes everything."""

    pages: int
    seed: int = 1748
    applicants: int = 0  # 0: about one applicant per 12 pages

    @property
    def applicant_pool(self) -> int:
        return self.applicants or max(10, self.pages // 12)


def _person(r: random.Random) -> str:
    return f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"


def _date(r: random.Random) -> str:
    return f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2015, 2026)}"


class _Filler(dict):
    """Template values drawn lazily, so each placeholder costs only when used."""

    def __init__(self, r: random.Random, doc: dict) -> None:
        super().__init__()
        self.r, self.doc = r, doc

    def __missing__(self, key: str) -> str:
        r, d = self.r, self.doc
        pick = {
            "dept_name": lambda: d["dept_name"],
            "organ": lambda: d["organ"],
            "person": lambda: d["person"],
            "cccd": lambda: d["owner_id"],
            "subject": lambda: d["subject"],
            "subject_cap": lambda: d["subject"][0].upper() + d["subject"][1:],
            "notation": lambda: f"{r.randint(1, 9999)}/{r.choice(DOC_TYPES)[1]}-{d['organ']}",
            "num": lambda: str(r.randint(1, 9999)),
            "small": lambda: str(r.randint(1, 60)),
            "area": lambda: f"{r.randint(30, 900)},{r.randint(0, 9)}",
            "date": lambda: _date(r),
            "days": lambda: str(r.choice((3, 5, 7, 10, 15, 20, 30))),
            "art": lambda: str(r.randint(1, 5)),
            "money": lambda: f"{r.randint(1, 500) * 10_000:,}".replace(",", "."),
            "hour": lambda: str(r.randint(7, 17)),
            "year": lambda: str(r.randint(1950, 2005)),
            "job": lambda: r.choice(JOBS),
            "ward": lambda: r.choice(WARDS),
            "district": lambda: r.choice(DISTRICTS),
            "hamlet": lambda: f"{r.choice(HAMLET_A)} {r.choice(HAMLET_B)} {r.randint(1, 40)}",
        }[key]
        return pick()


def _page_text(r: random.Random, doc: dict, number: int, target: int = 2000) -> str:
    parts: list[str] = []
    if number == 1:
        parts += [
            "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"Số: {doc['notation']}",
            f"{doc['type_name'].upper()} về việc {doc['subject']}",
        ]
    size = sum(len(p) for p in parts)
    while size < target:
        sentence = r.choice(SENTENCES).format_map(_Filler(r, doc))
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def documents(spec: CorpusSpec) -> Iterator[Document]:
    """Documents of 1-8 pages until ``spec.pages`` pages were produced (deterministic)."""
    r = random.Random(spec.seed)
    made, n = 0, 0
    while made < spec.pages:
        n += 1
        dept_no = r.randrange(len(DEPARTMENTS))
        code, dept_name, organ = DEPARTMENTS[dept_no]
        type_name, abbr, role = DOC_TYPES[min(int(r.paretovariate(1.2)) - 1, len(DOC_TYPES) - 1)]
        # CCCD: province 075 (Đồng Nai), gender/century digit, birth year, six digits.
        owner = f"075{r.choice('0123')}{r.randint(50, 99):02d}{r.randrange(spec.applicant_pool):06d}"
        year, month, day = r.randint(2021, 2026), r.randint(1, 12), r.randint(1, 28)
        doc = {
            "dept_name": dept_name,
            "organ": organ,
            "person": _person(r),
            "owner_id": owner,
            "subject": r.choice(SUBJECTS),
            "type_name": type_name,
            "notation": f"{r.randint(1, 9999)}/{abbr}-{organ}",
        }
        count = min(r.choice((1, 1, 2, 2, 3, 4, 5, 8)), spec.pages - made)
        pages = [PageText(number=i, text=_page_text(r, doc, i), confidence=90.0) for i in range(1, count + 1)]
        made += count
        yield Document(
            id=f"doc-{n:08d}",
            dossier_code=f"000.00.12.H19-{year % 100:02d}{month:02d}{day:02d}-{n % 10000:04d}",
            role=role,
            component_name=type_name,
            procedure_code=f"1.{11000 + dept_no:06d}.000.00.00.H19",
            department=code,
            applicant=Applicant(id=owner, name=doc["person"]),
            metadata=DocumentMetadata(
                type_name=type_name, number=doc["notation"], subject=doc["subject"], issuing_organ=dept_name
            ),
            digitised_at=f"{year}-{month:02d}-{day:02d}T{r.randint(7, 16):02d}:{r.randint(0, 59):02d}:00Z",
            pages=pages,
        )
