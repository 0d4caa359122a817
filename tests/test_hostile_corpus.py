"""Every file of the hostile corpus (generated attacks, and real files from the test suites of
Pillow, pypdf and pikepdf; the odd corpus is tests/test_odd_corpus.py) gets its expected outcome
through the real command line: no crash, no hung worker, nothing half-stored, quarantined files
kept aside."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import json_lines, run_sohoa
from tests.support.hostile import build


def ingest_corpus(root, corpus: dict) -> tuple:
    """One real ``sohoa ingest`` of every file of ``corpus``: (corpus, files, process, data dir)."""
    data = root / "data"
    files = list(corpus)
    proc = run_sohoa(
        "ingest",
        *map(str, files),
        "--dossier",
        "HS-HOSTILE",
        "--applicant-id",
        "075203001234",
        "--json",
        data_dir=data,
        timeout=2400,
    )
    return corpus, files, proc, data


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    # The odd corpus has a file of its own (tests/test_odd_corpus.py): two workers share the two.
    root = tmp_path_factory.mktemp("hostile")
    return ingest_corpus(root, build(root / "corpus"))


def test_each_file_gets_its_expected_status_and_reason(outcome):
    corpus, files, proc, _ = outcome
    lines = json_lines(proc.stdout)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert len(lines) == len(files)
    wrong = []
    for path, line in zip(files, lines, strict=True):
        case = corpus[path]
        if (line["status"], line["reason_code"]) != (case.status, case.reason_code):
            wrong.append((path.name, case.status, case.reason_code, line["status"], line["reason_code"]))
        assert line["message"], f"{path.name}: every outcome has a message"
    assert not wrong, wrong


def test_nothing_half_stored_and_quarantine_kept_aside(outcome):
    corpus, files, proc, data = outcome
    lines = json_lines(proc.stdout)
    accepted = {line["document_id"] for line in lines if line["status"] == "accepted"}
    manifests = {p.parent.name for p in (data / "archive" / "data" / "documents").rglob("manifest.json")}
    assert manifests == accepted, "the archive holds exactly the accepted documents"
    for folder in ("incoming", "work"):
        assert not any((data / "spool" / folder).iterdir()), f"spool/{folder} is empty"
    with sqlite3.connect(data / "state.sqlite3") as db:
        open_jobs = db.execute("SELECT COUNT(*) FROM jobs WHERE state IN ('queued','running')").fetchone()[0]
    assert open_jobs == 0
    quarantined = [line for line in lines if line["status"] == "quarantined"]
    reasons = [json.loads(p.read_text()) for p in (data / "quarantine").rglob("reason.json")]
    assert len(reasons) == len(quarantined) == sum(c.status == "quarantined" for c in corpus.values())
    assert all((p.parent / "file.bin").exists() for p in (data / "quarantine").rglob("reason.json"))


def test_accepted_files_are_searchable_documents(outcome):
    _, _, proc, data = outcome
    hits = json_lines(run_sohoa("search", "bien nhan ho so", "--json", data_dir=data, check=True).stdout)
    assert hits, "the owner-password PDF was decrypted, OCR'd and indexed"
