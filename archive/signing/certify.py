"""Certified copies of archived documents: sign the archival PDF/A once, keep the signed file as a
write-once object of the document (``documents/<id>/certified/NNNN.pdf``, recorded by a revision),
and hand out the stored copy while it still validates. The PDF/A itself is never replaced."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from archive.model import Document
from archive.object_store import ObjectMissing
from archive.repository import CERTIFIED, Repository
from archive.signing.config import SigningConfig, SigningError
from archive.signing.sign import SignedCopy, renew_timestamp, sign_pdf
from archive.signing.verify import Verification, verify_pdf


class UnknownDocument(SigningError):
    def __init__(self, doc_id: str) -> None:
        super().__init__("unknown_document", f"Không tìm thấy tài liệu {doc_id}.")


def _load(repository: Repository, doc_id: str) -> Document:
    try:
        doc = repository.load(doc_id)
    except ObjectMissing as exc:
        raise UnknownDocument(doc_id) from exc
    if doc.archival is None:
        raise SigningError("no_archival_copy", f"Tài liệu {doc_id} không có bản lưu trữ PDF/A để ký.")
    return doc


def _fetch(repository: Repository, key: str, dest: Path, version_id: str | None = None) -> Path:
    """Copy a stored object (its recorded version when known) to ``dest``."""
    with repository.store.open(key, version_id or None) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
    return dest


def _as_result(doc: Document, record: dict, out: Path) -> SignedCopy:
    return SignedCopy(
        document_id=doc.id,
        file=str(out),
        signer=record["signer"],
        signed_at=record["signed_at"],
        level=record["level"],
        sha256=record["sha256"],
        size=record["size"],
        seconds=0.0,
    )


def _store_copy(
    repository: Repository, doc: Document, signed: Path, result: SignedCopy, actor: str, why: str
):
    """Store the signed file as the document's next certified copy and record it by a revision."""
    n = len(doc.certified_copies) + 1
    for attempt in range(n, n + 100):  # another writer may have taken the number: take the next
        name = f"{CERTIFIED}{attempt:04d}.pdf"
        if not repository.store.exists(f"documents/{doc.id}/{name}"):
            break
    stored = repository.put_document_file(doc, name, signed, "application/pdf")
    record = {
        "key": stored.key,
        "sha256": stored.sha256,
        "size": stored.size,
        "version_id": stored.version_id,
        "signer": result.signer,
        "signed_at": result.signed_at,
        "level": result.level,
        "by": actor,
    }
    repository.revise(
        doc.id, {"certified_copies": [*doc.certified_copies, record]}, actor=actor or "system", reason=why
    )
    return record


def stored_valid_copy(repository: Repository, config: SigningConfig, doc: Document, out: Path) -> dict | None:
    """The newest stored certified copy that still validates, written to ``out``; else None."""
    for record in reversed(doc.certified_copies):
        try:
            _fetch(repository, record["key"], out, record.get("version_id"))
        except ObjectMissing:
            continue
        if verify_pdf(out, config.trust_roots, fetch=config.fetch_revocation).valid:
            return record
    out.unlink(missing_ok=True)
    return None


def certify_document(
    repository: Repository, config: SigningConfig, doc_id: str, out: Path, *, actor: str = "", level: str = ""
) -> SignedCopy:
    """The document's certified copy at ``out``: the stored valid one, or a new one signed and stored."""
    config.check_ready()
    doc = _load(repository, doc_id)
    record = stored_valid_copy(repository, config, doc, out)
    if record is not None:
        return _as_result(doc, record, out)
    with tempfile.TemporaryDirectory(prefix="sohoa-sign-") as tmp:
        assert doc.archival is not None
        source = _fetch(repository, doc.archival.key, Path(tmp) / "archival.pdf", doc.archival.version_id)
        signed = Path(tmp) / "signed.pdf"
        result = sign_pdf(source, signed, config, document_id=doc.id, actor=actor, level=level)
        _store_copy(repository, doc, signed, result, actor, "ký số bản sao điện tử")
        shutil.copyfile(signed, out)
    result.file = str(out)
    return result


def last_timestamp_expiry(path: Path) -> datetime | None:
    """When the certificate of the file's last document time-stamp expires (None: no time-stamp)."""
    with open(path, "rb") as fh:
        stamps = PdfFileReader(fh, strict=False).embedded_timestamp_signatures
        if not stamps:
            return None
        return stamps[-1].signer_cert.not_valid_after


def due_for_renewal(repository: Repository) -> Iterator[Document]:
    """Documents whose newest certified copy is B-LTA (candidates for a new archive time-stamp)."""
    for doc in repository.iter_documents():
        if doc.certified_copies and doc.certified_copies[-1]["level"] == "B-LTA":
            yield doc


def renew_document(
    repository: Repository, config: SigningConfig, doc: Document, now: datetime | None = None
) -> dict | None:
    """Add an archive time-stamp to the newest copy when its last one's certificate expires within
    ``renew_days``; the renewed file is stored as the next certified copy. Returns its record."""
    now = now or datetime.now(UTC)
    record = doc.certified_copies[-1]
    with tempfile.TemporaryDirectory(prefix="sohoa-renew-") as tmp:
        current = _fetch(repository, record["key"], Path(tmp) / "current.pdf", record.get("version_id"))
        expiry = last_timestamp_expiry(current)
        if expiry is not None and expiry - now > timedelta(days=config.renew_days):
            return None
        renewed = Path(tmp) / "renewed.pdf"
        renew_timestamp(current, renewed, config)
        check: Verification = verify_pdf(renewed, config.trust_roots)
        if not check.valid:
            raise SigningError("renewal_invalid", f"Bản gia hạn của {doc.id} không hợp lệ: {check.problems}")
        result = SignedCopy(doc.id, str(renewed), record["signer"], record["signed_at"], "B-LTA", "", 0, 0.0)
        return _store_copy(repository, doc, renewed, result, "system", "gia hạn dấu thời gian lưu trữ")


def renew_all(
    repository: Repository, config: SigningConfig, on_error: Callable[[str, SigningError], None]
) -> list[str]:
    """Renew every copy that is due; returns the renewed document ids, reports failures."""
    renewed = []
    for doc in due_for_renewal(repository):
        try:
            if renew_document(repository, config, doc) is not None:
                renewed.append(doc.id)
        except SigningError as exc:
            on_error(doc.id, exc)
    return renewed
