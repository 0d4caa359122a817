"""The records unit's commands end to end: retention due/dispose/hold/extend, fixity, audit verify
(in-process ``sohoa.cli.main``), on the local store and with ``[store] backend = "s3"``."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from archive.stores.local import LocalStore
from sohoa.cli import main

pytest_plugins = ["tests.s3_fixtures"]

YESTERDAY = date.today() - timedelta(days=1)
LATER = date.today() + timedelta(days=3650)


def sohoa(capsys, data_dir, *args: str, settings=None) -> tuple[int, list[dict], str]:
    extra = ["--settings", str(settings)] if settings else []
    code = main(["--data-dir", str(data_dir), *extra, *args])
    out = capsys.readouterr()
    lines = [json.loads(x) for x in out.out.splitlines() if x.startswith("{") and x.endswith("}")]
    return code, lines, out.out + out.err


def test_disposal_through_the_command_line(make_document, tmp_path, capsys) -> None:
    data = tmp_path / "data"
    store = LocalStore(data / "archive")
    make_document(store, "old1", "000.00.12.H19-150101-0001", retain_until=YESTERDAY, pages=2)
    make_document(store, "new1", "000.00.12.H19-250101-0002", retain_until=LATER)
    code, due, _ = sohoa(capsys, data, "retention", "due", "--json")
    assert code == 0 and [(d["dossier_code"], d["documents"], d["pages"]) for d in due] == [
        ("000.00.12.H19-150101-0001", ["old1"], 2)
    ]

    code, (proposal,), _ = sohoa(capsys, data, "retention", "--actor", "le.thu", "dispose", "propose")
    batch = proposal["batch"]
    code, _, err = sohoa(capsys, data, "retention", "dispose", "execute", batch)
    assert code == 2 and "no council" in err
    steps = [
        [
            "council",
            batch,
            "--decision-no",
            "05/QĐ-HĐ",
            "--date",
            "2026-11-20",
            "--member",
            "Nguyễn Văn An|Chủ tịch|for",
            "--member",
            "Trần Thị Bình|Thư ký|for",
            "--member",
            "Lê Văn Cường|Pháp chế|abstain",
        ],
        [
            "appraisal",
            batch,
            "--authority",
            "Sở Nội vụ tỉnh Đồng Nai",
            "--number",
            "123/SNV-CCVT",
            "--date",
            "2026-11-24",
        ],
        ["decision", batch, "--number", "45/QĐ-TTPVHCC", "--date", "2026-11-26", "--signer", "Giám đốc"],
    ]
    for step in steps:
        assert sohoa(capsys, data, "retention", "dispose", *step)[0] == 0
    code, (result,), _ = sohoa(capsys, data, "retention", "dispose", "execute", batch)
    assert code == 0 and result["destroyed"] == ["old1"]
    assert not store.exists("documents/old1/manifest.json") and store.exists("documents/new1/manifest.json")
    code, _, out = sohoa(capsys, data, "retention", "dispose", "show", batch)
    assert '"record"' in out and "45/QĐ-TTPVHCC" in out
    code, (report,), _ = sohoa(capsys, data, "audit", "verify", "--json")
    assert code == 0 and report["ok"] and report["entries"] >= 6


def _s3_settings(tmp_path, s3_env) -> str:
    from tests.s3_fixtures import new_bucket_name

    path = tmp_path / "settings.toml"
    path.write_text(
        f'[store]\nbackend = "s3"\nendpoint = "{s3_env["SOHOA_S3_ENDPOINT"]}"\n'
        f'bucket = "{new_bucket_name("cli")}"\naccess_key = "{s3_env["SOHOA_S3_ACCESS_KEY"]}"\n'
        f'secret_key = "{s3_env["SOHOA_S3_SECRET_KEY"]}"\nsecure = false\nregion = "us-east-1"\n'
        'retention_mode = "COMPLIANCE"\n',
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.s3
def test_hold_extend_fixity_and_audit_on_s3(make_document, tmp_path, capsys, s3_env) -> None:
    from sohoa.settings import load_settings
    from sohoa.wiring import make_store

    settings = _s3_settings(tmp_path, s3_env)
    data = tmp_path / "data"
    store = make_store(load_settings(data, settings))
    make_document(store, "doc1", "D-1", retain_until=LATER)
    run = lambda *a: sohoa(capsys, data, *a, settings=settings)  # noqa: E731

    assert run("retention", "hold", "doc1", "--reason", "Công văn 12/TA")[0] == 0
    assert store.head("documents/doc1/original").legal_hold
    code, _, err = run(
        "retention", "extend", "doc1", "--until", (LATER - timedelta(days=1)).isoformat(), "--reason", "nhầm"
    )
    assert code == 2 and "cannot be shortened" in err
    assert (
        run(
            "retention",
            "extend",
            "doc1",
            "--until",
            (LATER + timedelta(days=1)).isoformat(),
            "--reason",
            "giá trị lịch sử",
        )[0]
        == 0
    )
    assert store.head("documents/doc1/archival.pdf").retain_until == LATER + timedelta(days=1)
    assert run("retention", "hold", "doc1", "--reason", "xong", "--release")[0] == 0
    code, (summary,), _ = run("fixity", "--json")
    assert code == 0 and summary["clean"] and summary["documents"] == 1
    code, (report,), _ = run("audit", "verify", "--json")
    assert code == 0 and report["entries"] == 4
    code, entries, _ = run("audit", "list", "--subject", "doc1")
    assert [e["action"] for e in entries] == ["hold.set", "retention.extend", "hold.release"]
