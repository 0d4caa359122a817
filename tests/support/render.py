"""Generate Vietnamese 'scans' for the tests: text rendered with real fonts, degraded like a scan.

Nothing here is mocked: the images go through real Tesseract in the tests.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
]
FONT_FILES = ["LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf", "DejaVuSerif.ttf"]
A4_MM = (210, 297)


def font_path(bold: bool = False) -> Path:
    """The first installed serif font with Vietnamese glyphs."""
    for name in FONT_FILES:
        if bold:
            name = name.replace("-Regular", "-Bold").replace("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")
        for d in FONT_DIRS:
            if (d / name).exists():
                return d / name
    raise FileNotFoundError("no serif font with Vietnamese glyphs installed (fonts-liberation2/noto)")


def render_page(lines: list[str], dpi: int = 300, size_pt: float = 13.0) -> Image.Image:
    """An A4 page (RGB) with ``lines`` of text, 2 cm margins, at ``dpi``."""
    w, h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(font_path()), round(size_pt / 72 * dpi))
    margin = round(20 / 25.4 * dpi)
    y, step = margin, round(size_pt / 72 * dpi * 1.5)
    for line in lines:
        draw.text((margin, y), line, font=font, fill=(20, 20, 20))
        y += step
    return img


def degrade(
    img: Image.Image, *, seed: int = 0, skew_deg: float = 1.0, noise: float = 8.0, blur: float = 0.6
) -> Image.Image:
    """Make a clean render look scanned: slight skew, blur, sensor noise."""
    rnd = random.Random(seed)
    out = img.rotate(
        rnd.uniform(-skew_deg, skew_deg), resample=Image.BICUBIC, expand=False, fillcolor="white"
    )
    out = out.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        import numpy as np

        arr = np.asarray(out).astype("int16")
        rng = np.random.default_rng(seed)
        arr = arr + rng.normal(0, noise, arr.shape).astype("int16")
        out = Image.fromarray(arr.clip(0, 255).astype("uint8"))
    return out


def save_scan(lines: list[str], path: str | Path, *, dpi: int = 300, seed: int = 0, **damage) -> Path:
    """Render, degrade and save one page (format from the suffix), recording its dpi."""
    path = Path(path)
    img = degrade(render_page(lines, dpi=dpi), seed=seed, **damage)
    img.save(path, dpi=(dpi, dpi))
    return path


def save_pdf(pages: list[list[str]], path: str | Path, *, dpi: int = 300, seed: int = 0) -> Path:
    """A multi-page scanned PDF (images only, no text layer)."""
    path = Path(path)
    images = [degrade(render_page(lines, dpi=dpi), seed=seed + i) for i, lines in enumerate(pages)]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


# --- The standard Vietnamese administrative layout (Decree 30/2020) and three damage levels -------------

ORGANS = [
    ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "UBND"),
    ("SỞ TƯ PHÁP", "TỈNH BÌNH DƯƠNG", "STP"),
    ("ỦY BAN NHÂN DÂN", "HUYỆN LONG THÀNH", "UBND"),
    ("SỞ XÂY DỰNG", "TỈNH LÂM ĐỒNG", "SXD"),
]
PLACES = ["Đồng Nai", "Biên Hòa", "Long Thành", "Thủ Dầu Một", "Đà Lạt", "Bảo Lộc"]
TYPES = [("QUYẾT ĐỊNH", "QĐ"), ("THÔNG BÁO", "TB"), ("GIẤY PHÉP", "GP"), ("CÔNG VĂN", "CV")]
SUBJECTS = [
    "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Về việc công nhận kết quả đánh giá hồ sơ",
    "Về việc điều chỉnh thời hạn giải quyết thủ tục",
    "Về việc phê duyệt danh mục hồ sơ số hóa",
    "Về việc cấp giấy chứng nhận quyền sử dụng đất",
    "Về việc bổ sung thành phần hồ sơ đăng ký",
]
NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Thu Hương",
    "Lê Quốc Bảo",
    "Phạm Minh Đức",
    "Võ Thị Ngọc Ánh",
    "Đặng Hữu Phước",
    "Bùi Thanh Tùng",
    "Huỳnh Thị Mỹ Duyên",
]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ;",
    "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {n}/TTr-SNV ngày {d} tháng {m} năm {y};",
    "Ông (bà) {name}, số định danh cá nhân {cccd}, thường trú tại phường Tân Phong, thành phố Biên Hòa.",
    "Hồ sơ gồm đơn đề nghị, bản sao giấy tờ tùy thân và các giấy tờ chứng minh quyền sử dụng đất hợp pháp.",
    "Bộ phận tiếp nhận và trả kết quả có trách nhiệm số hóa hồ sơ ngay sau khi tiếp nhận theo quy định.",
    "Thời hạn giải quyết là {k} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, không kể ngày nghỉ lễ, Tết.",
    "Kết quả giải quyết thủ tục hành chính được lưu trữ điện tử và chia sẻ cho các cơ quan có liên quan.",
    "Trường hợp hồ sơ chưa đầy đủ, cán bộ hướng dẫn tổ chức, cá nhân bổ sung một lần duy nhất bằng văn bản.",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký; các quy định trước đây trái với Quyết định này bị bãi bỏ.",
    "Chánh Văn phòng, Thủ trưởng các sở, ban, ngành và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành.",
    "Mức thu phí thẩm định là {fee}.000 đồng mỗi hồ sơ, nộp trực tiếp hoặc qua Cổng dịch vụ công quốc gia.",
    "Người nộp hồ sơ được nhận giấy tiếp nhận hồ sơ và hẹn trả kết quả có ghi rõ mã hồ sơ {code}.",
    "Diện tích xây dựng tầng một là {area} mét vuông, tổng diện tích sàn không vượt quá mức được phê duyệt.",
]
RECIPIENTS = [
    "- Như Điều 3;",
    "- Thường trực Tỉnh ủy;",
    "- Chủ tịch, các PCT UBND tỉnh;",
    "- Sở Nội vụ;",
    "- Trung tâm Phục vụ hành chính công;",
    "- Lưu: VT, HCC.",
]


def _fonts(dpi: int, size_pt: float) -> dict[str, ImageFont.FreeTypeFont]:
    base = font_path().parent
    px = round(size_pt / 72 * dpi)
    names = {"r": "Regular", "b": "Bold", "i": "Italic"}
    out = {}
    for key, style in names.items():
        cand = base / font_path().name.replace("Regular", style)
        out[key] = ImageFont.truetype(str(cand if cand.exists() else font_path()), px)
    out["s"] = ImageFont.truetype(str(font_path()), round(px * 0.85))
    out["sb"] = ImageFont.truetype(str(font_path(bold=True)), round(px * 0.85))
    return out


def admin_document(seed: int) -> dict:
    """The content of one administrative document (deterministic for a seed)."""
    rnd = random.Random(seed)
    organ, kind = rnd.choice(ORGANS), rnd.choice(TYPES)
    day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.choice([2023, 2024, 2025])
    fill = {
        "n": rnd.randint(10, 999),
        "d": rnd.randint(1, 28),
        "m": rnd.randint(1, 12),
        "y": year,
        "name": rnd.choice(NAMES),
        "cccd": "0" + "".join(rnd.choice("0123456789") for _ in range(11)),
        "k": rnd.choice([5, 10, 15, 20]),
        "fee": rnd.choice([50, 100, 150]),
        "code": f"000.00.12.H19-{year % 100}{month:02d}{day:02d}-{rnd.randint(1, 9999):04d}",
        "area": f"{rnd.randint(40, 300)},{rnd.randint(0, 9)}",
    }
    body = [s.format(**fill) for s in rnd.sample(SENTENCES, 9)]
    return {
        "organ": organ,
        "kind": kind,
        "number": f"{rnd.randint(1, 2999)}/{kind[1]}-{organ[2]}",
        "place": rnd.choice(PLACES),
        "date": (day, month, year),
        "subject": rnd.choice(SUBJECTS),
        "body": body,
        "signer": rnd.choice(NAMES),
        "recipients": RECIPIENTS[: rnd.randint(4, 6)],
    }


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    return [*lines, cur] if cur else lines


def _seal(img: Image.Image, centre: tuple[int, int], dpi: int, text: str) -> None:
    """A red circular seal (two rings, a star, the organ name) blended over what is below it."""
    r = round(dpi * 0.72)
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    cx, cy = centre
    w = max(2, dpi // 60)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=w * 2)
    d.ellipse((cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72), outline=255, width=w)
    d.regular_polygon((cx, cy - r * 0.2, r * 0.22), 5, fill=255)
    font = ImageFont.truetype(str(font_path(bold=True)), round(dpi * 0.09))
    d.text((cx, cy + r * 0.25), text, font=font, fill=255, anchor="mm")
    red = Image.new("RGB", img.size, (205, 35, 40))
    img.paste(red, (0, 0), layer.point(lambda v: v * 0.85))


def _rows(items: list[tuple[float, float, str]], lh: int) -> str:
    """Text in row-major order: items whose tops are within half a line are one row, read left to right."""
    rows: list[list[tuple[float, float, str]]] = []
    for item in sorted(items):
        if rows and item[0] - rows[-1][0][0] < lh / 2:
            rows[-1].append(item)
        else:
            rows.append([item])
    return "\n".join(" ".join(t for _, _, t in sorted(r, key=lambda i: i[1])) for r in rows)


def render_admin_page(doc: dict, dpi: int = 300, orders: bool = False):
    """Render ``doc`` as an A4 page in the standard layout; returns the image and its text.

    The text is in row-major order (the two header and signature columns read across, as Tesseract reads
    them); with ``orders=True`` the second element is [row-major, column-major] text.
    """
    w, h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    img = Image.new("RGB", (w, h), "white")
    draw, f = ImageDraw.Draw(img), _fonts(dpi, 13)
    left, right = round(30 / 25.4 * dpi), w - round(20 / 25.4 * dpi)
    lh = round(13 / 72 * dpi * 1.45)
    top = round(20 / 25.4 * dpi)
    day, month, year = doc["date"]
    items: list[tuple[float, float, str]] = []

    def put(xy, text, font, anchor="la"):
        draw.text(xy, text, font=font, fill=(15, 15, 15), anchor=anchor)
        items.append((xy[1], xy[0], text))

    lx, rx = left + (w * 0.36 - left) / 2, w * 0.36 + (right - w * 0.36) / 2
    left_col = [doc["organ"][0], doc["organ"][1], f"Số: {doc['number']}"]
    right_col = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"{doc['place']}, ngày {day} tháng {month} năm {year}",
    ]
    for i, (text, font) in enumerate(zip(left_col, (f["s"], f["sb"], f["s"]), strict=True)):
        put((lx, top + i * lh), text, font, "ma")
    for i, (text, font) in enumerate(zip(right_col, (f["sb"], f["b"], f["i"]), strict=True)):
        put((rx, top + i * lh), text, font, "ma")
    y = top + 4 * lh
    center = [doc["kind"][0], *_wrap(draw, doc["subject"], f["b"], w // 2)]
    for text in center:
        put((w / 2, y), text, f["b"], "ma")
        y += lh
    y += lh // 2
    body = [ln for para in doc["body"] for ln in _wrap(draw, para, f["r"], right - left)]
    for line in body:
        put((left, y), line, f["r"])
        y += lh
    y += lh // 2
    recip = ["Nơi nhận:", *doc["recipients"]]
    for i, text in enumerate(recip):
        put((left, y + round(i * lh * 0.85)), text, f["sb"] if i == 0 else f["s"])
    sign = ["TM. " + doc["organ"][0], "CHỦ TỊCH"]
    for i, text in enumerate(sign):
        put((rx, y + i * lh), text, f["b"], "ma")
    draw.line(
        [(rx - dpi * 0.5, y + 3.4 * lh), (rx + dpi * 0.4, y + 2.6 * lh)], fill=(30, 40, 140), width=dpi // 100
    )
    put((rx, y + 5 * lh), doc["signer"], f["b"], "ma")
    _seal(img, (round(rx - dpi * 0.45), round(y + 2.6 * lh)), dpi, doc["organ"][2])
    row_major = _rows(items, lh)
    if not orders:
        return img, row_major
    column = "\n".join([*left_col, *right_col, *center, *body, *recip, *sign, doc["signer"]])
    return img, [row_major, column]


DAMAGE_LEVELS = ("clean", "scan", "photocopy")


def _uneven_light(arr, rnd: random.Random):
    import numpy as np

    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype("float32")
    cx, cy = rnd.uniform(0, w), rnd.uniform(0, h)
    dist = np.hypot(xx - cx, yy - cy) / np.hypot(w, h)
    light = 1.0 - rnd.uniform(0.25, 0.35) * dist
    return arr * (light[..., None] if arr.ndim == 3 else light)


def damage_level(img300: Image.Image, level: str, seed: int) -> tuple[Image.Image, int]:
    """Degrade a clean 300 dpi render to one of ``DAMAGE_LEVELS``; returns the image and its dpi.

    clean: 300 dpi as rendered. scan: 200 dpi colour, blur, noise, uneven light, skew up to 2 degrees.
    photocopy: 150 dpi grey, skew up to 4 degrees, specks, a fold shadow (saved as JPEG q50 by the caller).
    """
    import numpy as np

    rnd = random.Random(seed)
    if level == "clean":
        return img300, 300
    max_skew, dpi = (2.0, 200) if level == "scan" else (4.0, 150)
    angle = rnd.choice([-1, 1]) * rnd.uniform(max_skew * 0.4, max_skew)
    out = img300.rotate(angle, resample=Image.BICUBIC, fillcolor="white")
    out = out.resize((round(out.width * dpi / 300), round(out.height * dpi / 300)), Image.LANCZOS)
    rng = np.random.default_rng(seed)
    if level == "scan":
        out = out.filter(ImageFilter.GaussianBlur(0.7))
        arr = np.asarray(out).astype("float32") * np.array([1.0, 0.98, 0.93], "float32")
        arr = _uneven_light(arr, rnd) + rng.normal(0, 7, arr.shape)
        return Image.fromarray(arr.clip(0, 255).astype("uint8")), dpi
    arr = np.asarray(out.convert("L").filter(ImageFilter.GaussianBlur(0.6))).astype("float32")
    arr = (arr - 255) * 1.25 + 235  # photocopier contrast and grey paper
    fold_y = rnd.uniform(0.3, 0.7) * arr.shape[0]
    yy = np.arange(arr.shape[0], dtype="float32")[:, None]
    arr = arr - 70 * np.exp(-(((yy - fold_y) / (dpi * 0.06)) ** 2))  # fold shadow
    arr = _uneven_light(arr, rnd) + rng.normal(0, 10, arr.shape)
    n = int(arr.size * 0.0015)
    ys, xs = rng.integers(0, arr.shape[0], n), rng.integers(0, arr.shape[1], n)
    arr[ys, xs] = rng.uniform(0, 90, n)  # toner specks
    arr[np.clip(ys + 1, 0, arr.shape[0] - 1), xs] = rng.uniform(0, 120, n)
    return Image.fromarray(arr.clip(0, 255).astype("uint8")), dpi


def save_admin_scan(path: str | Path, level: str, seed: int, orders: bool = False):
    """Render document ``seed`` at damage ``level`` and save it (JPEG q50 for photocopies).

    Returns the path and the truth (both reading orders with ``orders=True``, see ``render_admin_page``)."""
    path = Path(path)
    img, truth = render_admin_page(admin_document(seed), orders=orders)
    img, dpi = damage_level(img, level, seed)
    quality = 50 if level == "photocopy" else 85
    img.save(
        path, dpi=(dpi, dpi), **({"quality": quality} if path.suffix.lower() in (".jpg", ".jpeg") else {})
    )
    return path, truth
