"""Fixtures for tests that need the S3 peer (Ceph RADOS Gateway, see scripts/s3peer.sh).

`scripts/run-tests.sh` (so `make test`) starts the peer and exports its env. When pytest runs on
its own without that env, the peer is started here for the session (about 15 s) so a developer's
plain ``pytest`` still exercises S3. Either way a peer that fails to start FAILS the tests: they
never skip. Import what you need: ``from tests.s3_fixtures import s3_env, s3_store  # noqa: F401``.
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
