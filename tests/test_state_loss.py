"""The data directory is lost, the archive is not: after ``sohoa reindex`` (or even before it)
no document id or dossier code is issued twice, a new file is really stored, and the dossier
rows come back from the archive. Run on a local archive outside the data directory and on the
S3 peer."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from archive.repository import Repository
from sohoa.settings import load_settings
from sohoa.wiring import make_store
from tests.conftest import PAGE_DECISION, PAGE_LAND, json_lines, run_sohoa
from tests.support.render import save_scan

pytest_plugins = ["tests.s3_fixtures"]

DOSSIER = "000.00.12.H19-261127-0077"
APPLICANT = "075203001234"
OTHER_APPLICANT = "079188004321"


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def archive_settings(request, tmp_path) -> Path:
    """A settings file whose archive lives outside the data directory (a folder, or a bucket)."""
    path = tmp_path / "settings.toml"
    if request.param == "local":
        path.write_text(f'[store]\nbackend = "local"\npath = "{tmp_path / "archive"}"\n', encoding="utf-8")
        return path
    from tests.s3_fixtures import new_bucket_name, store_settings

    cfg = store_settings(request.getfixturevalue("s3_env"), new_bucket_name("loss"))
    body = '[store]\nbackend = "s3"\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in cfg.items())
    path.write_text(body, encoding="utf-8")
    return path


def _ingest(settings: Path, data: Path, scan: Path, dossier: str, applicant: str = APPLICANT) -> dict:
    proc = run_sohoa(
        "ingest", str(scan), "--dossier", dossier, "--applicant-id", applicant, "--department", "KHDT",
        "--settings", str(settings), data_dir=data,
    )  # fmt: skip
    lines = json_lines(proc.stdout)
    assert len(lines) == 1, proc.stdout + proc.stderr
    return lines[0]


def _repository(settings: Path, data: Path) -> Repository:
    return Repository(make_store(load_settings(data, settings)))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_lost_data_dir_then_reindex_never_reissues_ids_and_stores_new_files(archive_settings, tmp_path):
    settings, data = archive_settings, tmp_path / "data"
    scans = [
        save_scan(PAGE_DECISION[i : i + 3], tmp_path / f"scan{i}.png", dpi=150, seed=40 + i) for i in range(4)
    ]
    first = _ingest(settings, data, scans[0], DOSSIER)
    assert (first["status"], first["document_id"]) == ("accepted", f"{DOSSIER}.001")
    opened = _ingest(settings, data, scans[1], "new", OTHER_APPLICANT)
    assert opened["status"] == "accepted", opened
    new_code = opened["document_id"].rsplit(".", 1)[0]

    shutil.rmtree(data)  # the dead disk: state, catalogue, index, spool all gone
    out = run_sohoa("reindex", "--settings", str(settings), data_dir=data, check=True)
    assert "reindexed 2 documents" in out.stdout and "2 dossiers" in out.stdout, out.stdout

    again = _ingest(settings, data, scans[2], DOSSIER)
    assert (again["status"], again["document_id"]) == ("accepted", f"{DOSSIER}.002"), again
    other = _ingest(settings, data, scans[3], "new", OTHER_APPLICANT)
    assert other["status"] == "accepted", other
    assert not other["document_id"].startswith(new_code + "."), "a dossier code was issued twice"

    repo = _repository(settings, data)
    for line, scan in ((again, scans[2]), (other, scans[3])):
        assert repo.load(line["document_id"]).original.sha256 == _sha(scan), "the new file was not stored"
    assert repo.load(f"{DOSSIER}.001").original.sha256 == _sha(scans[0])
    # The old file is still known as a duplicate of its own document, not of a new one.
    dup = _ingest(settings, data, scans[0], DOSSIER)
    assert (dup["reason_code"], dup["document_id"]) == ("duplicate", f"{DOSSIER}.001")


def test_state_behind_the_archive_without_reindex_still_never_reuses_an_id(tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[store]\npath = "{tmp_path / "archive"}"\n', encoding="utf-8")
    data = tmp_path / "data"
    scans = [save_scan(PAGE_LAND[i : i + 2], tmp_path / f"s{i}.png", dpi=150, seed=60 + i) for i in range(3)]
    first = _ingest(settings, data, scans[0], "new")
    code = first["document_id"].rsplit(".", 1)[0]
    shutil.rmtree(data)  # an old backup of the state would be just as far behind

    into_old = _ingest(settings, data, scans[1], code)
    assert into_old["document_id"] == f"{code}.002", into_old
    fresh = _ingest(settings, data, scans[2], "new")
    assert not fresh["document_id"].startswith(code + "."), fresh
    repo = _repository(settings, data)
    assert repo.load(into_old["document_id"]).original.sha256 == _sha(scans[1])
