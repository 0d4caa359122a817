"""Settings -> backends. Every entry point (CLI, web, worker) builds its parts here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from archive.audit import AuditLog
from archive.catalogue import Catalogue
from archive.object_store import ObjectStore
from archive.repository import Repository
from archive.retention import RetentionPolicy
from archive.search_index import SearchIndex
from archive.signing.config import SigningConfig
from ingest.context import IngestContext, Limits
from ingest.jobs import JobStore
from ingest.pipeline import WorkerLock
from ingest.refresh import RefreshQueue
from ingest.signing_queue import SigningQueue
from sohoa.settings import Settings


def make_store(settings: Settings) -> ObjectStore:
    """The object store named by ``[store] backend``."""
    cfg = settings.section("store")
    backend = cfg.pop("backend", "local")
    if backend == "local":
        from archive.stores.local import LocalStore

        return LocalStore(cfg.get("path") or settings.store_dir)
    if backend == "s3":
        from archive.stores.s3 import S3Store

        return S3Store(**{k: v for k, v in cfg.items() if k != "path"})
    raise ValueError(f"unknown store backend: {backend}")


def make_index(settings: Settings) -> SearchIndex:
    """The search index named by ``[index] backend``."""
    cfg = settings.section("index")
    backend = cfg.get("backend", "tantivy")
    if backend == "tantivy":
        from archive.indexes.tantivy_index import TantivyIndex

        return TantivyIndex(settings.index_dir)
    if backend == "elasticsearch":
        from archive.indexes.elastic_index import ElasticIndex

        return ElasticIndex(url=cfg["es_url"], index=cfg.get("es_index", "sohoa-pages"))
    raise ValueError(f"unknown index backend: {backend}")


@dataclass
class Services:
    """The wired parts of one process; built lazily so a command pays only for what it uses."""

    settings: Settings

    @cached_property
    def store(self) -> ObjectStore:
        return make_store(self.settings)

    @cached_property
    def index(self) -> SearchIndex:
        return make_index(self.settings)

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.settings.state_db)

    @cached_property
    def repository(self) -> Repository:
        return Repository(self.store)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog.from_services(self)

    @cached_property
    def jobs(self) -> JobStore:
        return JobStore(self.settings.state_db)

    @cached_property
    def ingest(self) -> IngestContext:
        limits = self.settings.section("limits")
        return IngestContext(
            repository=self.repository,
            index=self.index,
            catalogue=self.catalogue,
            jobs=self.jobs,
            spool_dir=self.settings.spool_dir,
            retention=RetentionPolicy.from_settings(self.settings.section("retention")),
            limits=Limits(**{k: int(v) for k, v in limits.items() if k in Limits.__dataclass_fields__}),
            ocr_language=self.settings.section("ocr").get("language", "vie"),
            audit=self.audit.append,
            request_signing=self.signing_queue.request,
            verify_signed=self.verify_signed,
        )

    @cached_property
    def refresh_queue(self) -> RefreshQueue:
        return RefreshQueue(self.settings.state_db)

    @cached_property
    def signing(self) -> SigningConfig:
        """``[signing]`` with the password and PIN looked up in the environment (here, the
        composition root: the signing package never reads the environment)."""
        return SigningConfig.from_settings(
            self.settings.section("signing"), dict(os.environ), self.settings.data_dir / "signing"
        )

    @cached_property
    def signing_queue(self) -> SigningQueue:
        return SigningQueue(self.settings.state_db)

    def verify_signed(self, path: Path) -> dict:
        """Verification of a signed PDF against ``[signing] trust_roots`` (intake, API, web)."""
        from archive.signing.verify import verify_pdf

        cfg = self.signing
        return verify_pdf(path, cfg.trust_roots, fetch=cfg.fetch_revocation).to_dict()

    def worker_lock(self) -> WorkerLock:
        return WorkerLock(self.settings.data_dir / "worker.lock")


def services(settings: Settings) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Services(settings)
