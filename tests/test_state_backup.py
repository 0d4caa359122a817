"""The state that is only state (users, jobs) is backed up into the archive and restored from it;
a corrupt or truncated state file stops every command with the next step named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.model import Applicant, Document
from archive.state_backup import list_backups
from search_ui.accounts import Accounts
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import run_sohoa
from tests.support.archive_doc import store_document

PASSWORD = "Mật-khẩu-đủ-dài-2026"
DOSSIER = "000.00.12.H19-261201-0005"


def _settings(tmp_path: Path, hours: int = 24) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[store]\npath = "{tmp_path / "archive"}"\n[backup]\nstate_every_hours = {hours}\n', encoding="utf-8"
    )
    return path


def _job(svc, name: str):
    spooled = svc.settings.spool_dir / name
    spooled.parent.mkdir(parents=True, exist_ok=True)
    spooled.write_bytes(name.encode())
    return svc.jobs.submit(
        dossier_code=DOSSIER, file_name=name, sha256=name * 4, content_type="image/png",
        spool_path=str(spooled), params={"applicant_id": "075203001234"},
    )  # fmt: skip


def test_users_and_jobs_come_back_from_the_newest_backup(tmp_path):
    settings, data = _settings(tmp_path), tmp_path / "data"
    svc = services(load_settings(data, settings))
    Accounts(svc.settings.state_db).add("quay1", PASSWORD, "intake", "KHDT")
    stored, lost = _job(svc, "a.png"), _job(svc, "b.png")
    # The first job's document reached the archive before the disk died; the second had not.
    store_document(
        svc, Document(id=stored.doc_id, dossier_code=DOSSIER, applicant=Applicant(id="075203001234"))
    )
    run_sohoa("backup-state", "--settings", str(settings), data_dir=data, check=True)
    newest = run_sohoa("backup-state", "--settings", str(settings), data_dir=data, check=True)
    assert len(list_backups(svc.store)) == 2

    shutil.rmtree(data)
    out = run_sohoa("restore-state", "--settings", str(settings), data_dir=data, check=True)
    assert newest.stdout.split('"')[3] in out.stdout, "the newest backup is the default"

    svc = services(load_settings(data, settings))
    assert Accounts(svc.settings.state_db).authenticate("quay1", PASSWORD, "127.0.0.1") is not None
    jobs = {j["doc_id"]: j for j in map(dict, svc.jobs.db.execute("SELECT * FROM jobs"))}
    assert jobs[stored.doc_id]["state"] == "done"
    assert (jobs[lost.doc_id]["state"], jobs[lost.doc_id]["reason_code"]) == ("failed", "spool_lost")


def test_worker_backs_up_on_schedule_and_not_again_before_due(tmp_path):
    settings, data = _settings(tmp_path, hours=1), tmp_path / "data"
    svc = services(load_settings(data, settings))
    svc.jobs  # noqa: B018 - creates the state file
    for _ in range(2):
        run_sohoa("worker", "--once", "--settings", str(settings), data_dir=data, check=True)
    assert len(list_backups(svc.store)) == 1


@pytest.mark.parametrize("damage", ["truncate", "garbage", "malformed"])
def test_corrupt_state_is_detected_at_start_with_the_next_step(tmp_path, damage):
    settings, data = _settings(tmp_path), tmp_path / "data"
    svc = services(load_settings(data, settings))
    for n in range(300):  # some pages, so that a cut or a scribble lands inside the file
        svc.catalogue.ensure_dossier(f"HS-{n:04d}", applicant_name="Nguyễn Văn Bình " * 20)
    svc.catalogue.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = svc.settings.state_db
    size = path.stat().st_size
    if damage == "truncate":
        with open(path, "r+b") as fh:
            fh.truncate(size // 2)
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 4096)
    else:  # scribble over the pages after the schema, header intact
        with open(path, "r+b") as fh:
            fh.seek(4096 * 2)
            fh.write(b"\xff" * (size - 4096 * 2))
    # A cut or a bad header is seen by every command before it starts; a scribbled page by the
    # first command that reads it (search reads no state, so it may go on working).
    commands = [["reindex"], ["worker", "--once"]] + (
        [["search", "giấy phép"]] if damage != "malformed" else []
    )
    for args in commands:
        proc = run_sohoa(*args, "--settings", str(settings), data_dir=data)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert "restore-state" in proc.stderr and "reindex" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr, proc.stderr


def test_held_pages_and_batch_records_go_with_the_state_backup(tmp_path):
    """The pages held from a scanned stack are in no document yet: a lost data directory must
    not lose them."""
    settings, data = _settings(tmp_path), tmp_path / "data"
    svc = services(load_settings(data, settings))
    svc.jobs  # noqa: B018 - creates the state file
    book = svc.batch_book
    batch_id = book.new_id()
    held = book.held_path(batch_id, "trang-1-1.pdf")
    held.write_bytes(b"%PDF-1.7 the stray page")
    book.record_held({"batch": batch_id, "file": str(held), "status": "held", "pages": [1]})
    book.save({"id": batch_id, "actor": "quay1", "received_at": "2026-12-02T01:00:00+00:00", "parts": []})
    out = run_sohoa("backup-state", "--settings", str(settings), data_dir=data, check=True)
    assert out.stdout.count("-files.tar") == 1

    shutil.rmtree(data)
    out = run_sohoa("restore-state", "--settings", str(settings), data_dir=data, check=True)
    assert '"folders": ["batches", "held"]' in out.stdout
    book = services(load_settings(data, settings)).batch_book
    assert [h["status"] for h in book.held_parts()] == ["held"]
    assert held.read_bytes() == b"%PDF-1.7 the stray page"
    assert book.batch(batch_id)["actor"] == "quay1"
