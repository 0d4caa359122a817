"""The kind of each paper handed in at the counter (form 01 of Circular 03/2025/TT-VPCP, column
"Hình thức"): chosen at upload, kept in the document's record and printed on the receipt."""

from __future__ import annotations

from ingest.reasons import Reason
from ingest.refusal import Refusal

# Code -> the words of the receipt. A document reused from the data store is "bản điện tử".
PAPER_KINDS = {
    "ban_chinh": "Bản chính",
    "ban_sao": "Bản sao",
    "ban_sao_chung_thuc": "Bản sao chứng thực",
}
DEFAULT = "ban_chinh"
REUSED = "Bản điện tử"


def checked(code: str) -> str:
    """``code`` when it is a known kind (the default for an empty one); ``Refusal`` otherwise."""
    code = (code or DEFAULT).strip()
    if code not in PAPER_KINDS:
        raise Refusal(Reason.INVALID_PAPER_KIND)
    return code


def label(code: str) -> str:
    """The receipt's words for ``code`` (unknown or missing: bản chính, as before the choice existed)."""
    return PAPER_KINDS.get(code or DEFAULT, PAPER_KINDS[DEFAULT])
