"""Tagging through real Tesseract on rendered, scan-damaged pages, and the ``sohoa tag`` command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.tagging import extract
from sohoa.cli import main
from tests.support.admin_docs import make_corpus, scan_pages

FIELDS = ("type", "number", "issued_date", "place", "organ", "subject", "signer_name", "signer_position")


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(32, seed=7)


@pytest.mark.slow
@pytest.mark.parametrize("index,level", [(0, "mild"), (14, "mild"), (8, "hard")])
def test_fields_after_tesseract(corpus, index: int, level: str) -> None:
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    doc = corpus[index]
    dpi = 300 if level == "mild" else 200
    pages = [
        pytesseract.image_to_string(img, lang="vie", config=f"--psm 3 --dpi {dpi}")
        for img in scan_pages(doc, level, seed=index)
    ]
    got, want = extract(pages).values(), doc.labels()
    wrong = [name for name in FIELDS if _norm(got[name]) != _norm(want[name])]
    # One OCR slip in a long field is tolerated here; the bench measures accuracy over the whole set.
    assert len(wrong) <= 1, {name: (got[name], want[name]) for name in wrong}


@pytest.mark.slow
def test_sohoa_tag_on_a_scan(tmp_path: Path, corpus, capsys) -> None:
    doc = corpus[2]
    img = scan_pages(doc, "mild", seed=2)[0]
    path = tmp_path / "scan.png"
    img.save(path, dpi=(300, 300))
    assert main(["--data-dir", str(tmp_path / "data"), "tag", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    want = doc.labels()
    assert out["source"] == "ocr"
    assert out["type"]["value"] == want["type"]
    assert out["number"]["value"] == want["number"]
    assert out["issued_date"]["value"] == want["issued_date"]
    assert out["signer"]["name"]["value"] == want["signer_name"]
    assert set(out["signer"]) == {"name", "position", "confidence"}
    assert all(
        0 <= out[k]["confidence"] <= 1 for k in ("type", "number", "issued_date", "place", "organ", "subject")
    )


def test_sohoa_tag_on_text(tmp_path: Path, capsys) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(
        "BỘ NỘI VỤ\nSố: 12/2024/TT-BNV Hà Nội, ngày 05 tháng 01 năm 2024\nTHÔNG TƯ\nQuy định về lưu trữ\n"
        "\fKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn An\n",
        encoding="utf-8",
    )
    assert main(["--data-dir", str(tmp_path / "data"), "tag", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"] == "text" and out["pages"] == 2
    assert out["number"]["value"] == "12/2024/TT-BNV"
    assert out["signer"]["position"]["value"] == "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"
    assert out["signer"]["name"]["page"] == 2
    assert main(["--data-dir", str(tmp_path / "data"), "tag", str(tmp_path / "missing.png")]) == 1


@pytest.mark.slow
def test_sohoa_tag_digit_check_on_scanned_pdf(tmp_path: Path, capsys) -> None:
    # Tesseract vie reads this Noto Serif CCCD 079172055791 as 070172055701; the eng second opinion fixes it.
    doc = make_corpus()[17]
    pdf = tmp_path / "scan.pdf"
    scan_pages(doc, "mild", seed=17)[0].save(pdf, resolution=300)
    assert main(["--data-dir", str(tmp_path / "data"), "tag", str(pdf), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {(i["kind"], i["value"]) for i in out["identifiers"]} == set(doc.identifiers)
