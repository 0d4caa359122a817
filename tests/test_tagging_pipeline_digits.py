"""The ingest pipeline's tag step re-reads identifier digits with Tesseract ``eng``, as ``sohoa tag`` does."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from archive.model import DocumentMetadata
from ingest.steps import TagStep, Work
from ingest.tagging.confirmation import KEY
from tests.support.render import save_scan

PRINTED = "079172055791"


def _work(tmp_path: Path, scan: Path, vie_text: str) -> Work:
    limits = SimpleNamespace(memory_mb=1024, cpu_seconds=120, wall_seconds=180)
    ctx = SimpleNamespace(spool_dir=tmp_path / "spool", limits=limits)
    job = SimpleNamespace(id=1, doc_id="TEST-1", spool_path=str(scan))
    work = Work(job, ctx)  # type: ignore[arg-type]
    (work.folder / "ocr.json").write_text(
        json.dumps([{"number": 1, "text": vie_text, "source": "ocr"}], ensure_ascii=False), encoding="utf-8"
    )
    return work


def test_tag_step_corrects_a_vie_digit_slip_from_the_scan(tmp_path: Path) -> None:
    lines = ["ĐƠN ĐỀ NGHỊ", f"Họ và tên: Lê Văn Nam, số CCCD: {PRINTED}", "Điện thoại: 0912 345 678"]
    scan = save_scan(lines, tmp_path / "scan.png", dpi=300, skew_deg=0.0, noise=2.0, blur=0.3)
    # The vie reading as Tesseract's vie model gets such digits wrong (9 read as 0) in some fonts.
    vie = "\n".join(lines).replace(PRINTED, "070172055701")
    work = _work(tmp_path, scan, vie)
    TagStep().run(work)
    meta = DocumentMetadata(**work.read_json("tags.json"))
    found = {i["value"] for i in meta.extra["identifiers"]}
    assert PRINTED in found and "070172055701" not in found


def test_tag_step_leaves_text_layer_pages_alone(tmp_path: Path) -> None:
    scan = save_scan(["Số CCCD: 079172055791"], tmp_path / "scan.png", dpi=300)
    work = _work(tmp_path, scan, "Số CCCD: 070172055701")
    pages = json.loads((work.folder / "ocr.json").read_text(encoding="utf-8"))
    pages[0]["source"] = "textlayer"  # a trusted text layer is what the file says: nothing to re-read
    (work.folder / "ocr.json").write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    TagStep().run(work)
    meta = DocumentMetadata(**work.read_json("tags.json"))
    assert {i["value"] for i in meta.extra["identifiers"]} == {"070172055701"}


def test_tag_step_doubts_the_signer_title_of_a_low_resolution_copy(tmp_path: Path) -> None:
    """ocr.json's native dpi reaches the tagger: on a 150 dpi copy the seal may have hidden the
    deputy's line, so the title is not proposed as probably right; at 300 dpi it is."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 5/QĐ-UBND\nĐắk Lắk, ngày 3 tháng 11 năm 2025\nQUYẾT ĐỊNH\n"
        "Về việc tiếp dân\n\nNơi nhận:\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An\n"
    )
    scan = save_scan(["x"], tmp_path / "scan.png", dpi=300)
    confidences = {}
    for dpi in (150, 300):
        work = _work(tmp_path / str(dpi), scan, text)
        pages = json.loads((work.folder / "ocr.json").read_text(encoding="utf-8"))
        pages[0]["quality"] = {"dpi": dpi}
        (work.folder / "ocr.json").write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        TagStep().run(work)
        proposed = DocumentMetadata(**work.read_json("tags.json")).extra[KEY]["proposed"]
        assert proposed["signer"]["position"]["value"] == "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
        confidences[dpi] = proposed["signer"]["position"]["confidence"]
    assert confidences[150] < 0.8 <= confidences[300]
