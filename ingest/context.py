"""What the ingest pipeline needs from the rest of the system, handed in by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.audit import AuditFn
from archive.catalogue import Catalogue
from archive.repository import Repository
from archive.retention import RetentionPolicy
from archive.search_index import SearchIndex
from ingest.jobs import JobStore
from ingest.staging import Staging


@dataclass(frozen=True)
class Limits:
    """Bounds on one file: bytes on arrival; pages, pixels, memory and time while processing."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500
    max_pixels: int = 178_956_970
    max_decoded_bytes: int = 512 * 1024 * 1024
    memory_mb: int = 3072
    cpu_seconds: int = 900
    wall_seconds: int = 1200
    inspect_seconds: int = 10  # sniffing + inspection at the counter; longer goes to the worker
    worker_inspect_seconds: int = 120  # inspection in the worker; longer is refused


@dataclass
class IngestContext:
    repository: Repository
    index: SearchIndex
    catalogue: Catalogue
    jobs: JobStore
    spool_dir: Path
    retention: RetentionPolicy
    limits: Limits = Limits()
    ocr_language: str = "vie"
    audit: AuditFn | None = None
    # Certified copies: ask the worker to sign a document (id, reason, actor), and verify a signed
    # PDF handed in (path -> verification dict); both wired by the composition root.
    request_signing: Callable[[str, str, str], None] | None = None
    verify_signed: Callable[[Path], dict] | None = None
    staging: Staging | None = None  # several machines: accepted files wait in a staging bucket
    timezone: str = "Asia/Ho_Chi_Minh"  # the center's: calendar dates and times told to officers

    @property
    def quarantine_dir(self) -> Path:
        return self.spool_dir.parent / "quarantine"

    def record(self, action: str, actor: str, subject: str, details: dict) -> None:
        """Write an audit entry when an audit log is wired in."""
        if self.audit is not None:
            self.audit(action, actor, subject, details)
