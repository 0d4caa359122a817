"""The catalogue of administrative procedures and departments offered at the counter.

Defaults cover a few common procedures; a deployment lists its own in the settings file:
``[web.procedures]`` entries ``"<code>" = {name = "...", department = "TP", days = 5}`` and
``[web.departments]`` entries ``TP = "Sở Tư pháp"``.
"""

from __future__ import annotations

from dataclasses import dataclass

DEPARTMENTS = {
    "TP": "Sở Tư pháp",
    "XD": "Sở Xây dựng",
    "TNMT": "Sở Tài nguyên và Môi trường",
    "KHDT": "Sở Kế hoạch và Đầu tư",
}


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    department: str
    days: int  # processing time in working days

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


DEFAULT_PROCEDURES = (
    Procedure("1.000894.000.00.00.H19", "Đăng ký kết hôn", "TP", 5),
    Procedure("2.000908.000.00.00.H19", "Cấp bản sao trích lục hộ tịch", "TP", 1),
    Procedure("1.001757.000.00.00.H19", "Cấp phiếu lý lịch tư pháp", "TP", 10),
    Procedure("1.009972.000.00.00.H19", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "XD", 15),
    Procedure("1.011442.000.00.00.H19", "Điều chỉnh giấy phép xây dựng", "XD", 10),
    Procedure("1.004227.000.00.00.H19", "Đăng ký biến động quyền sử dụng đất", "TNMT", 10),
    Procedure("2.001610.000.00.00.H19", "Đăng ký thành lập doanh nghiệp tư nhân", "KHDT", 3),
)


def departments(section: dict) -> dict[str, str]:
    return {**DEPARTMENTS, **{str(k): str(v) for k, v in (section.get("departments") or {}).items()}}


def procedures(section: dict) -> dict[str, Procedure]:
    """Procedures by code: the defaults plus (or overridden by) ``[web.procedures]``."""
    out = {p.code: p for p in DEFAULT_PROCEDURES}
    for code, item in (section.get("procedures") or {}).items():
        out[code] = Procedure(code, str(item["name"]), str(item["department"]), int(item.get("days", 5)))
    return out


def find(section: dict, text: str) -> Procedure | None:
    """The procedure picked in the form: its code, or the "code — name" label of the list."""
    code = text.split("—")[0].strip()
    return procedures(section).get(code)
