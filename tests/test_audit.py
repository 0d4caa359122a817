"""The audit log: hash-chained, append-only, in the archive under retention; verify finds tampering."""

from __future__ import annotations

import io
import json
import os
import threading
from datetime import date, timedelta

import pytest

from archive.audit import AuditLog, entry_hash, entry_key
from archive.object_store import RetentionError
from archive.stores.local import LocalStore

pytest_plugins = ["tests.s3_fixtures"]


def _fill(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.append("read", f"reviewer{i % 3}", f"doc-{i}", {"why": "xem hồ sơ", "i": i})


def _kinds(log: AuditLog) -> set[str]:
    return {p.kind for p in log.verify().problems}


def test_entries_chain_and_verify_clean(archive_store, tmp_path) -> None:
    log = AuditLog(archive_store, tmp_path / "audit")
    _fill(log, 5)
    entries = list(log.entries())
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert all(b["prev"] == a["hash"] for a, b in zip(entries, entries[1:], strict=False))
    assert all(entry_hash(e) == e["hash"] for e in entries)
    report = log.verify()
    assert report.ok and report.entries == 5 and report.last_seq == 5


def test_entries_are_kept_under_retention(archive_store, tmp_path) -> None:
    log = AuditLog(archive_store, tmp_path / "audit", retain_years=30)
    log.append("ingest", "counter1", "doc-1", {})
    info = archive_store.head(entry_key(1))
    assert info.retain_until >= date.today() + timedelta(days=365 * 30 - 1)
    with pytest.raises(RetentionError):
        archive_store.delete(entry_key(1))


def test_concurrent_appends_keep_one_chain(archive_store, tmp_path) -> None:
    logs = [AuditLog(archive_store, tmp_path / "audit") for _ in range(3)]  # as web + worker would
    threads = [threading.Thread(target=_fill, args=(log, 8)) for log in logs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = logs[0].verify()
    assert report.ok, report.problems
    assert report.entries == 24


def test_lost_local_state_continues_the_archives_chain(archive_store, tmp_path) -> None:
    _fill(AuditLog(archive_store, tmp_path / "audit-a"), 3)
    fresh = AuditLog(archive_store, tmp_path / "audit-b")  # e.g. the data dir was rebuilt
    entry = fresh.append("read", "b", "doc-y", {})
    assert entry["seq"] == 4
    assert fresh.verify().ok


def test_an_unreachable_archive_delays_entries_but_never_loses_them(tmp_path) -> None:
    from archive.stores.s3 import S3Store

    down = S3Store("127.0.0.1:9", access_key="a", secret_key="b", secure=False, region="us-east-1")
    offline = AuditLog(down, tmp_path / "audit")
    first = offline.append("read", "reviewer1", "doc-1", {"why": "thẩm định"})
    offline.append("download", "reviewer1", "doc-1", {})
    assert first["seq"] == 1 and offline.pending() == 2
    archive = LocalStore(tmp_path / "store")
    _fill(AuditLog(archive, tmp_path / "other-host"), 2)  # meanwhile the archive got entries 1-2
    back = AuditLog(archive, tmp_path / "audit")  # same local state, the archive reachable again
    assert back.flush() == 0
    report = back.verify()
    assert report.ok and report.entries == 4 and report.pending == 0
    assert [e["subject"] for e in back.entries()][2:] == ["doc-1", "doc-1"]


# -- tampering on the local store (files edited behind the store's back) ---------------------
def _local(tmp_path) -> tuple[LocalStore, AuditLog]:
    store = LocalStore(tmp_path / "store")
    log = AuditLog(store, tmp_path / "audit")
    _fill(log, 6)
    return store, log


def _rewrite(store: LocalStore, seq: int, entry: dict) -> None:
    path = store.root / "data" / entry_key(seq)
    os.chmod(path, 0o644)
    path.write_bytes(json.dumps(entry, ensure_ascii=False).encode())


def test_verify_finds_an_edited_entry(tmp_path) -> None:
    store, log = _local(tmp_path)
    entry = json.loads(store.get_bytes(entry_key(3)))
    entry["actor"] = "someone-else"
    _rewrite(store, 3, entry)
    assert "edited" in _kinds(log)


def test_verify_finds_an_edit_with_a_recomputed_hash(tmp_path) -> None:
    store, log = _local(tmp_path)
    entry = json.loads(store.get_bytes(entry_key(3)))
    entry["subject"] = "doc-other"
    entry["hash"] = entry_hash(entry)
    _rewrite(store, 3, entry)
    problems = log.verify().problems
    assert [(p.seq, p.kind) for p in problems] == [(4, "chain")]


def test_verify_finds_a_dropped_entry(tmp_path) -> None:
    store, log = _local(tmp_path)
    os.unlink(store.root / "data" / entry_key(4))
    problems = log.verify().problems
    assert [(p.seq, p.kind) for p in problems] == [(4, "dropped")]


def test_verify_finds_reordered_entries(tmp_path) -> None:
    store, log = _local(tmp_path)
    two, three = (json.loads(store.get_bytes(entry_key(s))) for s in (2, 3))
    _rewrite(store, 2, three)
    _rewrite(store, 3, two)
    assert "reordered" in _kinds(log)


def test_verify_finds_a_cut_off_tail(tmp_path) -> None:
    store, log = _local(tmp_path)
    os.unlink(store.root / "data" / entry_key(6))
    assert [(p.seq, p.kind) for p in log.verify().problems] == [(6, "truncated")]


# -- on S3 the server refuses to delete; a new version written around the store is caught -------
@pytest.mark.s3
def test_s3_entries_cannot_be_deleted_and_overwrites_are_caught(fresh_s3_store, tmp_path) -> None:
    from minio.error import S3Error

    store = fresh_s3_store
    log = AuditLog(store, tmp_path / "audit")
    _fill(log, 4)
    client, bucket = store.client, store.bucket
    version = client.stat_object(bucket, entry_key(2)).version_id
    with pytest.raises(S3Error) as refused:
        client.remove_object(bucket, entry_key(2), version_id=version)
    assert refused.value.code == "AccessDenied"
    forged = json.loads(store.get_bytes(entry_key(2)))
    forged["actor"] = "nobody"
    raw = json.dumps(forged).encode()
    client.put_object(bucket, entry_key(2), io.BytesIO(raw), len(raw))  # a new latest version
    assert "overwritten" in _kinds(log)  # the entry itself still reads as written (oldest version)
    assert "edited" not in _kinds(log)
