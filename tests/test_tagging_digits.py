"""The second opinion on digit runs: Tesseract ``eng`` corrects ``vie``'s digit slips, nothing else."""

from __future__ import annotations

from ingest.tagging.digits import digit_runs, reconcile


def test_reconcile_fixes_close_runs_only() -> None:
    vie = "Ông Lê Văn Nam, CCCD: 070172055701. Điện thoại: 0912 345 67l; mã 1.011442.000.00.00.H38"
    eng = "Ong Le Van Nam, CCCD: 079172055791. Dien thoai: 0912 345 678; ma 1.011442.000.00.00.H38"
    fixed = reconcile(vie, eng)
    assert "079172055791" in fixed
    assert "0912 345 678" in fixed  # grouping kept
    assert fixed.startswith("Ông Lê Văn Nam")  # the Vietnamese text is untouched


def test_reconcile_leaves_far_or_ambiguous_runs() -> None:
    assert reconcile("MST 0100233488", "MST 9999999999") == "MST 0100233488"  # too different
    assert reconcile("MST 0100233488", "0100233489 0100233487") == "MST 0100233488"  # two equally close
    assert reconcile("số 12/QĐ-UBND", "so 12/QD-UBND") == "số 12/QĐ-UBND"  # not an identifier run


def test_digit_runs() -> None:
    assert [d for _, _, d in digit_runs("CCCD 07508900l234, ĐT 0912.345.678, năm 2023")] == [
        "075089001234",
        "0912345678",
    ]
