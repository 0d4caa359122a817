"""A second copy: ``[replica]`` receives every object with the same lock, fixity checks both
sides, and ``sohoa restore --from-replica`` rebuilds a lost primary bucket, the index and the
catalogue (two buckets on the test RADOS Gateway)."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, timedelta

import pytest

from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.stores.s3 import S3Store
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import json_lines, run_sohoa
from tests.support.archive_doc import store_document

pytest_plugins = ["tests.s3_fixtures"]
pytestmark = pytest.mark.s3

LATER = date.today() + timedelta(days=3650)


def _write_settings(path, primary: dict, replica: dict) -> str:
    lines = ['[store]\nbackend = "s3"\n']
    lines += [f"{k} = {json.dumps(v)}\n" for k, v in primary.items()]
    lines += ["[replica]\n"] + [f"{k} = {json.dumps(v)}\n" for k, v in replica.items()]
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def _doc(n: int, hold: bool = False) -> Document:
    return Document(
        id=f"HS-REP.{n:03d}",
        dossier_code="HS-REP",
        applicant=Applicant(id="075203001234", name="Lê Văn Bình"),
        metadata=DocumentMetadata(type_name="Giấy phép", subject=f"Giấy phép xây dựng số {n}"),
        retain_until=LATER.isoformat(),
        legal_hold=hold,
        pages=[PageText(number=1, text=f"Giấy phép xây dựng nhà ở riêng lẻ số {n}")],
    )


def test_replica_receives_everything_and_restores_a_lost_primary(s3_env, tmp_path) -> None:
    from tests.s3_fixtures import new_bucket_name, store_settings

    primary, replica = (store_settings(s3_env, new_bucket_name(t)) for t in ("prim", "repl"))
    data = tmp_path / "data"
    settings = _write_settings(tmp_path / "s.toml", primary, replica)
    svc = services(load_settings(data, settings))
    docs = [store_document(svc, _doc(1)), store_document(svc, _doc(2, hold=True))]
    svc.repository.revise(docs[0].id, {"component_name": "Giấy phép"}, actor="lan", reason="xác nhận")

    # Same objects, same bytes, same lock on both sides.
    a, b = S3Store(**primary), S3Store(**replica)
    keys = sorted(a.list(""))
    assert keys == sorted(b.list("")) and len(keys) == 5  # 2 x (original, manifest) + 1 revision
    for key in keys:
        ha, hb = a.head(key), b.head(key)
        assert (ha.sha256, ha.retain_until, ha.legal_hold, ha.lock_mode) == (
            hb.sha256,
            hb.retain_until,
            hb.legal_hold,
            hb.lock_mode,
        ), key

    fixity = run_sohoa("--settings", settings, "fixity", "--json", data_dir=data)
    summary = json.loads(fixity.stdout)
    assert fixity.returncode == 0 and summary["objects"] == 10, fixity.stdout + fixity.stderr

    # Tampering on the replica is seen too.
    forged = b'{"changes": {"legal_hold": false}}'
    b.client.put_object(b.bucket, keys[0], io.BytesIO(forged), len(forged))
    tampered = run_sohoa("--settings", settings, "fixity", "--json", data_dir=data)
    assert tampered.returncode == 2 and json.loads(tampered.stdout)["tampered"] == 1
    with open(json.loads(tampered.stdout)["report"], encoding="utf-8") as fh:
        assert [(p["store"], p["key"]) for p in map(json.loads, fh)] == [("replica", keys[0])]

    # The primary bucket is lost (a new, empty one in its place) and so is the index.
    lost = {**primary, "bucket": new_bucket_name("rebuilt")}
    settings = _write_settings(tmp_path / "s2.toml", lost, replica)
    shutil.rmtree(svc.settings.index_dir)
    restored = run_sohoa("--settings", settings, "restore", "--from-replica", data_dir=data)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    report = json.loads(restored.stdout)
    everything = sorted(b.list(""))  # the documents' 5 objects and the fixity runs' audit entries
    assert (report["copied"], report["documents"], report["damaged"]) == (len(everything), 2, [])
    c = S3Store(**lost)
    assert sorted(c.list("")) == everything and sorted(c.list("documents/")) == keys
    assert c.head(f"documents/{docs[1].id}/manifest.json").legal_hold
    fixity = run_sohoa("--settings", settings, "fixity", "--json", data_dir=data)
    # the replica's forged version stays reported; the rebuilt primary is clean
    assert json.loads(fixity.stdout)["tampered"] == 1 and json.loads(fixity.stdout)["missing"] == 0
    found = run_sohoa("--settings", settings, "search", "giấy phép xây dựng", "--json", data_dir=data)
    assert sorted(h["document_id"] for h in json_lines(found.stdout)) == [d.id for d in docs]
