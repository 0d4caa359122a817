"""A misconfigured S3 store is refused at the start of a command, in one Vietnamese line with no
traceback, and nothing is accepted: wrong keys, unknown endpoint, a bucket without versioning or
without Object Lock, a clock the server refuses (real RADOS Gateway)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from archive.object_store import StoreConfigError
from archive.stores.s3 import S3Store
from ingest.jobs import JobStore
from tests.conftest import run_sohoa

pytest_plugins = ["tests.s3_fixtures"]
pytestmark = pytest.mark.s3


def _settings(tmp_path, cfg: dict):
    path = tmp_path / "settings.toml"
    body = '[store]\nbackend = "s3"\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in cfg.items())
    path.write_text(body, encoding="utf-8")
    return str(path)


def _refused(tmp_path, cfg: dict, scans) -> str:
    """Run ``sohoa ingest`` and ``sohoa fixity``: both refuse in one line; nothing is accepted."""
    data = tmp_path / "data"
    settings = _settings(tmp_path, cfg)
    args = [str(scans["decision_png"]), "--dossier", "HS-REF", "--applicant-id", "075203001234"]
    ingest = run_sohoa("--settings", settings, "ingest", *args, "--no-progress", data_dir=data)
    fixity = run_sohoa("--settings", settings, "fixity", data_dir=data)
    for proc in (ingest, fixity):
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert ingest.stdout.strip() == "", "nothing is reported accepted"
    assert JobStore(data / "state.sqlite3").list() == []
    return ingest.stderr


def test_wrong_secret_key(s3_env, tmp_path, scans) -> None:
    from tests.s3_fixtures import new_bucket_name, store_settings

    cfg = {**store_settings(s3_env, new_bucket_name("keys")), "secret_key": "not-the-secret-key-at-all"}
    assert "từ chối khóa truy cập" in _refused(tmp_path, cfg, scans)


def test_unknown_endpoint(s3_env, tmp_path, scans) -> None:
    from tests.s3_fixtures import new_bucket_name, store_settings

    cfg = {**store_settings(s3_env, new_bucket_name("ep")), "endpoint": "127.0.0.1:9"}
    assert "Không kết nối được kho lưu trữ S3 tại 127.0.0.1:9" in _refused(tmp_path, cfg, scans)


def test_bucket_without_versioning_then_without_object_lock(s3_env, tmp_path, scans) -> None:
    from minio.versioningconfig import ENABLED, VersioningConfig

    from tests.s3_fixtures import new_bucket_name, store_settings

    cfg = store_settings(s3_env, new_bucket_name("plain"))
    raw = S3Store(**cfg).client
    raw.make_bucket(cfg["bucket"])  # a plain bucket: no versioning, no lock
    assert "không bật versioning" in _refused(tmp_path, cfg, scans)
    raw.set_bucket_versioning(cfg["bucket"], VersioningConfig(ENABLED))
    (tmp_path / "second").mkdir()
    assert "không bật Object Lock" in _refused(tmp_path / "second", cfg, scans)


def test_clock_skew(s3_env, monkeypatch) -> None:
    """The request is signed an hour ahead (the client's clock, as on a server with no NTP)."""
    from minio import time as minio_time

    from tests.s3_fixtures import new_bucket_name, store_settings

    ahead = minio_time.utcnow
    monkeypatch.setattr(minio_time, "utcnow", lambda: ahead() + timedelta(hours=1))
    with pytest.raises(StoreConfigError, match="Đồng hồ máy này lệch"):
        S3Store(**store_settings(s3_env, new_bucket_name("clock"))).check()
