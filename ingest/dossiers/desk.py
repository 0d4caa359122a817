"""What the dossier use cases work with, handed in by the composition root."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from archive.audit import AuditFn
from archive.catalogue import Catalogue
from archive.dossier_records import DossierArchive
from archive.repository import Repository
from ingest.context import IngestContext
from ingest.dossier_code import DossierCodes
from ingest.dossiers.records import DossierRecords
from ingest.jobs import JobStore
from ingest.notices.registry import NoticeRegistry
from ingest.procedures import ProcedureCatalogue
from ingest.refresh import RefreshQueue
from ingest.working_days import WorkingCalendar


@dataclass
class DossierDesk:
    """The parts behind the dossier use cases."""

    ingest: IngestContext
    records: DossierRecords
    refresh: RefreshQueue
    procedures: ProcedureCatalogue
    calendar: WorkingCalendar
    dossier_codes: Callable[[], DossierCodes]  # a new issuer each call; close it after use
    notice_registry: Callable[[], NoticeRegistry]  # idem
    center_header: Mapping[str, Any]  # what notices print of the center
    now: Callable[[], datetime]  # the center's clock (aware, in its zone)
    audit: AuditFn

    @property
    def archive(self) -> DossierArchive:
        """The dossiers' own records in the archive (they survive a lost state)."""
        return DossierArchive(self.ingest.repository.store)

    @property
    def catalogue(self) -> Catalogue:
        return self.ingest.catalogue

    @property
    def repository(self) -> Repository:
        return self.ingest.repository

    @property
    def jobs(self) -> JobStore:
        return self.ingest.jobs

    @property
    def spool_dir(self) -> Path:
        return self.ingest.spool_dir
