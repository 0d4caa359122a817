"""Fault: the S3 server stops in the middle of an ingest.

``sohoa ingest`` (the real command, ``[store] backend = "s3"``) takes two scans. The moment a
document's original lands in the bucket the ingest process is frozen (SIGSTOP), we check
that its manifest is not there yet (so the document is half-stored), stop the gateway, and let the
ingest go on. It must then report the unfinished files as queued for retry, and nothing of them
may be visible: no manifest, no search hit, no catalogue row. Once the gateway is back,
``sohoa worker --once`` completes the jobs: every document whole, every object a single version
(the re-run re-puts nothing), fixity clean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from archive.catalogue import Catalogue
from archive.repository import Repository
from archive.stores.s3 import S3Store
from tests.conftest import PAGE_DECISION, PAGE_LAND, json_lines
from tests.support.render import save_scan

pytest_plugins = ["tests.s3_fixtures"]

DOSSIER = "000.00.12.H19-261127-0042"
ROOT = Path(__file__).resolve().parent.parent
SOHOA = [str(ROOT / ".venv" / "bin" / "python"), "-m", "sohoa.cli"]


def _settings_file(path: Path, cfg: dict) -> Path:
    body = '[store]\nbackend = "s3"\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in cfg.items())
    path.write_text(body, encoding="utf-8")
    return path


def _peer(action: str, peer_dir: str) -> None:
    from tests.s3_fixtures import PEER

    subprocess.run(["bash", str(PEER), action, peer_dir], check=True, capture_output=True, timeout=120)


def _freeze_when_half_stored(proc: subprocess.Popen, store: S3Store, doc_ids: list[str]) -> str:
    """Freeze the ingest as soon as one of ``doc_ids`` has its original but no manifest."""
    for doc_id in doc_ids:
        deadline = time.monotonic() + 300
        while not store.exists(f"documents/{doc_id}/original"):
            assert proc.poll() is None, "ingest ended before storing"
            assert time.monotonic() < deadline, "ingest never stored an original"
        os.kill(proc.pid, signal.SIGSTOP)
        if not store.exists(f"documents/{doc_id}/manifest.json"):
            return doc_id
        os.kill(proc.pid, signal.SIGCONT)  # too late for this one: try the next document
    pytest.fail("could not catch a document half-stored")


@pytest.mark.s3
@pytest.mark.slow
def test_gateway_stopped_mid_ingest_leaves_nothing_half_visible_and_the_job_completes(
    private_s3_env, tmp_path
) -> None:
    from tests.s3_fixtures import new_bucket_name, store_settings

    cfg = store_settings(private_s3_env, new_bucket_name("fault"))
    settings, data = _settings_file(tmp_path / "settings.toml", cfg), tmp_path / "data"
    store = S3Store(**cfg)
    scans = [
        save_scan(lines, tmp_path / f"scan{i}.png", dpi=200, seed=10 + i)
        for i, lines in enumerate((PAGE_DECISION, PAGE_LAND))
    ]
    ids = [f"{DOSSIER}.{n:03d}" for n in (1, 2)]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    base = [*SOHOA, "--data-dir", str(data), "--settings", str(settings)]
    proc = subprocess.Popen(
        [
            *base,
            "ingest",
            *map(str, scans),
            "--dossier",
            DOSSIER,
            "--applicant-id",
            "075203001234",
            "--json",
            "--no-progress",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        half = _freeze_when_half_stored(proc, store, ids)
        _peer("rgw-stop", private_s3_env["SOHOA_S3_PEER_DIR"])
        os.kill(proc.pid, signal.SIGCONT)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
            proc.kill()
        _peer("rgw-start", private_s3_env["SOHOA_S3_PEER_DIR"])
    lines = {line["document_id"]: line for line in json_lines(out)}
    finished, unfinished = ids[: ids.index(half)], ids[ids.index(half) :]
    assert all(lines[d]["reason_code"] == "" for d in finished), out + err
    assert all(lines[d]["reason_code"] == "queued_for_retry" for d in unfinished), out + err

    # Nothing of the unfinished documents is visible, though the half one's original is stored.
    repo = Repository(store)
    assert store.exists(f"documents/{half}/original")
    assert [d.id for d in repo.iter_documents()] == finished
    assert not any(repo.exists(d) for d in unfinished)
    assert [r["id"] for r in Catalogue(data / "state.sqlite3").documents_of_dossier(DOSSIER)] == finished
    search = subprocess.run(
        [*base, "search", "Trần Văn Đức", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json_lines(search.stdout) == []

    worker = subprocess.run(
        [*base, "worker", "--once"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert worker.returncode == 0, worker.stderr
    _assert_complete(store, repo, ids)
    search = subprocess.run(
        [*base, "search", "Trần Văn Đức", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert [h["document_id"] for h in json_lines(search.stdout)] == [ids[1]]


def _assert_complete(store: S3Store, repo: Repository, ids: list[str]) -> None:
    from archive.fixity import check_object

    assert sorted(d.id for d in repo.iter_documents()) == ids
    for doc_id in ids:
        doc = repo.load(doc_id)
        for key in (f"documents/{doc_id}/manifest.json", doc.original.key, doc.archival.key):
            versions = list(store.client.list_objects(store.bucket, prefix=key, include_version=True))
            assert len(versions) == 1, f"{key} has {len(versions)} versions"
            assert check_object(store, key).status == "ok"
