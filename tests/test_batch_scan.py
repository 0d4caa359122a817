"""Batch scanning end to end: sohoa's receipt and cover sheet printed, scanned (grey, skewed, noisy,
150 and 200 dpi), stacked with text pages of two dossiers, a blank back and a stray leading page,
then `sohoa ingest --batch`: every part in its dossier, in order, the stray page held, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
import segno

from ingest.batch.separator import Separator, parse, read_separator
from ingest.dossiers.opening import open_dossier
from tests.conftest import json_lines, run_sohoa
from tests.support.stack import blank_page, save_stack, scan_pdf_page, text_page

PROCEDURE = "2.001610.000.00.00.H19"
A, B = "000.00.12.H19-251201-0101", "000.00.12.H19-251201-0102"
COMPONENT = "Giấy chứng nhận đăng ký hộ kinh doanh; bản chính"
HELD = ["TRANG LẠC", "Biên nhận tạm không rõ hồ sơ nào"]
A1 = ["ĐƠN ĐỀ NGHỊ", "Kính gửi: Phòng Tài chính - Kế hoạch", "Tôi đề nghị đăng ký hộ kinh doanh"]
A2 = ["BẢN KÊ KHAI", "Vốn kinh doanh: một trăm triệu đồng", "Ngành nghề: bán lẻ thực phẩm"]
B1 = ["GIẤY CHỨNG NHẬN", "Đăng ký hộ kinh doanh số 47A8012345", "Cấp lần đầu tại Đồng Nai"]
B2 = ["PHỤ LỤC", "Danh sách thành viên hộ kinh doanh", "Nguyễn Thị Hương, Trần Văn Bình"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> dict:
    """Two dossiers, their receipt and cover sheet, the scanned stack, and one batch ingest."""
    from sohoa.settings import load_settings
    from sohoa.wiring import services

    root = tmp_path_factory.mktemp("batch")
    data = root / "data"
    desk = services(load_settings(data)).dossiers
    procedure = desk.procedures.procedures[PROCEDURE]
    open_dossier(desk, "test", procedure, "075203001234", "Nguyễn Văn An", code=A)
    open_dossier(desk, "test", procedure, "079185004321", "Lê Thị Bích", code=B)
    receipt = run_sohoa("receipt", A, "--out", str(root / "receipt.pdf"), data_dir=data, check=True)
    cover = run_sohoa(
        "receipt", B, "--cover", "--role", "result", "--component", COMPONENT,
        "--out", str(root / "cover.pdf"), data_dir=data, check=True,
    )  # fmt: skip
    first = [
        text_page(HELD, 200, 1),
        scan_pdf_page(root / "receipt.pdf", 200, seed=2),
        text_page(A1, 200, 3),
        blank_page(200, 4),
        text_page(A2, 200, 5),
    ]
    second = [scan_pdf_page(root / "cover.pdf", 150, seed=6), text_page(B1, 150, 7), text_page(B2, 150, 8)]
    save_stack(first, root / "stack-1.pdf", 200)
    save_stack(second, root / "stack-2.pdf", 150)
    proc = run_sohoa(
        "ingest", "--batch", str(root / "stack-1.pdf"), str(root / "stack-2.pdf"), "--json", data_dir=data
    )
    return {
        "data": data,
        "proc": proc,
        "lines": json_lines(proc.stdout),
        "receipt": json.loads(receipt.stdout),
        "cover": json.loads(cover.stdout),
    }


def test_every_part_lands_in_its_dossier_in_order(batch):
    lines = batch["lines"]
    assert batch["proc"].returncode == 2, batch["proc"].stderr  # a part is held: the officer must act
    assert [(x["status"], x["dossier_code"], x["pages"]) for x in lines] == [
        ("held", "", [1]),
        ("accepted", A, [3, 5]),
        ("accepted", B, [7, 8]),
    ]
    assert lines[1]["separator_page"] == 2 and lines[1]["role"] == "component"
    assert lines[1]["blank_pages"] == [4], "the blank back is dropped and reported"
    assert lines[2]["separator_page"] == 6
    assert (lines[2]["role"], lines[2]["component"]) == ("result", COMPONENT)
    assert lines[1]["document_id"].startswith(A) and lines[2]["document_id"].startswith(B)
    assert (lines[1]["file"], lines[2]["file"]) == ("stack-1.pdf: trang 3-5", "stack-2.pdf: trang 7-8")


@pytest.mark.parametrize(
    ("dossier", "index", "words"),
    [(A, 1, ["đề nghị", "kinh doanh"]), (A, 2, ["vốn kinh doanh", "thực phẩm"]), (B, 1, ["47A8012345"])],
)
def test_pages_keep_their_order_in_the_document(batch, dossier, index, words):
    doc_id = next(x["document_id"] for x in batch["lines"] if x["dossier_code"] == dossier)
    for word in words:
        hits = json_lines(run_sohoa("search", word, "--json", data_dir=batch["data"], check=True).stdout)
        assert (doc_id, index) in {(h["document_id"], h["page"]) for h in hits}, word


def test_stray_leading_page_is_held_not_stored(batch):
    held = batch["lines"][0]
    assert held["reason_code"] == "no_separator" and held["message"]
    path = Path(held["file"])
    assert path.is_file() and path.is_relative_to(batch["data"] / "held")
    assert len(pikepdf.open(path).pages) == 1
    records = [json.loads(x) for x in (batch["data"] / "held" / "held.jsonl").read_text().splitlines()]
    assert [(r["status"], r["reason_code"], r["pages"]) for r in records] == [("held", "no_separator", [1])]


def test_nothing_is_lost(batch):
    lines = batch["lines"]
    separators = [x["separator_page"] for x in lines if x["separator_page"]]
    counted = sorted(p for x in lines for p in x["pages"] + x["blank_pages"]) + separators
    assert sorted(counted) == list(range(1, 9))


def test_receipt_and_cover_sheet_commands(batch, tmp_path):
    assert batch["receipt"]["kind"] == "receipt" and batch["cover"]["kind"] == "cover"
    proc = run_sohoa("receipt", "KHONG-CO-0001", "--out", str(tmp_path / "x.pdf"), data_dir=batch["data"])
    assert proc.returncode == 2 and "KHONG-CO-0001" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_ingest_batch_refuses_a_dossier_option(batch, tmp_path):
    proc = run_sohoa("ingest", "--batch", "--dossier", A, str(tmp_path / "x.pdf"), data_dir=batch["data"])
    assert proc.returncode == 2 and "--dossier" in proc.stderr


def test_payload_parsing():
    assert parse(f"SOHOA:{A}") == Separator(A)
    assert parse(f"SOHOA:{A};role=result;component=a;b=c") == Separator(A, "result", "a;b=c")
    assert parse("https://dichvucong.gov.vn/x") is None
    assert parse("SOHOA:") is None


def test_foreign_or_unknown_qr_is_not_a_separator(tmp_path):
    page = text_page(["Trang có mã QR của nơi khác"], 200, 9).convert("RGB")
    for i, text in enumerate(["https://dichvucong.gov.vn/p/123", f"SOHOA:{A}"]):
        segno.make(text, error="m").save(tmp_path / f"q{i}.png", scale=8)
    from PIL import Image

    page.paste(Image.open(tmp_path / "q0.png").convert("RGB"), (100, 900))
    assert read_separator(page, lambda code: True) is None, "not sohoa's"
    page.paste(Image.open(tmp_path / "q1.png").convert("RGB"), (900, 900))
    assert read_separator(page, lambda code: code == A) == Separator(A)
    assert read_separator(page, lambda code: False) is None, "unknown dossier"


def test_unreadable_file_in_the_stack_refuses_the_stack_and_stores_nothing(batch, tmp_path):
    good = text_page(B1, 150, 7)
    good.save(tmp_path / "ok.png")
    junk = tmp_path / "giay.pdf"
    junk.write_bytes(b"%PDF-1.4 not really")
    proc = run_sohoa("ingest", "--batch", str(tmp_path / "ok.png"), str(junk), data_dir=batch["data"])
    lines = json_lines(proc.stdout)
    assert proc.returncode == 2
    assert [(x["file"], x["status"], x["reason_code"]) for x in lines] == [
        (str(junk), "rejected", "unreadable")
    ]
    assert len(list((batch["data"] / "held").glob("*/*.pdf"))) == 1, "only the first stack's held part"


@pytest.mark.parametrize("dpi", [150, 200])
def test_qr_read_on_a_faded_skewed_photocopy(tmp_path, dpi):
    """Receipt and cover sheet copied on a tired photocopier: grey paper, faded toner, 3 degrees."""
    from ingest.notices.cover import render_cover_sheet
    from ingest.notices.render import render_notice

    render_notice(
        "receipt",
        {"code": A, "procedure_name": "Đăng ký", "applicant": {"name": "An"}, "documents": []},
        tmp_path / "r.pdf",
    )
    render_cover_sheet({"code": B, "applicant_name": "Bích"}, "result", COMPONENT, tmp_path / "c.pdf")
    expected = [Separator(A), Separator(B, "result", COMPONENT)]
    for path, want in zip([tmp_path / "r.pdf", tmp_path / "c.pdf"], expected, strict=True):
        page = scan_pdf_page(path, dpi, seed=dpi, skew_deg=3.0, noise=14.0)
        faded = page.point(lambda v: 90 + v * 140 // 255)  # black prints as dark grey, paper as grey
        assert read_separator(faded, lambda code: code in (A, B)) == want, (path.name, dpi)


def test_the_batch_id_tells_the_centers_time_of_day(batch):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    (record,) = list((batch["data"] / "batches").glob("*.json"))
    taken = datetime.strptime(record.stem.split("-")[0], "%Y%m%dT%H%M%S")
    local = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    assert timedelta(0) <= local - taken < timedelta(hours=1), (record.stem, local)  # not UTC (7 h behind)
