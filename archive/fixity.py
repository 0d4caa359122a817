"""Fixity: stream every object of the archive and check its SHA-256.

Document files are checked against the SHA-256 in their manifest *and* the one the store recorded
at write time; manifests, audit entries and disposal records against the store's record. Objects
are read in 1 MiB chunks and documents one manifest at a time, so memory stays flat however large
the archive. Problems go to a JSON-lines report as they are found (never held in a list); the
summary goes to the report folder and the audit log.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from archive.audit import AuditFn
from archive.model import MANIFEST_NAME, Document, document_key
from archive.object_store import CHUNK, ObjectMissing, ObjectStore, StoreError
from archive.repository import Repository

OTHER_PREFIXES = ("audit/", "disposal/")  # objects outside documents/, checked against the store's record


@dataclass
class Check:
    """The outcome for one object."""

    key: str
    status: str  # ok | mismatch | missing | error
    expected: str = ""
    actual: str = ""
    size: int = 0
    document_id: str = ""
    message: str = ""


@dataclass
class FixitySummary:
    started: str
    finished: str = ""
    seconds: float = 0.0
    documents: int = 0
    objects: int = 0
    bytes: int = 0
    ok: int = 0
    mismatch: int = 0
    missing: int = 0
    error: int = 0
    report: str = ""

    @property
    def clean(self) -> bool:
        return self.mismatch == self.missing == self.error == 0


def stream_sha256(store: ObjectStore, key: str) -> tuple[str, int]:
    """SHA-256 and size of an object, read in chunks."""
    h, size = hashlib.sha256(), 0
    with store.open(key) as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def check_object(store: ObjectStore, key: str, expected: str | None = None, document_id: str = "") -> Check:
    """Check one object against ``expected`` (if given) and the store's own record."""
    try:
        recorded = store.head(key).sha256
        actual, size = stream_sha256(store, key)
    except ObjectMissing:
        return Check(key, "missing", expected or "", document_id=document_id, message="object not found")
    except StoreError as exc:
        return Check(key, "error", expected or "", document_id=document_id, message=str(exc))
    want = expected or recorded
    bad = actual != want or (recorded and actual != recorded)
    message = "" if not bad else f"manifest {want[:12]}, store record {recorded[:12]}, content {actual[:12]}"
    return Check(key, "mismatch" if bad else "ok", want, actual, size, document_id, message)


def _document_checks(store: ObjectStore, doc: Document) -> Iterator[Check]:
    yield check_object(store, document_key(doc.id, MANIFEST_NAME), document_id=doc.id)
    for stored in (doc.original, doc.archival):
        if stored is not None:
            yield check_object(store, stored.key, stored.sha256, doc.id)


def iter_checks(repository: Repository, summary: FixitySummary) -> Iterator[Check]:
    """Every check of the archive, documents first; counts documents into ``summary``."""
    store = repository.store
    for doc in repository.iter_documents():
        summary.documents += 1
        yield from _document_checks(store, doc)
    for prefix in OTHER_PREFIXES:
        for key in store.list(prefix):
            yield check_object(store, key)


def run_fixity(
    repository: Repository,
    report_dir: str | Path,
    *,
    audit: AuditFn | None = None,
    actor: str = "system",
    on_check: Callable[[Check], None] | None = None,
) -> FixitySummary:
    """Check the whole archive; write ``fixity-<time>.jsonl`` (problems) and ``.json`` (summary)."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
    summary = FixitySummary(started=started.isoformat(), report=str(report_dir / f"fixity-{stamp}.jsonl"))
    t0 = time.monotonic()
    with open(summary.report, "w", encoding="utf-8") as problems:
        for check in iter_checks(repository, summary):
            _count(summary, check, problems)
            if on_check:
                on_check(check)
    summary.finished = datetime.now(UTC).isoformat()
    summary.seconds = round(time.monotonic() - t0, 3)
    (report_dir / f"fixity-{stamp}.json").write_text(json.dumps(asdict(summary), indent=1), encoding="utf-8")
    if audit is not None:
        audit("fixity.run", actor, "archive", {k: v for k, v in asdict(summary).items() if k != "report"})
    return summary


def _count(summary: FixitySummary, check: Check, problems: IO[str]) -> None:
    summary.objects += 1
    summary.bytes += check.size
    setattr(summary, check.status, getattr(summary, check.status) + 1)
    if check.status != "ok":
        problems.write(json.dumps(asdict(check), ensure_ascii=False) + "\n")
        problems.flush()
