"""Legal holds and extensions on whole documents, on the local store and on S3 (Object Lock)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from archive.object_store import RetentionError
from archive.repository import Repository
from archive.retention import document_keys, extend_retention, lock_state, set_legal_hold

pytest_plugins = ["tests.s3_fixtures"]

LATER = date.today() + timedelta(days=3000)


class Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple] = []

    def __call__(self, action, actor, subject, details) -> None:
        self.entries.append((action, actor, subject, details))


def test_only_the_records_role_sets_or_releases_holds(make_document, archive_store) -> None:
    doc = make_document(archive_store, "h1", "D-1", retain_until=LATER)
    for role in ("intake", "reviewer", ""):
        with pytest.raises(PermissionError):
            set_legal_hold(
                Repository(archive_store), doc, True, actor="an", role=role, reason="vụ án 12/2026"
            )
    assert not lock_state(Repository(archive_store), doc).legal_hold
    with pytest.raises(ValueError):
        set_legal_hold(Repository(archive_store), doc, True, actor="an", role="records", reason=" ")


def test_hold_lands_on_every_object_and_is_audited(make_document, archive_store) -> None:
    doc = make_document(archive_store, "h2", "D-2", retain_until=LATER)
    audit = Recorder()
    set_legal_hold(
        Repository(archive_store), doc, True, actor="le.thu", role="records", reason="CV 45/TA", audit=audit
    )
    assert all(archive_store.head(k).legal_hold for k in document_keys(doc))
    for key in document_keys(doc):
        with pytest.raises(RetentionError):
            archive_store.delete(key)
    set_legal_hold(
        Repository(archive_store),
        doc,
        False,
        actor="le.thu",
        role="records",
        reason="vụ án đã xong",
        audit=audit,
    )
    assert not lock_state(Repository(archive_store), doc).legal_hold
    assert [e[0] for e in audit.entries] == ["hold.set", "hold.release"]
    assert audit.entries[0][1:3] == ("le.thu", "h2")


def test_extension_moves_every_object_later_and_never_shortens(make_document, archive_store) -> None:
    doc = make_document(archive_store, "e1", "D-3", retain_until=LATER)
    audit = Recorder()
    extend_retention(
        Repository(archive_store),
        doc,
        LATER + timedelta(days=365),
        actor="le.thu",
        role="records",
        reason="giá trị lịch sử",
        audit=audit,
    )
    assert lock_state(Repository(archive_store), doc).retain_until == LATER + timedelta(days=365)
    with pytest.raises(RetentionError):
        extend_retention(Repository(archive_store), doc, LATER, actor="le.thu", role="records", reason="nhầm")
    with pytest.raises(PermissionError):
        extend_retention(
            Repository(archive_store), doc, LATER + timedelta(days=999), actor="x", role="intake", reason="r"
        )
    assert {archive_store.head(k).retain_until for k in document_keys(doc)} == {LATER + timedelta(days=365)}
    assert len(audit.entries) == 1
