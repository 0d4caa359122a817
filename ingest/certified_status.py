"""What the document page and the API show about a document's certified copy: the newest stored
copy verified (valid or not, signer, time, level), a pending or failed signing request, and the
verification of a signed PDF handed in at intake."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from archive.model import Document
from archive.object_store import StoreError
from archive.repository import Repository
from archive.signing import SigningConfig, SigningError
from ingest.signing_queue import SigningQueue

CACHE_SECONDS = 600  # a stored copy is write-once: re-verify now and then, not on every view
_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def verify_stored(repository: Repository, config: SigningConfig, record: dict[str, Any]) -> dict[str, Any]:
    """Verification of a stored certified copy (cached a few minutes by its SHA-256)."""
    hit = _cache.get(record["sha256"])
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    from archive.signing.verify import verify_pdf  # pyHanko loads slowly: only when there is a copy

    with tempfile.TemporaryDirectory(prefix="sohoa-verify-") as tmp:
        path = Path(tmp) / "copy.pdf"
        try:
            path.write_bytes(repository.store.get_bytes(record["key"], record.get("version_id") or None))
            result = verify_pdf(path, config.trust_roots, fetch=config.fetch_revocation).to_dict()
        except (StoreError, SigningError) as exc:
            message = getattr(exc, "message", str(exc))
            result = {"valid": False, "problems": [{"code": "not_checked", "message": message}]}
    _cache[record["sha256"]] = (time.monotonic(), result)
    return result


def certification_status(
    repository: Repository, config: SigningConfig, queue: SigningQueue, doc: Document
) -> dict[str, Any]:
    """``state``: signed | queued | none, with the details the page and the API show."""
    out: dict[str, Any] = {"state": "none"}
    if doc.certified_copies:
        record = doc.certified_copies[-1]
        check = verify_stored(repository, config, record)
        out = {
            "state": "signed",
            "valid": bool(check.get("valid")),
            "signer": check.get("signer") or record["signer"],
            "signed_at": check.get("signed_at") or record["signed_at"],
            "timestamp": check.get("timestamp", ""),
            "level": check.get("level") or record["level"],
            "problems": check.get("problems", []),
            "warnings": check.get("warnings", []),
            "sha256": record["sha256"],
        }
    request = queue.get(doc.id)
    if request is not None:
        keys = ("reason", "actor", "requested_at", "attempts", "error_code", "error", "next_try")
        out["queued"] = {k: request[k] for k in keys}
        if out["state"] == "none":
            out["state"] = "queued"
    if doc.intake_signature:
        out["intake_signature"] = doc.intake_signature
    return out
