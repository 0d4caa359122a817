"""`sohoa watch DIR --batch`: the folder the scanner writes whole stacks into. Each stable file is
one stack; its parts land in their dossiers, the stray leading page is held, an unreadable file
is set aside with its reason and stores nothing."""

from __future__ import annotations

import json

from ingest.dossiers.opening import open_dossier
from ingest.notices.cover import render_cover_sheet
from tests.conftest import json_lines, run_sohoa
from tests.support.stack import save_stack, scan_pdf_page, text_page

PROCEDURE = "2.001610.000.00.00.H19"
CODE = "000.00.12.H19-251201-0201"
COMPONENT = "Tờ khai đăng ký hộ kinh doanh"


def test_watch_batch_sorts_each_stable_stack(svc, data_dir, tmp_path):
    desk = svc.dossiers
    open_dossier(
        desk, "test", desk.procedures.procedures[PROCEDURE], "075203001234", "Nguyễn Văn An", code=CODE
    )
    render_cover_sheet({"code": CODE, "applicant_name": "An"}, "component", COMPONENT, tmp_path / "bia.pdf")
    root = tmp_path / "may-quet"
    root.mkdir()
    stack = [
        text_page(["TRANG LẠC", "Không có tờ bìa phía trước"], 150, 1),
        scan_pdf_page(tmp_path / "bia.pdf", 150, seed=2),
        text_page(["TỜ KHAI", "Đăng ký hộ kinh doanh số 47A8099999"], 150, 3),
    ]
    save_stack(stack, root / "chong-0001.pdf", 150)
    (root / "hong.pdf").write_bytes(b"%PDF-1.4 cut short by the scanner")
    proc = run_sohoa(
        "watch", str(root), "--batch", "--once", "--settle", "0.2", "--poll", "0.3",
        data_dir=data_dir, check=True, timeout=300,
    )  # fmt: skip
    lines = {
        (x["file"].rsplit("/", 1)[-1], x["status"], x["reason_code"]): x for x in json_lines(proc.stdout)
    }
    assert set(lines) == {
        ("hong.pdf", "rejected", "unreadable"),
        ("trang-1-1.pdf", "held", "no_separator"),
        ("chong-0001.pdf: trang 3-3", "accepted", ""),
    }, proc.stdout
    part = lines[("chong-0001.pdf: trang 3-3", "accepted", "")]
    assert (part["dossier_code"], part["role"], part["component"]) == (CODE, "component", COMPONENT)
    assert (part["separator_page"], part["pages"]) == (2, [3])
    assert (root / ".done" / "_" / "chong-0001.pdf").is_file(), "the taken stack is moved aside"
    reason = (root / ".rejected" / "_" / "hong.pdf.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("unreadable:")
    held = [json.loads(x) for x in (data_dir / "held" / "held.jsonl").read_text().splitlines()]
    assert [(h["status"], h["pages"]) for h in held] == [("held", [1])]
    hits = json_lines(run_sohoa("search", "47A8099999", "--json", data_dir=data_dir, check=True).stdout)
    assert [h["document_id"] for h in hits] == [part["document_id"]]
    assert part["document_id"].startswith(CODE)
