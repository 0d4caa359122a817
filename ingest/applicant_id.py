"""Applicant identifiers: citizen ID (CCCD, 12 digits), old ID card (CMND, 9 digits), tax code."""

from __future__ import annotations

import re

from stdnum.vn import mst

from ingest.refusal import Refusal

_CCCD = re.compile(r"^0\d{2}[0-9]\d{2}\d{6}$")


def kind_of(applicant_id: str) -> str:
    """'citizen' or 'organisation' for a valid identifier; raises ``Refusal`` otherwise."""
    value = applicant_id.strip()
    if _CCCD.match(value) or re.fullmatch(r"\d{9}", value):
        return "citizen"
    if mst.is_valid(value):
        return "organisation"
    raise Refusal(
        "invalid_applicant_id",
        "Số định danh không hợp lệ: cần CCCD 12 chữ số, CMND 9 chữ số hoặc mã số thuế hợp lệ.",
    )
