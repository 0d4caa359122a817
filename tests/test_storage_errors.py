"""Storage errors are storage errors: a full disk (a small tmpfs) or a read-only archive folder
(a tmpfs remounted read-only) end every ``sohoa ingest`` with a JSON line per file and no
traceback; nothing half-written stays in the spool; jobs wait and are retried, and once space or
rights come back every accepted file is stored exactly once. Needs root (mount), as tests run."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from archive.repository import Repository
from archive.stores.local import LocalStore
from tests.conftest import PAGE_DECISION, PAGE_LAND, json_lines, run_sohoa
from tests.support.render import save_scan

DOSSIER = "000.00.12.H19-261201-0099"


@pytest.fixture
def tmpfs(tmp_path):
    """Mount small tmpfs folders (root only); unmounted afterwards."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        path = tmp_path / name
        path.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def _scans(tmp_path: Path, n: int) -> list[Path]:
    pages = (PAGE_DECISION, PAGE_LAND)
    return [save_scan(pages[i % 2][:3], tmp_path / f"trang{i}.png", dpi=150, seed=80 + i) for i in range(n)]


def _settings(tmp_path: Path, archive: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'[store]\npath = "{archive}"\n', encoding="utf-8")
    return path


def _ingest(settings: Path, data: Path, files: list[Path]) -> tuple[list[dict], subprocess.CompletedProcess]:
    proc = run_sohoa(
        "ingest", *map(str, files), "--dossier", DOSSIER, "--applicant-id", "075203001234",
        "--department", "KHDT", "--settings", str(settings), data_dir=data,
    )  # fmt: skip
    lines = json_lines(proc.stdout)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == len(files), (proc.stdout, proc.stderr)
    return lines, proc


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` so that about ``leave`` bytes stay free."""
    st = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        fh.truncate(0)
        remaining = max(st.f_bavail * st.f_frsize - leave, 0)
        while remaining > 0:
            chunk = min(remaining, 1 << 20)
            try:
                fh.write(b"\0" * chunk)
                fh.flush()
            except OSError:
                break
            remaining -= chunk
    return filler


def _stored_once(archive: Path, lines: list[dict], files: list[Path]) -> None:
    """Every accepted file is in the archive under its document id, and no file twice."""
    repo = Repository(LocalStore(archive))
    shas = Counter(doc.original.sha256 for doc in repo.iter_documents() if doc.original)
    for line, path in zip(lines, files, strict=True):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if line["status"] == "accepted":
            assert repo.load(line["document_id"]).original.sha256 == sha
        assert shas[sha] <= 1, f"{path.name} stored {shas[sha]} times"


@pytest.mark.parametrize("leave", [0, 200_000, 700_000, 3_000_000])
def test_disk_full_every_file_answered_then_stored_once_when_space_returns(tmpfs, tmp_path, leave):
    disk = tmpfs("disk", "48m")
    data, archive = disk / "data", disk / "archive"
    settings = _settings(tmp_path, archive)
    files = _scans(tmp_path, 2)
    filler = _fill(disk, leave)
    lines, proc = _ingest(settings, data, files)
    assert proc.returncode in (0, 1), proc.stderr  # never "refused": the files are fine
    for line in lines:
        assert line["reason_code"] in ("", "storage_error", "queued_for_retry"), line
        assert line["reason_code"] != "unreadable_file"
    incoming = data / "spool" / "incoming"
    accepted = {line["document_id"] for line in lines if line["status"] == "accepted"}
    spooled = list(incoming.glob("up-*")) if incoming.exists() else []
    queued = [line for line in lines if line["reason_code"] == "queued_for_retry"]
    assert len(spooled) == len(queued), f"no partial spool files: {spooled}"

    filler.unlink()  # space comes back
    run_sohoa("worker", "--once", "--settings", str(settings), data_dir=data, check=True)
    _stored_once(archive, lines, files)
    # The files refused for want of space are taken now, each once.
    retry = [f for line, f in zip(lines, files, strict=True) if line["status"] != "accepted"]
    if retry:
        again, proc = _ingest(settings, data, retry)
        assert proc.returncode == 0 and all(a["status"] == "accepted" for a in again), again
        assert not {a["document_id"] for a in again} & accepted
    assert sum(1 for _ in Repository(LocalStore(archive)).iter_documents()) == len(files)


def test_read_only_archive_jobs_wait_and_finish_when_writable(tmpfs, tmp_path):
    archive = tmpfs("archive", "64m")
    data = tmp_path / "data"
    settings = _settings(tmp_path, archive)
    files = _scans(tmp_path, 2)
    LocalStore(archive)  # an archive in use: its folders exist when it turns read-only
    subprocess.run(["mount", "-o", "remount,ro", str(archive)], check=True)

    lines, proc = _ingest(settings, data, files)
    assert proc.returncode == 1
    assert [line["status"] for line in lines] == ["accepted", "accepted"], lines
    assert all(line["reason_code"] == "queued_for_retry" for line in lines), lines
    assert "chỉ đọc" in lines[0]["message"], lines[0]
    for _ in range(6):  # more passes than a job's attempts: storage errors never fail a job
        run_sohoa("worker", "--once", "--settings", str(settings), data_dir=data, check=True)
    with sqlite3.connect(data / "state.sqlite3") as db:
        states = db.execute("SELECT state, reason_code FROM jobs").fetchall()
    assert states == [("waiting", "storage_error")] * 2, states  # never failed

    fixity = run_sohoa("fixity", "--settings", str(settings), data_dir=data)
    assert "Traceback" not in fixity.stderr, fixity.stderr

    subprocess.run(["mount", "-o", "remount,rw", str(archive)], check=True)
    run_sohoa("worker", "--once", "--settings", str(settings), data_dir=data, check=True)
    _stored_once(archive, lines, files)
    assert sum(1 for _ in Repository(LocalStore(archive)).iter_documents()) == 2

    # A legal hold on a read-only archive: one clear line, no traceback.
    subprocess.run(["mount", "-o", "remount,ro", str(archive)], check=True)
    hold = run_sohoa(
        "--settings", str(settings), "retention", "hold", lines[0]["document_id"], "--reason", "Công văn 12/TA",
        data_dir=data,
    )  # fmt: skip
    assert hold.returncode == 1 and "Traceback" not in hold.stderr, hold.stderr
    assert "lỗi lưu trữ" in hold.stderr and "chỉ đọc" in hold.stderr, hold.stderr
