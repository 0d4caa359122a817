"""Refusals: a stable reason code for scripts plus a Vietnamese message for people."""

from __future__ import annotations

from ingest.reasons import message_vi


class Refusal(Exception):
    """An input sohoa refuses (not an internal error). ``status`` is rejected or quarantined.

    ``reason_code`` comes from the closed list in ``ingest.reasons``; ``message`` defaults to
    that code's Vietnamese message."""

    def __init__(
        self,
        reason_code: str,
        message: str | None = None,
        *,
        status: str = "rejected",
        document_id: str = "",
    ) -> None:
        self.message = message or message_vi(reason_code)
        super().__init__(self.message)
        self.reason_code = str(reason_code)
        self.status = status
        self.document_id = document_id
