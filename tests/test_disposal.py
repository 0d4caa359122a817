"""Disposal by the book, on the local store and on S3: propose, council, appraisal, decision, destroy.

On S3 the "expired" documents carry a real Object Lock that lapses a few seconds after they are
written, so the destruction below is done by the server, not simulated; the clock of the workflow
is set to tomorrow because retention is kept by whole days.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from archive.audit import AuditLog
from archive.catalogue import Catalogue
from archive.disposal import Disposal, DisposalError, due_records
from archive.indexes.tantivy_index import TantivyIndex
from archive.object_store import RetentionError
from archive.repository import Repository
from archive.retention import document_keys, set_legal_hold
from archive.search_index import SearchQuery
from archive.stores.local import LocalStore

pytest_plugins = ["tests.s3_fixtures"]

TOMORROW = date.today() + timedelta(days=1)
LATER = date.today() + timedelta(days=3650)
MEMBERS = [
    {"name": "Nguyễn Văn An", "position": "Chủ tịch hội đồng", "vote": "for"},
    {"name": "Trần Thị Bình", "position": "Lưu trữ viên", "vote": "for"},
    {"name": "Lê Văn Cường", "position": "Pháp chế", "vote": "against"},
]


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def env(request, tmp_path):
    """A store, a retain-until that lapses before tomorrow, and a wait for it to lapse."""
    if request.param == "local":
        store = LocalStore(tmp_path / "store", today=lambda: TOMORROW)
        return SimpleNamespace(store=store, short=lambda: date.today(), wait=lambda: None)
    store = request.getfixturevalue("fresh_s3_store")
    lapse = datetime.now(UTC) + timedelta(seconds=4)
    return SimpleNamespace(
        store=store,
        short=lambda: lapse,
        wait=lambda: time.sleep(max(0.0, (lapse - datetime.now(UTC)).total_seconds()) + 0.3),
    )


def _archive(env, make_document, tmp_path):
    docs = {
        "A1": make_document(
            env.store, "A1", "D-A", retain_until=env.short(), pages=3, subject="Giấy phép xây dựng"
        ),
        "A2": make_document(env.store, "A2", "D-A", retain_until=env.short(), pages=1),
        "B1": make_document(env.store, "B1", "D-B", retain_until=env.short(), legal_hold=True),
        "C1": make_document(env.store, "C1", "D-C", retain_until=LATER),
        "E1": make_document(env.store, "E1", "D-E", retain_until=env.short()),
    }
    index, catalogue = TantivyIndex(tmp_path / "index"), Catalogue(tmp_path / "state.sqlite3")
    for doc in docs.values():
        index.add(doc)
        catalogue.upsert_document(doc)
    index.commit()
    return docs, index, catalogue


def test_due_lists_expired_unheld_records_per_dossier(env, make_document, tmp_path) -> None:
    _archive(env, make_document, tmp_path)
    records = due_records(Repository(env.store), TOMORROW)
    assert [(r.dossier_code, r.documents, r.pages) for r in records] == [
        ("D-A", ["A1", "A2"], 4),
        ("D-E", ["E1"], 2),
    ]
    assert records[0].title == "Giấy phép xây dựng" and records[0].retention == "10"
    assert "hết thời hạn bảo quản" in records[0].reason
    assert due_records(Repository(env.store), date.today()) == []  # kept through the whole day


def test_disposal_destroys_only_after_every_decision(env, make_document, tmp_path) -> None:
    docs, index, catalogue = _archive(env, make_document, tmp_path)
    log = AuditLog(env.store, tmp_path / "audit")
    disposal = Disposal(
        Repository(env.store), audit=log.append, index=index, catalogue=catalogue, today=lambda: TOMORROW
    )
    batch = disposal.propose("le.thu")["batch"]
    with pytest.raises(DisposalError):
        disposal.execute(batch, "le.thu")
    with pytest.raises(DisposalError):
        disposal.record_appraisal(
            batch,
            authority="Sở Nội vụ",
            number="12/TĐ",
            appraised_on=date.today(),
            approved=True,
            actor="le.thu",
        )
    council = disposal.record_council(
        batch, decision_no="05/QĐ-HĐ", decided_on=date.today(), members=MEMBERS, actor="le.thu"
    )
    assert council["approved"] and council["votes_for"] == 2
    with pytest.raises(DisposalError):  # a recorded step is never rewritten
        disposal.record_council(batch, decision_no="06", decided_on=date.today(), members=MEMBERS, actor="x")
    disposal.record_appraisal(
        batch, authority="Sở Nội vụ", number="12/TĐ", appraised_on=date.today(), approved=True, actor="le.thu"
    )
    with pytest.raises(DisposalError):
        disposal.execute(batch, "le.thu")
    disposal.record_decision(
        batch, number="99/QĐ-TTPVHCC", decided_on=date.today(), signer="Giám đốc", actor="le.thu"
    )
    # A hold placed after the proposal wins over it.
    set_legal_hold(
        Repository(env.store), docs["E1"], True, actor="le.thu", role="records", reason="thanh tra 7/2026"
    )
    env.wait()
    record = disposal.execute(batch, "le.thu")

    assert sorted(d["id"] for d in record["destroyed"]) == ["A1", "A2"]
    assert [(s["id"], s["reason"]) for s in record["skipped"]] == [("E1", "legal hold")]
    _assert_destroyed(env.store, [docs["A1"], docs["A2"]])
    for kept in ("B1", "C1", "E1"):
        assert all(env.store.exists(k) for k in document_keys(docs[kept]))
    assert index.search(SearchQuery(text="A1")).total == 0 and catalogue.document("A1") is None
    assert catalogue.document("C1") is not None
    _assert_record_kept(env.store, disposal, batch)
    with pytest.raises(DisposalError):
        disposal.execute(batch, "le.thu")
    actions = [e["action"] for e in log.entries()]
    assert actions.count("disposal.destroy") == 3 and actions[0] == "disposal.propose"
    assert log.verify().ok


def _assert_destroyed(store, gone) -> None:
    for doc in gone:
        assert list(store.list(f"documents/{doc.id}/")) == []
        if hasattr(store, "client"):  # S3: not one version or delete marker is left to restore
            left = list(
                store.client.list_objects(store.bucket, prefix=f"documents/{doc.id}/", include_version=True)
            )
            assert left == []


def _assert_record_kept(store, disposal: Disposal, batch: str) -> None:
    steps = disposal.show(batch)
    assert all(steps[s] for s in ("proposal", "council", "appraisal", "decision", "record"))
    info = store.head(f"disposal/{batch}/record.json")
    assert info.retain_until >= date.today().replace(year=date.today().year + 30) - timedelta(days=1)
    with pytest.raises(RetentionError):
        store.delete(f"disposal/{batch}/record.json")


def test_a_council_that_votes_against_stops_the_batch(make_document, tmp_path) -> None:
    store = LocalStore(tmp_path / "store", today=lambda: TOMORROW)
    make_document(store, "X1", "D-X", retain_until=date.today())
    disposal = Disposal(Repository(store), today=lambda: TOMORROW)
    batch = disposal.propose("le.thu")["batch"]
    against = [{**m, "vote": "against"} for m in MEMBERS[:2]] + [MEMBERS[2]]
    assert not disposal.record_council(
        batch, decision_no="1", decided_on=date.today(), members=against, actor="le.thu"
    )["approved"]
    with pytest.raises(DisposalError):
        disposal.record_appraisal(
            batch, authority="Sở Nội vụ", number="1", appraised_on=date.today(), approved=True, actor="le.thu"
        )
    with pytest.raises(DisposalError):
        disposal.execute(batch, "le.thu")
    assert store.exists("documents/X1/manifest.json")


def test_nothing_due_means_no_batch(make_document, tmp_path) -> None:
    store = LocalStore(tmp_path / "store")
    make_document(store, "K1", "D-K", retain_until=LATER)
    with pytest.raises(DisposalError):
        Disposal(Repository(store)).propose("le.thu")


def test_held_dossier_and_second_open_batch_are_left_out(make_document, tmp_path) -> None:
    """A dossier with one held document is not proposed at all, and a dossier already in an open
    batch is not taken by a second one (issue 15, item 2)."""
    store = LocalStore(tmp_path / "store", today=lambda: TOMORROW)
    make_document(store, "F1", "D-F", retain_until=date.today())
    make_document(store, "F2", "D-F", retain_until=LATER, legal_hold=True)
    make_document(store, "G1", "D-G", retain_until=date.today())
    assert [r.dossier_code for r in due_records(Repository(store), TOMORROW)] == ["D-G"]
    log = AuditLog(store, tmp_path / "audit")
    disposal = Disposal(Repository(store), audit=log.append, today=lambda: TOMORROW)
    first = disposal.propose("le.thu")
    assert [r["dossier_code"] for r in first["records"]] == ["D-G"]
    assert disposal.open_dossiers() == {"D-G"}
    with pytest.raises(DisposalError):
        disposal.propose("le.thu")  # D-G is already in an open batch
