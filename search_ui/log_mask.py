"""Log records never carry a citizen ID: runs of 9-13 digits in a URL's query string are masked.

Typed searches may hold an ID (``/search?q=001203004567``); the user may keep that in their own
history, but the server's request logs (werkzeug's, waitress's) may not."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")
_ID_RUN = re.compile(r"(?<![0-9])[0-9]{9,13}(?![0-9])")
LOGGERS = ("werkzeug", "waitress")  # the loggers that write request lines


def mask_query_ids(text: str) -> str:
    """``text`` with every 9-13 digit run inside a query string replaced by asterisks."""
    return _QUERY.sub(lambda m: _ID_RUN.sub(lambda d: "*" * len(d.group()), m.group()), text)


class MaskIds(logging.Filter):
    """Masks applicant IDs in the query strings of a record's formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_query_ids(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install() -> None:
    """Attach the mask to the loggers that write request lines (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskIds) for f in logger.filters):
            logger.addFilter(MaskIds())
