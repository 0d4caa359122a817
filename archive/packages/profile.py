"""The Circular 05/2025 values a package chooses rather than counts, and their lists.

``mode`` (chế độ sử dụng), ``format`` (tình trạng vật lý), ``confidenceLevel`` (mức độ tin cậy),
``riskRecovery`` (chế độ dự phòng) and ``riskRecoveryStatus`` (tình trạng dự phòng) take a term of
the Circular's lists. sohoa writes the terms (as it writes "Vĩnh viễn" and "Tiếng Việt"), not the
lists' numeric codes. Where they come from:

- ``mode`` and ``format``: ``[transfer] mode`` and ``physical_condition`` (a citizen's dossier
  holds personal data: conditional use by default; the paper's condition is the center's call);
- ``confidenceLevel``: a document is "Gốc điện tử" when it was handed in as a signed PDF whose
  signatures verified at intake, else "Số hóa"; a dossier is the one level of its documents, or
  "Hỗn hợp" when they differ;
- ``riskRecovery``: "Có" with status "Đã dự phòng" when sohoa keeps a second copy (``[replica]``),
  else "Không" with no status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from archive.model import Document

MODES = ("Công khai", "Sử dụng có điều kiện", "Mật")
CONDITIONS = ("Tốt", "Bình thường", "Hỏng")
BORN_DIGITAL, DIGITISED, MIXED = "Gốc điện tử", "Số hóa", "Hỗn hợp"
RISK = ("Có", "Không")
RISK_STATUS = ("Đã dự phòng", "Chưa dự phòng")
# element -> the terms it may hold (what validation checks)
VOCABULARIES = {
    "mode": MODES,
    "format": CONDITIONS,
    "confidenceLevel": (BORN_DIGITAL, DIGITISED, MIXED),
    "riskRecovery": RISK,
    "riskRecoveryStatus": ("", *RISK_STATUS),
}


@dataclass(frozen=True)
class Profile:
    """The chosen values of a center's packages."""

    mode: str  # chế độ sử dụng
    condition: str  # tình trạng vật lý
    backup: bool  # a second copy is kept (chế độ dự phòng)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.condition not in CONDITIONS:
            raise ValueError(
                f"physical_condition must be one of {', '.join(CONDITIONS)}, not {self.condition!r}"
            )

    @classmethod
    def from_settings(cls, transfer: Mapping[str, Any], backup: bool) -> Profile:
        """From the ``[transfer]`` section (a dict) and whether a replica is configured."""
        return cls(str(transfer["mode"]), str(transfer["physical_condition"]), backup)

    @property
    def risk(self) -> tuple[str, str]:
        """``riskRecovery`` and ``riskRecoveryStatus``."""
        return ("Có", "Đã dự phòng") if self.backup else ("Không", "")


# What an archive-level caller without settings gets (tests, tools): the conservative choice.
PLAIN = Profile("Sử dụng có điều kiện", "Bình thường", False)


def confidence(doc: Document) -> str:
    """A document's mức độ tin cậy."""
    return BORN_DIGITAL if doc.intake_signature.get("valid") is True else DIGITISED


def dossier_confidence(docs: Iterable[Document]) -> str:
    """A dossier's: its documents' one level, or "Hỗn hợp"."""
    levels = {confidence(d) for d in docs}
    return levels.pop() if len(levels) == 1 else (MIXED if levels else DIGITISED)


def vocabulary_problem(tag: str, text: str, name: str) -> str | None:
    """The problem of a chosen element's value, or None."""
    allowed = VOCABULARIES.get(tag)
    if allowed is not None and text not in allowed:
        return f"{name}: <{tag}> không thuộc danh mục của Thông tư 05/2025: {text!r}"
    return None
