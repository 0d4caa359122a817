"""Issue a notice in one step: reserve it in the registry, draw the PDF, release the slot on failure.

The caller (the intake pipeline) then stores the PDF as a document of role ``notice`` in the dossier and
calls ``registry.attach_document(record.id, document_id)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.notices.registry import NoticeRecord, NoticeRegistry
from ingest.notices.render import render_notice


def issue_notice(
    registry: NoticeRegistry,
    kind: str,
    dossier: Mapping[str, Any],
    out_dir: str | Path,
    *,
    issued_by: str = "",
    center: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    **details: Any,
) -> tuple[NoticeRecord, Path]:
    """Record and render the ``kind`` notice; raises ``NoticeLimitError`` before drawing anything when
    the dossier already had its one supplement request or apology. File: ``<code>.<kind>-<id>.pdf``."""
    code = str(dossier.get("code", ""))
    record = registry.issue(kind, code, issued_by=issued_by, details=dict(details), now=now)
    out = Path(out_dir) / f"{code}.{kind}-{record.id}.pdf"
    try:
        render_notice(kind, dossier, out, center=center, issued_at=now, **details)
    except BaseException:
        registry.cancel(record.id)
        raise
    return record, out
