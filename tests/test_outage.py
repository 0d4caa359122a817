"""Long outages and concurrent intake.

- The RADOS Gateway stopped for 60 seconds under a running ``sohoa worker``: every job ends done,
  each document stored once (one version per object), fixity clean; no job is left failed.
- Several ``sohoa ingest`` calls at once on one data directory with no worker running: each
  finishes its own files, whoever held the worker lock first.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from archive.catalogue import Catalogue
from archive.repository import Repository
from archive.stores.s3 import S3Store
from ingest.jobs import JobStore
from tests.conftest import PAGE_DECISION, PAGE_LAND, ROOT, SOHOA, json_lines
from tests.support.render import save_scan

pytest_plugins = ["tests.s3_fixtures"]

DOSSIER = "000.00.12.H19-261201-0007"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _settings(path: Path, store: dict) -> Path:
    body = '[store]\nbackend = "s3"\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in store.items())
    body += "[jobs]\nretry_first_seconds = 1\nretry_max_seconds = 8\n"
    path.write_text(body, encoding="utf-8")
    return path


def _peer(action: str, peer_dir: str) -> None:
    from tests.s3_fixtures import PEER

    subprocess.run(["bash", str(PEER), action, peer_dir], check=True, capture_output=True, timeout=120)


def _ingest(base: list[str], files: list[Path], dossier: str) -> subprocess.Popen:
    args = [*base, "ingest", *map(str, files), "--dossier", dossier, "--applicant-id", "075203001234"]
    return subprocess.Popen(
        [*args, "--json", "--no-progress"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_all_done(jobs: JobStore, count: int, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = jobs.counts()
        if counts.get("done", 0) == count:
            return counts
        time.sleep(1)
    return jobs.counts()


@pytest.mark.s3
@pytest.mark.slow
def test_gateway_down_60_seconds_under_a_running_worker(private_s3_env, tmp_path) -> None:
    from tests.s3_fixtures import new_bucket_name, store_settings

    cfg = store_settings(private_s3_env, new_bucket_name("outage"))
    data = tmp_path / "data"
    base = [*SOHOA, "--data-dir", str(data), "--settings", str(_settings(tmp_path / "s.toml", cfg))]
    scans = [
        save_scan(p, tmp_path / f"s{i}.png", dpi=150, seed=30 + i)
        for i, p in enumerate((PAGE_DECISION, PAGE_LAND))
    ]
    store = S3Store(**cfg)
    store.exists("documents/warm-up")  # creates the bucket while the gateway is up
    worker = subprocess.Popen(
        [*base, "worker", "--poll", "0.5"], cwd=ROOT, env=ENV, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120  # the worker has looked at the store and holds the lock
        while not (data / "store-seen").exists():
            assert worker.poll() is None and time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)
        _peer("rgw-stop", private_s3_env["SOHOA_S3_PEER_DIR"])
        stopped = time.monotonic()
        ingest = _ingest(base, scans, DOSSIER)
        out, err = ingest.communicate(timeout=300)
        lines = json_lines(out)
        assert [line["status"] for line in lines] == ["accepted", "accepted"], out + err
        assert all(line["reason_code"] == "queued_for_retry" for line in lines), out + err
        assert all("sohoa worker" in line["message"] for line in lines)
        time.sleep(max(0.0, 60 - (time.monotonic() - stopped)))
        jobs = JobStore(data / "state.sqlite3")
        # A job may be caught mid-attempt (running); none may have failed or been given up.
        states = {j.state for j in jobs.list()}
        assert states <= {"waiting", "running"}, [(j.state, j.last_error) for j in jobs.list()]
        assert all(j.attempts > 2 for j in jobs.list()), "the worker kept trying through the outage"
    finally:
        _peer("rgw-start", private_s3_env["SOHOA_S3_PEER_DIR"])
    try:
        counts = _wait_all_done(jobs, 2, timeout=240)
        assert counts == {"done": 2}, [(j.state, j.last_error) for j in jobs.list()]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    repo = Repository(store, pins=Catalogue(data / "state.sqlite3"))
    ids = sorted(d.id for d in repo.iter_documents())
    assert ids == [f"{DOSSIER}.001", f"{DOSSIER}.002"]
    for doc_id in ids:
        for key in store.list(f"documents/{doc_id}/"):
            assert len(store.versions(key)) == 1, f"{key} written more than once"
    fixity = subprocess.run(
        [*base, "fixity", "--json"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300
    )
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr


def test_concurrent_ingests_each_finish_their_own_files(tmp_path) -> None:
    data = tmp_path / "data"
    base = [*SOHOA, "--data-dir", str(data)]
    scans = [
        save_scan(p, tmp_path / f"c{i}.png", dpi=150, seed=40 + i)
        for i, p in enumerate((PAGE_DECISION, PAGE_LAND))
    ]
    procs = [_ingest(base, [scan], f"HS-CONC-{i}") for i, scan in enumerate(scans)]
    results = [p.communicate(timeout=400) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        lines = json_lines(out)
        assert proc.returncode == 0, out + err
        assert [(x["status"], x["reason_code"]) for x in lines] == [("accepted", "")], out + err
