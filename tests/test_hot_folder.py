"""The scanners' shared folder: files are taken only once they stop changing."""

from __future__ import annotations

import shutil

from ingest.hot_folder import HotFolder
from tests.conftest import json_lines, run_sohoa


def test_growing_file_is_not_taken_until_it_settles(svc, tmp_path):
    root = tmp_path / "hot"
    (root / "HS-1").mkdir(parents=True)
    folder = HotFolder(root, svc.ingest, settle=5.0)
    part = root / "HS-1" / "scan.pdf"
    part.write_bytes(b"%PDF-1.7 first half")
    assert folder.stable_files(now=100.0) == []
    part.write_bytes(b"%PDF-1.7 first half, then the second half")
    assert folder.stable_files(now=104.0) == [], "it changed: the clock starts again"
    assert folder.stable_files(now=108.0) == [], "unchanged for 4 s only"
    assert folder.stable_files(now=109.5) == [part]


def test_watch_ingests_known_dossier_and_sets_aside_the_rest(svc, data_dir, tmp_path, scans):
    svc.catalogue.ensure_dossier("HS-HOT", applicant_id="075203001234", department="STP")
    root = tmp_path / "hot"
    (root / "HS-HOT").mkdir(parents=True)
    (root / "HS-UNKNOWN").mkdir()
    shutil.copy(scans["land_jpg"], root / "HS-HOT" / "trang1.jpg")
    shutil.copy(scans["land_jpg"], root / "HS-UNKNOWN" / "x.jpg")
    (root / "loose.pdf").write_bytes(b"%PDF-1.4\n")
    proc = run_sohoa(
        "watch",
        str(root),
        "--once",
        "--settle",
        "0.2",
        "--poll",
        "0.3",
        data_dir=data_dir,
        check=True,
        timeout=300,
    )
    refusals = {r["reason_code"] for r in json_lines(proc.stdout)}
    assert refusals == {"unknown_dossier", "no_dossier_folder"}
    assert (root / ".done" / "HS-HOT" / "trang1.jpg").exists()
    reason = (root / ".rejected" / "HS-UNKNOWN" / "x.jpg.reason.txt").read_text(encoding="utf-8")
    assert "HS-UNKNOWN" in reason
    hits = json_lines(
        run_sohoa("search", "quyen su dung dat", "--json", data_dir=data_dir, check=True).stdout
    )
    assert [h["document_id"] for h in hits] == ["HS-HOT.001"]
