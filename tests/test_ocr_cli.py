"""``sohoa ocr INPUT [--text] [--json] [--pdfa OUT.pdf]`` through the real command line."""

from __future__ import annotations

import json

import pikepdf

from tests.conftest import run_sohoa


def test_ocr_text_json_and_pdfa(scans, data_dir, tmp_path):
    out = tmp_path / "ho-so.pdf"
    proc = run_sohoa(
        "ocr", str(scans["two_page_pdf"]), "--json", "--pdfa", str(out), data_dir=data_dir, check=True
    )
    doc = json.loads(proc.stdout)
    assert doc["status"] == "ok" and [p["number"] for p in doc["pages"]] == [1, 2]
    assert "1748/QĐ-UBND" in doc["pages"][0]["text"] and "Trần Văn Đức" in doc["pages"][1]["text"]
    first = doc["pages"][0]
    assert first["source"] == "ocr" and first["confidence"] > 80 and first["needs_rescan"] is False
    assert {"dpi", "skew", "blank", "doubtful_share"} <= set(first["quality"])
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B" and len(pdf.pages) == 2

    proc = run_sohoa("ocr", str(scans["land_jpg"]), "--text", data_dir=data_dir, check=True)
    assert "Quyền sử dụng đất" in proc.stdout


def test_ocr_refusal_exit_code_and_reason(data_dir, tmp_path):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    proc = run_sohoa("ocr", str(bad), "--json", data_dir=data_dir)
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["status"] == "rejected" and doc["reason_code"] == "empty" and doc["message"]
    assert "empty" in proc.stderr
