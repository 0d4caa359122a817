"""Fixity: every object streamed and checked against its manifest and the store's record."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
from datetime import date, timedelta

import pytest

from archive.audit import AuditLog
from archive.fixity import run_fixity
from archive.repository import Repository
from archive.stores.local import LocalStore

pytest_plugins = ["tests.s3_fixtures"]

LATER = date.today() + timedelta(days=3650)


def _problems(summary) -> list[dict]:
    with open(summary.report, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_clean_archive_passes_and_the_run_is_recorded(make_document, archive_store, tmp_path) -> None:
    for i in range(3):
        make_document(archive_store, f"f{i}", "D-F", retain_until=LATER)
    log = AuditLog(archive_store, tmp_path / "audit")
    log.append("ingest", "counter", "f0", {})
    summary = run_fixity(Repository(archive_store), tmp_path / "reports", audit=log.append)
    assert summary.clean
    assert (summary.documents, summary.objects, summary.ok) == (3, 10, 10)  # 3 x 3 objects + 1 audit entry
    assert _problems(summary) == []
    assert os.path.exists(summary.report.replace(".jsonl", ".json"))
    last = list(log.entries())[-1]
    assert last["action"] == "fixity.run" and last["details"]["ok"] == 10
    assert log.verify().ok


def test_local_bit_rot_and_loss_are_reported(make_document, tmp_path) -> None:
    store = LocalStore(tmp_path / "store")
    make_document(store, "good", "D-1", retain_until=LATER)
    rotten = make_document(store, "rot", "D-1", retain_until=LATER)
    lost = make_document(store, "lost", "D-2", retain_until=LATER)
    path = store.root / "data" / rotten.archival.key
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01  # one flipped bit
    path.write_bytes(bytes(data))
    os.unlink(store.root / "data" / lost.original.key)
    summary = run_fixity(Repository(store), tmp_path / "reports")
    assert not summary.clean
    assert (summary.mismatch, summary.missing) == (1, 1)
    found = {(p["document_id"], p["key"], p["status"]) for p in _problems(summary)}
    assert found == {("rot", rotten.archival.key, "mismatch"), ("lost", lost.original.key, "missing")}


@pytest.mark.s3
def test_s3_a_version_written_around_the_store_is_caught(make_document, fresh_s3_store, tmp_path) -> None:
    store = fresh_s3_store
    doc = make_document(store, "s3doc", "D-S3", retain_until=LATER)
    forged = b"%PDF-1.7 forged"
    store.client.put_object(store.bucket, doc.archival.key, io.BytesIO(forged), len(forged))
    summary = run_fixity(Repository(store), tmp_path / "reports")
    assert (summary.tampered, summary.mismatch) == (1, 0)  # the record is intact; the forgery is reported
    [problem] = _problems(summary)
    assert problem["key"] == doc.archival.key and "not written by sohoa" in problem["message"]


def _peak(store: LocalStore, tmp_path, tag: str) -> int:
    tracemalloc.start()
    try:
        summary = run_fixity(Repository(store), tmp_path / f"reports-{tag}")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert summary.clean


def test_memory_stays_flat_as_the_archive_grows(make_document, tmp_path) -> None:
    """Peak memory with 40 documents of 1 MiB is about that with 4: objects are streamed."""
    blob = os.urandom(1024 * 1024)
    small, large = LocalStore(tmp_path / "small"), LocalStore(tmp_path / "large")
    for i in range(4):
        make_document(small, f"m{i}", "D-M", retain_until=LATER, original=blob + bytes([i]))
    for i in range(40):
        make_document(large, f"m{i:02d}", "D-M", retain_until=LATER, original=blob + bytes([i]))
    peak_small, peak_large = _peak(small, tmp_path, "small"), _peak(large, tmp_path, "large")
    assert peak_large < 4 * 1024 * 1024  # far below the 40 MiB read
    assert peak_large < peak_small * 1.5 + 256 * 1024
