"""End to end through the real command line: scans in, OCR, archive, index; search out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.vietnamese import fold
from tests.conftest import json_lines, run_sohoa

DOSSIER = "000.00.12.H19-251127-0001"
APPLICANT = "075203001234"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, scans) -> tuple[Path, list[dict], int]:
    """One dossier ingested once for the module: a PNG, a 2-page PDF, a duplicate and a non-scan."""
    data = tmp_path_factory.mktemp("e2e") / "data"
    junk = data.parent / "notes.pdf"
    junk.write_text("not really a pdf, just text")
    proc = run_sohoa(
        "ingest",
        str(scans["decision_png"]),
        str(scans["two_page_pdf"]),
        str(scans["decision_png"]),
        str(junk),
        "--dossier",
        DOSSIER,
        "--applicant-id",
        APPLICANT,
        "--department",
        "KHDT",
        "--procedure",
        "2.001610.000.00.00.H19",
        "--json",
        data_dir=data,
    )
    return data, json_lines(proc.stdout), proc.returncode


def test_each_file_gets_one_json_line_and_exit_2_when_any_refused(ingested):
    _, lines, rc = ingested
    assert rc == 2
    assert [line["status"] for line in lines] == ["accepted", "accepted", "rejected", "rejected"]
    assert lines[0]["document_id"] == f"{DOSSIER}.001"
    assert lines[1]["document_id"] == f"{DOSSIER}.002"
    assert lines[2]["reason_code"] == "duplicate"
    assert lines[2]["document_id"] == lines[0]["document_id"], "the officer is told where the copy is"
    assert lines[3]["reason_code"] == "unsupported_type"
    assert all(line["message"] for line in lines)


@pytest.mark.parametrize("query", ["hồ sơ đăng ký", "ho so dang ky", '"ho so dang ky kinh doanh"'])
def test_phrase_found_with_and_without_diacritics(ingested, query):
    data, _, _ = ingested
    hits = json_lines(run_sohoa("search", query, "--json", data_dir=data, check=True).stdout)
    found = {(h["document_id"], h["page"]) for h in hits}
    assert (f"{DOSSIER}.001", 1) in found
    assert (f"{DOSSIER}.002", 1) in found
    assert (f"{DOSSIER}.002", 2) not in found, "page 2 holds the land certificate, not this phrase"
    assert all(h["dossier_code"] == DOSSIER for h in hits)
    wanted = {"ho", "so", "dang", "ky", "kinh", "doanh"}
    for hit in hits:
        marked = {fold(hit["snippet"][s:e]).lower() for s, e in hit["highlights"]}
        assert marked and marked <= wanted


def test_second_page_of_pdf_is_searchable_with_its_page_number(ingested):
    data, _, _ = ingested
    hits = json_lines(run_sohoa("search", "Tran Van Duc", "--json", data_dir=data, check=True).stdout)
    assert [(h["document_id"], h["page"]) for h in hits] == [(f"{DOSSIER}.002", 2)]


def test_filters_narrow_results(ingested):
    data, _, _ = ingested
    none = run_sohoa("search", "ho so", "--json", "--filter", "department=SXD", data_dir=data, check=True)
    assert json_lines(none.stdout) == []
    some = run_sohoa("search", "ho so", "--json", "--filter", "department=KHDT", data_dir=data, check=True)
    assert len(json_lines(some.stdout)) >= 2
    bad = run_sohoa("search", "ho so", "--filter", "colour=red", data_dir=data)
    assert bad.returncode != 0 and "colour=red" in bad.stderr


def test_reindex_rebuilds_from_the_archive_alone(ingested, tmp_path):
    data, _, _ = ingested
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    shutil.rmtree(copy / "index")
    (copy / "state.sqlite3").unlink()
    for extra in copy.glob("state.sqlite3-*"):
        extra.unlink()
    assert json_lines(run_sohoa("search", "ho so", "--json", data_dir=copy, check=True).stdout) == []
    out = run_sohoa("reindex", data_dir=copy, check=True).stdout
    assert "reindexed 2 documents" in out
    before = json_lines(run_sohoa("search", "ho so dang ky", "--json", data_dir=data, check=True).stdout)
    after = json_lines(run_sohoa("search", "ho so dang ky", "--json", data_dir=copy, check=True).stdout)
    # Tied scores may come back in another order; the hits themselves must be the same.
    assert {(h["document_id"], h["page"]) for h in after} == {(h["document_id"], h["page"]) for h in before}
    assert len(after) == len(before) == 2


def test_bad_applicant_id_refuses_every_file_and_stores_nothing(tmp_path, scans):
    data = tmp_path / "data"
    proc = run_sohoa(
        "ingest", str(scans["land_jpg"]), "--dossier", "HS-1", "--applicant-id", "12345", data_dir=data
    )
    assert proc.returncode == 2
    (line,) = json_lines(proc.stdout)
    assert line["status"] == "rejected" and line["reason_code"] == "invalid_applicant_id"
    assert not list((data / "archive" / "data").rglob("*")) if (data / "archive").exists() else True


def test_dossier_code_from_another_system_is_kept(tmp_path, scans):
    data = tmp_path / "data"
    proc = run_sohoa(
        "ingest",
        str(scans["land_jpg"]),
        "--dossier",
        "H19.22-DVC.2025.00017",
        "--applicant-id",
        "0100109106",
        "--json",
        data_dir=data,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (line,) = json_lines(proc.stdout)
    assert line["document_id"] == "H19.22-DVC.2025.00017.001"
    bad = run_sohoa(
        "ingest", str(scans["land_jpg"]), "--dossier", "../etc", "--applicant-id", "0100109106", data_dir=data
    )
    assert bad.returncode == 2 and json_lines(bad.stdout)[0]["reason_code"] == "invalid_dossier_code"


def test_each_ingest_is_in_the_audit_log_and_the_chain_verifies(ingested):
    data, lines, _ = ingested
    entries = json_lines(run_sohoa("audit", "list", "--action", "ingest", data_dir=data, check=True).stdout)
    accepted = {line["document_id"] for line in lines if line["status"] == "accepted"}
    assert {e["subject"] for e in entries} == accepted
    assert all(e["actor"] == "cli" for e in entries)
    assert run_sohoa("audit", "verify", data_dir=data).returncode == 0


def test_unknown_department_is_refused_and_known_procedure_fills_it(tmp_path, scans):
    data = tmp_path / "data"
    bad = run_sohoa(
        "ingest",
        str(scans["land_jpg"]),
        "--dossier",
        "HS-DEP",
        "--applicant-id",
        "075203001234",
        "--department",
        "SKHDT",
        data_dir=data,
    )
    assert bad.returncode == 2 and json_lines(bad.stdout)[0]["reason_code"] == "unknown_department"
    good = run_sohoa(
        "ingest",
        str(scans["land_jpg"]),
        "--dossier",
        "HS-DEP",
        "--applicant-id",
        "075203001234",
        "--procedure",
        "1.009972.000.00.00.H19",
        "--json",
        data_dir=data,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    hits = json_lines(
        run_sohoa(
            "search", "quyen su dung", "--json", "--filter", "department=XD", data_dir=data, check=True
        ).stdout
    )
    assert [h["document_id"] for h in hits] == ["HS-DEP.001"]


def test_the_cli_opens_its_dossiers_as_the_counter_does(ingested, tmp_path):
    """``sohoa ingest`` opens a dossier through the same use case as the web: procedure name,
    reception time and appointment date recorded, also for ``--dossier new``."""
    from archive.catalogue import Catalogue

    data, _, _ = ingested
    row = Catalogue(data / "state.sqlite3").dossier(DOSSIER)
    assert row["procedure_name"] == "Đăng ký thành lập doanh nghiệp tư nhân" and row["department"] == "KHDT"
    assert row["received_at"] and row["due_date"] > row["received_at"][:10] and row["channel"] == "counter"
    junk = tmp_path / "ghi-chu.pdf"
    junk.write_text("not a scan")
    fresh = tmp_path / "data"
    proc = run_sohoa(
        "ingest", str(junk), "--dossier", "new", "--applicant-id", APPLICANT,
        "--procedure", "1.000894.000.00.00.H19", "--json", data_dir=fresh,
    )  # fmt: skip
    assert proc.returncode == 2 and json_lines(proc.stdout)[0]["reason_code"] == "unsupported_type"
    [opened] = Catalogue(fresh / "state.sqlite3").recent_dossiers()
    assert opened["code"].startswith("000.00.12.H19-") and opened["department"] == "TP"
    assert opened["procedure_name"] == "Đăng ký kết hôn" and opened["due_date"]
