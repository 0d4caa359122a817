"""Fixtures for tests on the PostgreSQL peer (scripts/pgpeer.sh): a fresh database per test.

``make test`` starts the peer and sets SOHOA_PG_URL; run alone, the session starts its own peer.
A peer that cannot start fails the tests that need it (never a skip)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from archive.state_store import SqliteState, StateStore

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "scripts" / "pgpeer.sh"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a running PostgreSQL peer's maintenance database."""
    if os.environ.get("SOHOA_PG_URL"):
        yield os.environ["SOHOA_PG_URL"]
        return
    peer_dir = Path(tempfile.mkdtemp(prefix="sohoa-pgpeer-pytest."))
    started = subprocess.run(["bash", str(PEER), "start", str(peer_dir)], capture_output=True, text=True)
    try:
        if started.returncode != 0:
            pytest.fail(f"the PostgreSQL peer failed to start:\n{started.stderr[-3000:]}", pytrace=False)
        env = dict(line.split("=", 1) for line in (peer_dir / "env").read_text().splitlines() if "=" in line)
        yield env["SOHOA_PG_URL"]
    finally:
        subprocess.run(["bash", str(PEER), "stop", str(peer_dir)], capture_output=True)


def _with_db(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the peer (dropped after the test)."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield _with_db(pg_url, name)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def state(request, tmp_path) -> Iterator[StateStore]:
    """Each state store in turn: the SQLite file of one machine, a PostgreSQL database."""
    if request.param == "sqlite":
        yield SqliteState(tmp_path / "state.sqlite3")
        return
    from archive.pg_state import PostgresState

    store = PostgresState(request.getfixturevalue("pg_database"), pool_size=12)
    try:
        yield store
    finally:
        store.close()
