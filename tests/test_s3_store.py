"""What only the S3 store has: Object Lock enforced by the server itself, RGW's date quirks,
every version locked and destroyed, and failures that must be loud."""

from __future__ import annotations

import io
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention

from archive.object_store import PERMANENT, ObjectExists, RetentionError, StoreError
from archive.stores.s3 import S3Store, S3Unavailable, parse_lock_date

pytest_plugins = ["tests.s3_fixtures"]

LATER = date.today() + timedelta(days=3650)


def _key(name: str) -> str:
    return f"s3only/{uuid.uuid4().hex[:10]}/{name}"


def _raw_lock(store: S3Store, key: str) -> tuple[str | None, str | None]:
    meta = store.client.stat_object(store.bucket, key).metadata
    return meta.get("x-amz-object-lock-mode"), meta.get("x-amz-object-lock-retain-until-date")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2030-01-01T00:00:00.000000000Z", datetime(2030, 1, 1, tzinfo=UTC)),  # RGW: nine digits
        ("2030-01-01T12:30:05.123456789Z", datetime(2030, 1, 1, 12, 30, 5, 123456, tzinfo=UTC)),
        ("2030-01-01T12:30:05.5Z", datetime(2030, 1, 1, 12, 30, 5, 500000, tzinfo=UTC)),
        ("2030-01-01T12:30:05Z", datetime(2030, 1, 1, 12, 30, 5, tzinfo=UTC)),  # AWS / MinIO
        ("2030-01-01T19:30:05+07:00", datetime(2030, 1, 1, 12, 30, 5, tzinfo=UTC)),
    ],
)
def test_lock_dates_parse_with_any_fraction(raw: str, expected: datetime) -> None:
    assert parse_lock_date(raw) == expected


@pytest.mark.s3
def test_rgw_nine_digit_dates_are_read_correctly(s3_store: S3Store) -> None:
    key = _key("nine")
    s3_store.put_bytes(key, b"x", retain_until=LATER)
    mode, raw = _raw_lock(s3_store, key)
    assert mode == "COMPLIANCE" and raw.endswith(".000000000Z")  # the form minio-py's own parser rejects
    assert s3_store.head(key).retain_until == LATER


@pytest.mark.s3
def test_the_server_refuses_deletion_and_shortening_whatever_the_client(s3_store: S3Store) -> None:
    """Our pre-checks aside, a client talking to the bucket directly is refused too."""
    key = _key("locked")
    s3_store.put_bytes(key, b"record", retain_until=LATER)
    client, bucket = s3_store.client, s3_store.bucket
    version = client.stat_object(bucket, key).version_id
    with pytest.raises(S3Error) as deleted:
        client.remove_object(bucket, key, version_id=version)
    assert deleted.value.code == "AccessDenied"
    bypass = {"x-amz-bypass-governance-retention": "true"}  # no escape hatch under COMPLIANCE
    with pytest.raises(S3Error):
        client._execute("DELETE", bucket, key, headers=bypass, query_params={"versionId": version})
    with pytest.raises(S3Error) as shortened:
        client.set_object_retention(
            bucket, key, Retention(COMPLIANCE, datetime.now(UTC) + timedelta(days=1)), version_id=version
        )
    assert shortened.value.code == "AccessDenied"
    assert s3_store.get_bytes(key) == b"record" and s3_store.head(key).retain_until == LATER


@pytest.mark.s3
def test_governance_mode_can_be_bypassed_which_is_why_compliance_is_the_default(s3_env, s3_bucket) -> None:
    from tests.s3_fixtures import store_settings

    store = S3Store(**{**store_settings(s3_env, s3_bucket), "retention_mode": "GOVERNANCE"})
    key = _key("governance")
    store.put_bytes(key, b"g", retain_until=LATER)
    with pytest.raises(RetentionError):
        store.delete(key)
    version = store.client.stat_object(store.bucket, key).version_id
    store.client._execute(
        "DELETE",
        store.bucket,
        key,
        headers={"x-amz-bypass-governance-retention": "true"},
        query_params={"versionId": version},
    )
    assert not store.exists(key)


@pytest.mark.s3
def test_permanent_is_mapped_below_rgws_32_bit_limit(s3_store: S3Store) -> None:
    key = _key("perm")
    s3_store.put_bytes(key, b"p", retain_until=PERMANENT)
    assert _raw_lock(s3_store, key)[1].startswith("2106-01-02T00:00:00")
    assert s3_store.head(key).retain_until == PERMANENT
    # Why: RGW keeps lock dates as unsigned 32-bit seconds and wraps later ones silently.
    raw_key = _key("wrapped")
    s3_store.client.put_object(
        s3_store.bucket,
        raw_key,
        io.BytesIO(b"w"),
        1,
        retention=Retention(COMPLIANCE, datetime(9999, 12, 31, tzinfo=UTC)),
    )
    assert int(_raw_lock(s3_store, raw_key)[1][:4]) < 2000


@pytest.mark.s3
def test_holds_reach_every_version_and_delete_removes_them_all(s3_store: S3Store) -> None:
    key = _key("versions")
    client, bucket = s3_store.client, s3_store.bucket
    short = datetime.now(UTC) + timedelta(seconds=2)
    client.put_object(
        bucket, key, io.BytesIO(b"v1"), 2, metadata={"sha256": "x"}, retention=Retention(COMPLIANCE, short)
    )
    client.put_object(
        bucket, key, io.BytesIO(b"v2"), 2, metadata={"sha256": "y"}, retention=Retention(COMPLIANCE, short)
    )
    s3_store.set_legal_hold(key, True)
    versions = [o.version_id for o in client.list_objects(bucket, prefix=key, include_version=True)]
    assert len(versions) == 2
    assert all(client.is_object_legal_hold_enabled(bucket, key, version_id=v) for v in versions)
    time.sleep(2.5)
    with pytest.raises(RetentionError):
        s3_store.delete(key)
    s3_store.set_legal_hold(key, False)
    client.remove_object(bucket, key)  # a delete marker, as a careless client would leave
    # A delete marker hides nothing: the oldest version is the record and is still read.
    assert s3_store.exists(key) and s3_store.get_bytes(key) == b"v1"
    assert [v.is_delete_marker for v in s3_store.versions(key)] == [False, False, True]
    s3_store.delete(key)
    assert list(client.list_objects(bucket, prefix=key, include_version=True)) == []


@pytest.mark.s3
def test_different_bytes_under_an_existing_key_are_refused(s3_store: S3Store) -> None:
    key = _key("race")
    s3_store.client.put_object(s3_store.bucket, key, io.BytesIO(b"other"), 5, metadata={"sha256": "zz"})
    with pytest.raises(ObjectExists):
        s3_store.put_bytes(key, b"mine")


@pytest.mark.s3
def test_a_bucket_without_object_lock_is_refused(s3_env) -> None:
    from tests.s3_fixtures import new_bucket_name, store_settings

    settings = store_settings(s3_env, new_bucket_name("nolock"))
    plain = S3Store(**settings)
    plain.client.make_bucket(plain.bucket)  # created without Object Lock
    with pytest.raises(StoreError, match="không bật versioning"):  # a plain bucket has neither
        plain.put_bytes(_key("x"), b"x", retain_until=LATER)


def test_an_unreachable_server_fails_fast_and_says_so() -> None:
    store = S3Store("127.0.0.1:9", access_key="a", secret_key="b", secure=False, region="us-east-1")
    started = time.monotonic()
    with pytest.raises(S3Unavailable):
        store.head("documents/x/manifest.json")
    assert time.monotonic() - started < 15
