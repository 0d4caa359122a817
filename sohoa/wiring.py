"""Settings -> backends. Every entry point (CLI, web, worker) builds its parts here, from the
typed settings; nothing below reads settings or the environment itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from archive.audit import AuditLog
from archive.catalogue import Catalogue
from archive.disposal import Disposal
from archive.dossier_records import DossierArchive
from archive.object_store import ObjectStore
from archive.packages.history import History, load_fixity_runs
from archive.packages.profile import Profile
from archive.repository import Repository
from archive.retention import RetentionPolicy
from archive.search_index import SearchIndex
from archive.signing.config import SigningConfig
from archive.state_store import StateStore, open_state
from archive.transfer.handover import Transfers
from ingest.batch import book as batch_book
from ingest.batch.book import BatchBook
from ingest.context import IngestContext, Limits
from ingest.dossier_code import DossierCodes
from ingest.dossiers.desk import DossierDesk
from ingest.dossiers.records import DossierRecords
from ingest.jobs import Backoff, JobStore
from ingest.notices.registry import NoticeRegistry
from ingest.pipeline import SharedLock, WorkerLock
from ingest.procedures import Procedure, ProcedureCatalogue
from ingest.refresh import RefreshQueue
from ingest.signing_queue import SigningQueue
from ingest.working_days import WorkingCalendar
from sohoa.settings import Settings

if TYPE_CHECKING:  # the backends' libraries (minio...) load only when a command uses them
    from archive.stores.s3_staging import S3Staging
    from search_ui.access_log import AccessLog
    from search_ui.accounts import Accounts


def make_store(settings: Settings) -> ObjectStore:
    """The object store named by ``[store] backend``, writing through to ``[replica]`` when set."""
    primary = make_primary(settings)
    replica = make_replica(settings)
    if replica is None:
        return primary
    from archive.stores.replicated import ReplicatedStore

    return ReplicatedStore(primary, replica)


def make_replica(settings: Settings) -> ObjectStore | None:
    """The second copy's S3 store (``[replica]``, same keys as ``[store]``), or None."""
    if not settings.replica.enabled:
        return None
    cfg = settings.section("replica")
    from archive.stores.s3 import S3Store

    return S3Store(**{k: v for k, v in cfg.items() if k not in ("path", "backend")})


def make_primary(settings: Settings) -> ObjectStore:
    """The object store named by ``[store] backend`` alone."""
    if settings.store.backend == "local":
        from archive.stores.local import LocalStore

        return LocalStore(settings.store.path or settings.store_dir)
    from archive.stores.s3 import S3Store

    # The S3 store takes the section's keys as they are (the typed section checked them).
    cfg = settings.section("store")
    return S3Store(**{k: v for k, v in cfg.items() if k not in ("backend", "path")})


def make_index(settings: Settings) -> SearchIndex:
    """The search index named by ``[index] backend``."""
    if settings.index.backend == "tantivy":
        from archive.indexes.tantivy_index import TantivyIndex

        return TantivyIndex(settings.index_dir, restore_min_documents=settings.index.restore_min_documents)
    from archive.indexes.elastic_index import ElasticIndex

    return ElasticIndex(
        url=settings.index.es_url,
        index=settings.index.es_index,
        restore_min_documents=settings.index.restore_min_documents,
    )


def make_procedures(settings: Settings) -> ProcedureCatalogue:
    """The catalogue of departments and procedures (``[catalogue]``)."""
    cat = settings.catalogue
    return ProcedureCatalogue(
        departments=dict(cat.departments),
        procedures={
            code: Procedure(code, p.name, p.department, p.days) for code, p in cat.procedures.items()
        },
    )


@dataclass
class Services:
    """The wired parts of one process; built lazily so a command pays only for what it uses."""

    settings: Settings

    @cached_property
    def store(self) -> ObjectStore:
        return make_store(self.settings)

    @cached_property
    def replica(self) -> ObjectStore | None:
        return make_replica(self.settings)

    @cached_property
    def index(self) -> SearchIndex:
        return make_index(self.settings)

    @cached_property
    def state(self) -> StateStore:
        """The state store ``[state]`` names (one PostgreSQL pool per process), with the password
        looked up here, in the composition root: the store never reads the environment."""
        cfg = self.settings.state
        return open_state(
            cfg.backend,
            sqlite_path=self.settings.state_db,
            url=cfg.url,
            password=os.environ.get(cfg.password_env) if cfg.password_env else None,
            pool_size=cfg.pool_size,
        )

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.state)

    @cached_property
    def repository(self) -> Repository:
        return Repository(self.store, pins=self.catalogue)

    @cached_property
    def audit(self) -> AuditLog:
        """The hash-chained audit log (``[audit] retain_years``; its tip under the data dir)."""
        return AuditLog(
            self.store, self.settings.data_dir / "audit", retain_years=self.settings.audit.retain_years
        )

    @cached_property
    def jobs(self) -> JobStore:
        cfg = self.settings.jobs
        backoff = Backoff(float(cfg.retry_first_seconds), float(cfg.retry_max_seconds))
        return JobStore(self.state, backoff, lease_seconds=float(self.settings.state.lease_seconds))

    @cached_property
    def retention(self) -> RetentionPolicy:
        return RetentionPolicy.from_settings(self.settings.retention.as_dict())

    @cached_property
    def limits(self) -> Limits:
        # Every key of [limits] that the ingest limits know (checked at start as whole numbers > 0).
        section = self.settings.section("limits")
        return Limits(**{k: int(v) for k, v in section.items() if k in Limits.__dataclass_fields__})

    @cached_property
    def ingest(self) -> IngestContext:
        return IngestContext(
            repository=self.repository,
            index=self.index,
            catalogue=self.catalogue,
            jobs=self.jobs,
            spool_dir=self.settings.spool_dir,
            retention=self.retention,
            limits=self.limits,
            ocr_language=self.settings.ocr.language,
            audit=self.audit.append,
            request_signing=self.signing_queue.request,
            verify_signed=self.verify_signed,
            timezone=self.settings.center.timezone,
            staging=self.staging,
        )

    @cached_property
    def batch_book(self) -> BatchBook:
        """The scanned stacks' records and held parts (``DATA/batches``, ``DATA/held``)."""
        data = self.settings.data_dir
        return BatchBook(batches_dir=data / batch_book.BATCHES, held_dir=data / batch_book.HELD)

    @cached_property
    def staging(self) -> S3Staging | None:
        """The staging bucket of ``[staging]`` (several machines), or None."""
        cfg = self.settings.section("staging")
        if not cfg.get("endpoint"):
            return None
        from archive.stores.s3_staging import S3Staging

        keys = ("endpoint", "bucket", "access_key", "secret_key", "secure", "region")
        return S3Staging(**{k: cfg[k] for k in keys})

    @cached_property
    def refresh_queue(self) -> RefreshQueue:
        return RefreshQueue(self.state)

    @cached_property
    def signing(self) -> SigningConfig:
        """``[signing]`` with the password and PIN looked up in the environment (here, the
        composition root: the signing package never reads the environment)."""
        return SigningConfig.from_settings(
            self.settings.section("signing"), dict(os.environ), self.settings.data_dir / "signing"
        )

    @cached_property
    def signing_queue(self) -> SigningQueue:
        return SigningQueue(self.state)

    def verify_signed(self, path: Path) -> dict:
        """Verification of a signed PDF against ``[signing] trust_roots`` (intake, API, web)."""
        from archive.signing.verify import verify_pdf

        cfg = self.signing
        return verify_pdf(path, cfg.trust_roots, fetch=cfg.fetch_revocation).to_dict()

    @cached_property
    def procedures(self) -> ProcedureCatalogue:
        return make_procedures(self.settings)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.from_settings(self.settings.section("calendar"))

    @cached_property
    def accounts(self) -> Accounts:
        from search_ui.accounts import Accounts  # the web's session store loads Flask

        return Accounts(self.state)

    @cached_property
    def access_log(self) -> AccessLog:
        """Reads of citizens' documents, copied into the audit log."""
        from search_ui.access_log import AccessLog

        return AccessLog(self.state, audit=self.audit.append)

    @cached_property
    def dossier_records(self) -> DossierRecords:
        """Reuse links, re-scans and confirmations of dossiers."""
        return DossierRecords(self.state)

    @cached_property
    def dossiers(self) -> DossierDesk:
        """What the dossier use cases (``ingest.dossiers``) work with."""
        center = self.settings.center
        return DossierDesk(
            ingest=self.ingest,
            records=self.dossier_records,
            refresh=self.refresh_queue,
            procedures=self.procedures,
            calendar=self.calendar,
            dossier_codes=self.dossier_codes,
            notice_registry=self.notice_registry,
            center_header=center.notice_header(),
            now=center.now,
            audit=self.audit.append,
        )

    @cached_property
    def dossier_archive(self) -> DossierArchive:
        """Dossiers as the archive records them (they survive a lost state)."""
        return DossierArchive(self.store)

    def dossier_code_taken(self, code: str) -> bool:
        """Known to the catalogue or held by the archive: never issued again."""
        catalogue = self.catalogue
        if catalogue.dossier(code) or catalogue.highest_seq(code):
            return True
        return self.dossier_archive.code_used(code)

    def dossier_codes(self) -> DossierCodes:
        """A dossier-code issuer (``[center]``) that asks the catalogue and the archive before
        every code; one connection each: close it after use."""
        center = self.settings.center
        # The check runs inside the issuer's write transaction: the catalogue's tables must
        # exist before it (creating them then would wait on that very lock).
        _ = self.catalogue
        return DossierCodes(
            self.state,
            center.agency_code,
            center.dossier_code_pattern,
            center.timezone,
            taken=self.dossier_code_taken,
        )

    def notice_registry(self) -> NoticeRegistry:
        """The register of issued notices; one connection each: close it after use."""
        return NoticeRegistry(self.state)

    def disposal(self, *, today: Callable[[], date] = date.today, with_index: bool = True) -> Disposal:
        """The disposal workflow (``[disposal] record_retain_years``). The web process passes
        ``with_index=False``: the worker, the index's one writer, drops what was destroyed."""
        return Disposal(
            self.repository,
            audit=self.audit.append,
            index=self.index if with_index else None,
            catalogue=self.catalogue,
            retain_years=self.settings.disposal.record_retain_years,
            today=today,
        )

    def package_history(self) -> History:
        """Where a package's PREMIS events come from beyond the documents: the fixity runs of
        ``sohoa fixity`` (``<data>/fixity``) and the intake's reuse links of each document."""
        links = DossierRecords(self.state)  # its own connection: any thread may call
        return History(load_fixity_runs(self.settings.data_dir / "fixity"), links.links_of_document)

    def package_profile(self) -> Profile:
        """The Circular 05/2025 values this center's packages choose (``[transfer]``, ``[replica]``)."""
        return Profile.from_settings(self.settings.section("transfer"), self.settings.replica.enabled)

    def transfers(self, *, today: Callable[[], date] | None = None) -> Transfers:
        """The handover to the historical archive (``[transfer]``); packages go under the data
        directory's ``transfer/`` folder. ``today`` defaults to the center's calendar day."""
        center = self.settings.center
        return Transfers(
            self.repository,
            self.catalogue,
            self.settings.data_dir / "transfer",
            years=self.settings.transfer.years,
            zone=center.zone,
            audit=self.audit.append,
            retain_years=self.settings.transfer.record_retain_years,
            today=today or (lambda: center.now().date()),
            history=self.package_history,
            profile=self.package_profile(),
        )

    def worker_lock(self) -> WorkerLock:
        """The lock a job runner holds. On SQLite only the holder runs jobs (one machine). On
        PostgreSQL jobs are claimed row by row, so the lock only keeps one writer per local
        tantivy index: with Elasticsearch any number of runners run side by side."""
        if self.settings.state.backend != "sqlite" and self.settings.index.backend == "elasticsearch":
            return SharedLock()
        return WorkerLock(self.settings.data_dir / "worker.lock")


def services(settings: Settings) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Services(settings)
