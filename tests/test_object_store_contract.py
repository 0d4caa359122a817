"""One contract, every backend: the local store and the S3 store (Ceph RGW peer) must behave alike.

The S3 parameter runs against the real server started by scripts/s3peer.sh; retention and legal
hold are enforced there by Object Lock, so "refused" below means the server (or our pre-check in
front of it) refused, and the object is still intact afterwards.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from archive.object_store import PERMANENT, ObjectExists, ObjectMissing, RetentionError
from archive.stores.local import LocalStore

pytest_plugins = ["tests.s3_fixtures"]

FUTURE = date.today() + timedelta(days=3650)


class Harness:
    """A store plus a way to make a short retention lapse (a clock for local, seconds on S3)."""

    def __init__(self, store, kind: str, clock: list[date] | None = None) -> None:
        self.store, self.kind, self._clock = store, kind, clock
        self.prefix = f"contract/{uuid.uuid4().hex[:10]}/"

    def key(self, name: str) -> str:
        return self.prefix + name

    def short_retention(self) -> date:
        """A retain-until that holds now and lapses on ``let_expire``."""
        if self.kind == "local":
            return date.today()
        return datetime.now(UTC) + timedelta(seconds=2)

    def let_expire(self) -> None:
        if self.kind == "local":
            self._clock[0] = date.today() + timedelta(days=1)
        else:
            time.sleep(2.5)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def h(request, tmp_path) -> Harness:
    if request.param == "local":
        clock = [date.today()]
        return Harness(LocalStore(tmp_path / "store", today=lambda: clock[0]), "local", clock)
    return Harness(request.getfixturevalue("s3_store"), "s3")


def test_put_then_read_back_with_recorded_sha256(h: Harness) -> None:
    info = h.store.put_bytes(h.key("a.pdf"), b"%PDF-1.7 hello", content_type="application/pdf")
    assert info.size == 14
    assert info.sha256 == hashlib.sha256(b"%PDF-1.7 hello").hexdigest()
    head = h.store.head(h.key("a.pdf"))
    assert (head.size, head.sha256, head.content_type) == (14, info.sha256, "application/pdf")
    assert h.store.get_bytes(h.key("a.pdf")) == b"%PDF-1.7 hello"
    assert h.store.verify(h.key("a.pdf"))


def test_objects_are_never_overwritten(h: Harness) -> None:
    first = h.store.put_bytes(h.key("x"), b"one")
    again = h.store.put_bytes(h.key("x"), b"one")  # same bytes: a no-op
    assert again.sha256 == first.sha256
    with pytest.raises(ObjectExists):
        h.store.put_bytes(h.key("x"), b"two")
    assert h.store.get_bytes(h.key("x")) == b"one"


def test_missing_objects(h: Harness) -> None:
    assert not h.store.exists(h.key("nope"))
    with pytest.raises(ObjectMissing):
        h.store.head(h.key("nope"))
    with pytest.raises(ObjectMissing):
        h.store.open(h.key("nope")).read()
    with pytest.raises(ObjectMissing):
        h.store.delete(h.key("nope"))


def test_large_object_streams_in_chunks(h: Harness, tmp_path) -> None:
    path = tmp_path / "big.bin"
    block = bytes(range(256)) * 4096  # 1 MiB
    with open(path, "wb") as fh:
        for _ in range(6):
            fh.write(block)
    info = h.store.put_file(h.key("big.bin"), str(path))
    assert info.size == 6 * len(block)
    with h.store.open(h.key("big.bin")) as fh:
        first = fh.read(1000)
        rest = sum(len(c) for c in iter(lambda: fh.read(65536), b""))
    assert first == block[:1000] and 1000 + rest == info.size
    assert h.store.verify(h.key("big.bin"))


def test_list_is_a_stream_in_key_order_under_the_prefix(h: Harness) -> None:
    for name in ("b/2", "a/1", "b/1", "c"):
        h.store.put_bytes(h.key(name), name.encode())
    h.store.put_bytes(h.prefix.rstrip("/") + "-other/z", b"z")
    listing = h.store.list(h.prefix)
    assert iter(listing) is listing  # a generator, not a list loaded at once
    assert list(listing) == [h.key(n) for n in ("a/1", "b/1", "b/2", "c")]
    assert list(h.store.list(h.key("b/"))) == [h.key("b/1"), h.key("b/2")]


def test_unretained_object_can_be_deleted_and_is_gone(h: Harness) -> None:
    h.store.put_bytes(h.key("tmp"), b"scratch")
    h.store.delete(h.key("tmp"))
    assert not h.store.exists(h.key("tmp"))
    assert list(h.store.list(h.key("tmp"))) == []


def test_delete_before_retain_until_is_refused(h: Harness) -> None:
    h.store.put_bytes(h.key("kept"), b"record", retain_until=FUTURE)
    with pytest.raises(RetentionError):
        h.store.delete(h.key("kept"))
    assert h.store.get_bytes(h.key("kept")) == b"record"
    assert h.store.head(h.key("kept")).retain_until == FUTURE


def test_delete_after_retention_lapsed_is_allowed(h: Harness) -> None:
    h.store.put_bytes(h.key("old"), b"expired record", retain_until=h.short_retention())
    with pytest.raises(RetentionError):
        h.store.delete(h.key("old"))
    h.let_expire()
    h.store.delete(h.key("old"))
    assert not h.store.exists(h.key("old"))


def test_legal_hold_blocks_delete_until_released(h: Harness) -> None:
    h.store.put_bytes(h.key("held"), b"evidence", legal_hold=True)
    assert h.store.head(h.key("held")).legal_hold
    with pytest.raises(RetentionError):
        h.store.delete(h.key("held"))
    h.store.set_legal_hold(h.key("held"), False)
    assert not h.store.head(h.key("held")).legal_hold
    h.store.delete(h.key("held"))
    assert not h.store.exists(h.key("held"))


def test_legal_hold_outlives_expired_retention(h: Harness) -> None:
    h.store.put_bytes(h.key("hx"), b"x", retain_until=h.short_retention())
    h.store.set_legal_hold(h.key("hx"), True)
    h.let_expire()
    with pytest.raises(RetentionError):
        h.store.delete(h.key("hx"))
    assert h.store.exists(h.key("hx"))


def test_retention_extends_but_never_shortens(h: Harness) -> None:
    h.store.put_bytes(h.key("r"), b"r", retain_until=FUTURE)
    later = FUTURE + timedelta(days=365)
    h.store.extend_retention(h.key("r"), later)
    assert h.store.head(h.key("r")).retain_until == later
    with pytest.raises(RetentionError):
        h.store.extend_retention(h.key("r"), FUTURE)
    assert h.store.head(h.key("r")).retain_until == later


def test_permanent_records_stay_permanent(h: Harness) -> None:
    h.store.put_bytes(h.key("perm"), b"forever", retain_until=PERMANENT)
    assert h.store.head(h.key("perm")).retain_until == PERMANENT
    with pytest.raises(RetentionError):
        h.store.delete(h.key("perm"))
    with pytest.raises(RetentionError):
        h.store.extend_retention(h.key("perm"), FUTURE)
    h.store.extend_retention(h.key("perm"), PERMANENT)  # idempotent
    assert h.store.head(h.key("perm")).retain_until == PERMANENT


def test_a_put_reports_the_version_it_wrote_and_reads_can_name_it(h: Harness) -> None:
    key = h.key("versioned")
    info = h.store.put_bytes(key, b"the record", retain_until=FUTURE)
    again = h.store.put_bytes(key, b"the record", retain_until=FUTURE)  # a no-op re-put
    assert again.version_id == info.version_id
    if h.kind == "local":
        assert info.version_id is None  # one version only: nothing to name
    else:
        assert isinstance(info.version_id, str) and info.version_id
    assert [v.version_id for v in h.store.versions(key)] == [info.version_id]
    assert h.store.head(key, info.version_id).sha256 == hashlib.sha256(b"the record").hexdigest()
    assert h.store.get_bytes(key, info.version_id) == b"the record"
    assert h.store.expected_retain(FUTURE) == FUTURE
    assert h.store.versions(h.key("never-written")) == []
