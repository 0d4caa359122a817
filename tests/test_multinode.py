"""Several machines: web and worker nodes with separate data directories share the PostgreSQL
peer (state and job queue) and the S3 peer (the archive, and a staging bucket where accepted
files wait for any machine's worker). One
worker is killed (SIGKILL) in the middle of a job: the other takes it over once its lease runs
out; every file ends as exactly one document, dossier codes are unique and gapless, and a third
node's ``sohoa reindex`` finds everything."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from ingest.intake import IntakeRequest, submit_files
from ingest.jobs import JobState
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import PAGE_DECISION, ROOT, json_lines, run_sohoa
from tests.support.render import save_scan

pytest_plugins = ["tests.s3_fixtures", "tests.pg_fixtures"]
pytestmark = [pytest.mark.s3, pytest.mark.postgresql, pytest.mark.slow]
LEASE = 3


def _settings(tmp_path: Path, s3_env: dict, pg_url: str) -> Path:
    from tests.s3_fixtures import new_bucket_name, store_settings  # after pytest loaded it as a plugin

    store = {"backend": "s3", **store_settings(s3_env, new_bucket_name("multi"))}
    lines = ["[store]"] + [f"{k} = {_toml(v)}" for k, v in store.items()]
    lines += ["[state]", 'backend = "postgresql"', f'url = "{pg_url}"', f"lease_seconds = {LEASE}"]
    staging = {k: store[k] for k in ("endpoint", "access_key", "secret_key", "secure", "region")}
    lines += ["[staging]"] + [
        f"{k} = {_toml(v)}" for k, v in {**staging, "bucket": new_bucket_name("stage")}.items()
    ]
    path = tmp_path / "settings.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: object) -> str:
    return "true" if value is True else "false" if value is False else f'"{value}"'


def _node(tmp_path: Path, name: str, settings: Path):
    return services(load_settings(tmp_path / name, settings))


def _worker(tmp_path: Path, name: str, settings: Path) -> subprocess.Popen:
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - kept open for the process's life
    return subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "--data-dir", str(tmp_path / name), "worker", "--poll", "0.2"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "OMP_THREAD_LIMIT": "1", "SOHOA_SETTINGS": str(settings)},
    )  # fmt: skip


def _accept(node, code: str, files: list[Path]) -> None:
    req = IntakeRequest(dossier_code=code, applicant_id="075203001234", actor="can-bo", department="KT")
    results = submit_files(node.ingest, req, files)
    assert all(r.__class__.__name__ == "Job" for r in results), results


def _wait(what: str, ok, timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_two_workers_one_killed_every_file_one_document(tmp_path, s3_env, pg_database) -> None:
    settings = _settings(tmp_path, s3_env, pg_database)
    web_a, web_b = _node(tmp_path, "web-a", settings), _node(tmp_path, "web-b", settings)
    day = datetime(2026, 12, 1, 9, 0)
    codes = [web_a.dossier_codes().issue(day), web_b.dossier_codes().issue(day)]
    assert codes == [f"{web_a.settings.center.agency_code}-261201-{n:04d}" for n in (1, 2)]
    files = [
        save_scan([*PAGE_DECISION, f"Bản số {n}"], tmp_path / f"scan-{n}.png", dpi=200, seed=n)
        for n in range(4)
    ]
    shas = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    _accept(web_a, codes[0], files[:2])
    _accept(web_b, codes[1], files[2:])
    for web in ("web-a", "web-b"):  # the web machines' disks: out of the workers' reach
        for spooled in (tmp_path / web / "spool" / "incoming").iterdir():
            spooled.unlink()

    one = _worker(tmp_path, "worker-1", settings)
    jobs = web_a.jobs
    try:
        _wait(
            "worker-1 to hold a job",
            lambda: any(f":{one.pid}:" in j.lease_owner for j in jobs.list("running")),
        )
        time.sleep(0.5)  # in the middle of it
        one.send_signal(signal.SIGKILL)
        one.wait()
        held = next(j for j in jobs.list("running") if f":{one.pid}:" in j.lease_owner)
        two = _worker(tmp_path, "worker-2", settings)
        try:
            _wait("every job to end", lambda: jobs.counts() == {JobState.DONE.value: 4})
        finally:
            two.send_signal(signal.SIGTERM)
            two.wait(timeout=60)
    finally:
        if one.poll() is None:
            one.kill()
    taken = jobs.get(held.id)
    assert f":{two.pid}:" in taken.lease_owner and taken.attempts >= 2  # taken over after the lease
    assert all("/worker-" in j.spool_path for j in jobs.list())  # each fetched from staging by a worker
    staging = web_a.staging
    assert staging is not None and not list(staging.client.list_objects(staging.bucket, recursive=True))

    third = _node(tmp_path, "node-3", settings)
    docs = list(third.repository.iter_documents())
    assert sorted(d.id for d in docs) == sorted(f"{c}.{s:03d}" for c in codes for s in (1, 2))
    assert sorted(d.original.sha256 for d in docs if d.original) == sorted(shas)  # each file once
    run_sohoa("reindex", data_dir=tmp_path / "node-3", env={"SOHOA_SETTINGS": str(settings)}, check=True)
    found = run_sohoa(
        "search", "quyết định", "--json", "--limit", "20", data_dir=tmp_path / "node-3",
        env={"SOHOA_SETTINGS": str(settings)}, check=True,
    )  # fmt: skip
    assert {h["document_id"] for h in json_lines(found.stdout)} == {d.id for d in docs}
