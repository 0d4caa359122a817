"""Fixity: stream every object of the archive and check its recorded version, content and lock.

Objects are walked once, document folder by document folder (``documents/<id>/``): a folder with
a manifest is checked object by object against the manifest (files), the catalogue's version
records (manifest, revisions) and the document's retention and hold; every other object in the
folder, and every folder without a manifest whose id no open job owns, is an orphan. Audit
entries and disposal records are checked against the store's record. Objects are read in 1 MiB
chunks and documents one at a time, so memory stays flat; problems go to a JSON-lines report as
they are found; the summary, and each tampering or drift found, go to the audit log.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from archive.audit import AuditFn
from archive.fixity_checks import Check, Expected, check_object, stream_sha256
from archive.model import MANIFEST_NAME, Document, document_key
from archive.object_store import ObjectMissing, ObjectStore, StoreError
from archive.repository import Repository

__all__ = ["Check", "FixitySummary", "check_object", "iter_checks", "run_fixity", "stream_sha256"]

OTHER_PREFIXES = (
    "audit/",
    "disposal/",
    "transfer/",
)  # outside documents/: checked against the store's record
AUDITED = ("missing", "mismatch", "tampered", "drift")  # each such finding gets an audit entry
MAX_AUDITED = 1000  # a run over a ravaged archive still ends
# A stored certified copy (key, version) -> its signatures' verification (``valid``, ``problems``).
VerifyFn = Callable[[str, str | None], dict]


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
    tampered: int = 0
    drift: int = 0
    orphan: int = 0
    invalid_signature: int = 0  # the newest certified copy of a document no longer validates
    report: str = ""

    @property
    def clean(self) -> bool:
        return (
            self.mismatch
            == self.missing
            == self.error
            == self.tampered
            == self.drift
            == self.orphan
            == self.invalid_signature
            == 0
        )


def _expected(repository: Repository, doc: Document, key: str, sha256: str | None = None) -> Expected:
    until = date.fromisoformat(doc.retain_until) if doc.retain_until else None
    mode = getattr(repository.store, "mode", "") if until else ""
    return Expected(sha256, repository.record_version(doc, key), until, doc.legal_hold, mode)


def _document_checks(
    repository: Repository, doc: Document, mirror: ObjectStore | None, verify: VerifyFn | None = None
) -> Iterator[Check]:
    """The manifest, files, certified copies and revisions of ``doc``; on the replica too (its own
    versions: the oldest of each key is its record). With ``verify``, the newest certified copy's
    signatures are checked too."""
    wanted: list[tuple[str, str | None]] = [(document_key(doc.id, MANIFEST_NAME), None)]
    wanted += [(f.key, f.sha256) for f in (doc.original, doc.archival) if f is not None]
    wanted += [(c["key"], c["sha256"]) for c in doc.certified_copies]
    wanted += [(key, None) for key in repository.revision_keys(doc.id)]
    newest = doc.certified_copies[-1]["key"] if doc.certified_copies else None
    for key, sha in wanted:
        expected = _expected(repository, doc, key, sha)
        check = check_object(repository.store, key, expected, doc.id)
        if key == newest and check.status == "ok" and verify is not None:
            _check_signature(check, verify(key, expected.version_id))
        yield check
        if mirror is not None:
            yield _on_replica(mirror, key, replace(expected, version_id=None), doc.id)


def _check_signature(check: Check, result: dict) -> None:
    """Mark a certified copy whose signatures no longer validate (revoked, untrusted...)."""
    if not result.get("valid"):
        problems = "; ".join(p.get("message", "") for p in result.get("problems", []))
        check.status, check.message = "invalid_signature", f"chữ ký số không còn hợp lệ: {problems}"


def _on_replica(mirror: ObjectStore, key: str, expected: Expected | None, doc_id: str = "") -> Check:
    check = check_object(mirror, key, expected, doc_id)
    check.store = "replica"
    return check


def _orphan(key: str, doc_id: str, why: str) -> Check:
    return Check(key, "orphan", document_id=doc_id, message=why)


def _folder_checks(
    repository: Repository,
    doc_id: str,
    keys: list[str],
    pending: set[str],
    mirror: ObjectStore | None,
    verify: VerifyFn | None = None,
) -> Iterator[Check]:
    """Checks of one document folder; returns through ``Check``s only."""
    if document_key(doc_id, MANIFEST_NAME) not in keys:
        if doc_id not in pending:
            yield from (_orphan(k, doc_id, "no manifest and no open job owns it") for k in keys)
        return
    try:
        doc = repository.load(doc_id)
    except (ObjectMissing, StoreError, ValueError) as exc:
        yield Check(
            document_key(doc_id, MANIFEST_NAME),
            "error",
            document_id=doc_id,
            message=f"unreadable manifest: {exc}",
        )
        return
    owned = set(repository.object_keys(doc))
    yield from _document_checks(repository, doc, mirror, verify)
    for key in keys:
        if key not in owned:
            yield _orphan(key, doc_id, "in the document's folder but not one of its objects")


def iter_checks(
    repository: Repository,
    summary: FixitySummary,
    pending: Iterable[str] = (),
    mirror: ObjectStore | None = None,
    verify: VerifyFn | None = None,
) -> Iterator[Check]:
    """Every check of the archive, documents first; counts documents into ``summary``.
    ``pending``: ids of documents whose jobs are still open (their files are not orphans);
    ``mirror``: the replica, where every object is checked too; ``verify``: checks the
    signatures of each document's newest certified copy."""
    store, open_ids = repository.store, set(pending)
    for doc_id, group in itertools.groupby(store.list("documents/"), key=lambda k: k.split("/")[1]):
        keys = list(group)
        if document_key(doc_id, MANIFEST_NAME) in keys:
            summary.documents += 1
        yield from _folder_checks(repository, doc_id, keys, open_ids, mirror, verify)
    for prefix in OTHER_PREFIXES:
        for key in store.list(prefix):
            yield check_object(store, key)
            if mirror is not None:
                yield _on_replica(mirror, key, None)


def run_fixity(
    repository: Repository,
    report_dir: str | Path,
    *,
    audit: AuditFn | None = None,
    actor: str = "system",
    on_check: Callable[[Check], None] | None = None,
    pending: Iterable[str] = (),
    mirror: ObjectStore | None = None,
    verify: VerifyFn | None = None,
) -> FixitySummary:
    """Check the whole archive; write ``fixity-<time>.jsonl`` (problems) and ``.json`` (summary)."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
    summary = FixitySummary(started=started.isoformat(), report=str(report_dir / f"fixity-{stamp}.jsonl"))
    t0 = time.monotonic()
    with open(summary.report, "w", encoding="utf-8") as problems:
        audited = 0
        for check in iter_checks(repository, summary, pending, mirror, verify):
            _count(summary, check, problems)
            if audit is not None and check.status in AUDITED and audited < MAX_AUDITED:
                audited += 1
                details = {"key": check.key, "status": check.status, "found": check.message}
                audit(f"fixity.{check.status}", actor, check.document_id or check.key, details)
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
