"""Fixtures for tests that need the S3 peer (Ceph RADOS Gateway, see scripts/s3peer.sh).

`scripts/run-tests.sh` (so `make test`) starts the peer and exports its env. When pytest runs on
its own without that env, the peer is started here for the session (about 15 s) so a developer's
plain ``pytest`` still exercises S3. Either way a peer that fails to start FAILS the tests: they
never skip. Use them with ``pytest_plugins = ["tests.s3_fixtures"]`` in the test module.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "scripts" / "s3peer.sh"
ENV_KEYS = ("SOHOA_S3_ENDPOINT", "SOHOA_S3_ACCESS_KEY", "SOHOA_S3_SECRET_KEY")


def _read_env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


@pytest.fixture(scope="session")
def s3_env() -> Iterator[dict[str, str]]:
    """Endpoint, keys and peer folder of a running S3 peer; fails loudly when there is none."""
    if os.environ.get("SOHOA_S3_PEER_FAILED"):
        pytest.fail("the S3 peer failed to start (SOHOA_S3_PEER_FAILED): S3 tests cannot pass", pytrace=False)
    if all(os.environ.get(k) for k in ENV_KEYS):
        yield {k: v for k, v in os.environ.items() if k.startswith("SOHOA_S3_")}
        return
    yield from _own_peer()


@pytest.fixture
def private_s3_env() -> Iterator[dict[str, str]]:
    """A peer of the test's own (about 5 s to start): for tests that stop its gateway, which
    would fail S3 tests running beside them on another pytest worker if the peer were shared."""
    yield from _own_peer()


def _own_peer() -> Iterator[dict[str, str]]:
    peer_dir = Path(tempfile.mkdtemp(prefix="sohoa-s3peer-pytest."))
    started = subprocess.run(["bash", str(PEER), "start", str(peer_dir)], capture_output=True, text=True)
    try:
        if started.returncode != 0:
            pytest.fail(f"the S3 peer failed to start:\n{started.stderr[-3000:]}", pytrace=False)
        yield _read_env(peer_dir / "env")
    finally:
        subprocess.run(["bash", str(PEER), "stop", str(peer_dir)], capture_output=True)


def store_settings(env: dict[str, str], bucket: str) -> dict[str, object]:
    """The ``[store]`` section (minus ``backend``) that points at the peer."""
    return {
        "endpoint": env["SOHOA_S3_ENDPOINT"],
        "bucket": bucket,
        "access_key": env["SOHOA_S3_ACCESS_KEY"],
        "secret_key": env["SOHOA_S3_SECRET_KEY"],
        "secure": env.get("SOHOA_S3_SECURE", "false").lower() == "true",
        "region": env.get("SOHOA_S3_REGION", "us-east-1"),
        "retention_mode": "COMPLIANCE",
    }


def new_bucket_name(tag: str = "t") -> str:
    """A fresh bucket name (buckets holding locked objects can never be emptied)."""
    return f"sohoa-{tag}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def s3_bucket(s3_env: dict[str, str]) -> str:
    """One bucket for the session; tests keep apart by using unique key prefixes."""
    return new_bucket_name("session")


@pytest.fixture
def s3_store(s3_env: dict[str, str], s3_bucket: str):
    """An ``S3Store`` on the peer (COMPLIANCE mode)."""
    from archive.stores.s3 import S3Store

    return S3Store(**store_settings(s3_env, s3_bucket))


# -- stores of either kind and documents in them -------------------------------------------------
@pytest.fixture
def fresh_s3_store(s3_env: dict[str, str]):
    """An ``S3Store`` on a bucket of its own (for tests that list the whole archive)."""
    from archive.stores.s3 import S3Store

    return S3Store(**store_settings(s3_env, new_bucket_name("fresh")))


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def archive_store(request, tmp_path):
    """A fresh, empty store: local, then S3 on a new bucket."""
    if request.param == "local":
        from archive.stores.local import LocalStore

        return LocalStore(tmp_path / "archive-store")
    return request.getfixturevalue("fresh_s3_store")


def put_document(
    store,
    doc_id: str,
    dossier: str,
    *,
    retain_until=None,
    pages: int = 2,
    legal_hold: bool = False,
    retention_class: str = "10",
    subject: str = "",
    original: bytes | None = None,
):
    """Write a small document (original, archival PDF, manifest last) straight into ``store``.

    Unlike ``Repository.save`` it accepts a ``datetime`` retain-until, which the S3 store keeps as
    an exact instant: S3 tests use a lock that lapses in seconds to exercise disposal for real.
    """
    from datetime import date, datetime

    from archive.model import Document, DocumentMetadata, PageText, StoredFile, document_key

    until_day = retain_until.date() if isinstance(retain_until, datetime) else retain_until
    doc = Document(
        id=doc_id,
        dossier_code=dossier,
        retention_class=retention_class,
        retain_until=until_day.isoformat() if isinstance(until_day, date) else "",
        legal_hold=legal_hold,
        metadata=DocumentMetadata(subject=subject or f"Tài liệu {doc_id}"),
        pages=[PageText(number=i + 1, text=f"trang {i + 1} của {doc_id}") for i in range(pages)],
    )
    files = {
        "original": (original or f"ORIGINAL {doc_id}".encode(), "image/png"),
        "archival.pdf": (f"%PDF-1.7 {doc_id}".encode(), "application/pdf"),
    }
    stored = {}
    for name, (data, ctype) in files.items():
        info = store.put_bytes(
            document_key(doc_id, name),
            data,
            retain_until=retain_until,
            legal_hold=legal_hold,
            content_type=ctype,
        )
        stored[name] = StoredFile(key=info.key, sha256=info.sha256, size=info.size, content_type=ctype)
    doc.original, doc.archival = stored["original"], stored["archival.pdf"]
    store.put_bytes(
        document_key(doc_id, "manifest.json"),
        doc.to_json(),
        retain_until=retain_until,
        legal_hold=legal_hold,
        content_type="application/json",
    )
    return doc


@pytest.fixture
def make_document():
    """``put_document`` as a fixture (test modules then need no import of this module)."""
    return put_document
