"""Refusals: a stable reason code for scripts plus a Vietnamese message for people."""

from __future__ import annotations


class Refusal(Exception):
    """An input sohoa refuses (not an internal error). ``status`` is rejected or quarantined."""

    def __init__(
        self, reason_code: str, message: str, *, status: str = "rejected", document_id: str = ""
    ) -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message
        self.status = status
        self.document_id = document_id
