"""Dossier codes: format, daily sequence, configurable pattern, and no repeats under racing processes."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.dossier_code import DossierCodeError, DossierCodes, check_pattern, looks_like_dossier_code

AGENCY = "000.00.12.H19"


def test_format_and_daily_sequence(tmp_path: Path) -> None:
    codes = DossierCodes(tmp_path / "state.sqlite3", AGENCY)
    day = datetime(2023, 7, 25, 9, 30)
    assert codes.preview(day) == "000.00.12.H19-230725-0001"
    assert codes.issue(day) == "000.00.12.H19-230725-0001"
    assert codes.issue(day) == "000.00.12.H19-230725-0002"
    # A new day starts again at 0001.
    assert codes.issue(datetime(2023, 7, 26, 8, 0)) == "000.00.12.H19-230726-0001"
    assert codes.issued_on("2023-07-25") == ["000.00.12.H19-230725-0001", "000.00.12.H19-230725-0002"]


def test_day_is_the_centers_day(tmp_path: Path) -> None:
    codes = DossierCodes(tmp_path / "s.db", AGENCY)
    # 18:30 UTC on 24 July is 01:30 on 25 July in Vietnam (UTC+7).
    assert codes.issue(datetime(2023, 7, 24, 18, 30, tzinfo=UTC)).endswith("-230725-0001")


def test_custom_pattern_scopes_sequence(tmp_path: Path) -> None:
    codes = DossierCodes(tmp_path / "s.db", "H19.22", pattern="{agency}/{yyyy}/{seq:06d}")
    assert codes.issue(datetime(2024, 1, 2)) == "H19.22/2024/000001"
    assert codes.issue(datetime(2024, 5, 9)) == "H19.22/2024/000002"  # one sequence per year
    assert codes.issue(datetime(2025, 1, 2)) == "H19.22/2025/000001"


def test_bad_patterns_refused(tmp_path: Path) -> None:
    with pytest.raises(DossierCodeError):
        check_pattern("{agency}-{yymmdd}")
    with pytest.raises(DossierCodeError):
        check_pattern("{agency}-{weekday}-{seq}")
    with pytest.raises(DossierCodeError):
        DossierCodes(tmp_path / "s.db", "")


def test_external_codes() -> None:
    assert looks_like_dossier_code("000.00.12.H19-230725-0001")
    assert looks_like_dossier_code("H19.22-240101-0007")
    assert not looks_like_dossier_code("../etc/passwd")
    assert not looks_like_dossier_code("a b")


def _worker(db: str, n: int, out: mp.Queue) -> None:
    codes = DossierCodes(db, AGENCY)
    when = datetime(2024, 3, 1, 10, 0)
    out.put([codes.issue(when) for _ in range(n)])


def test_concurrent_processes_never_repeat(tmp_path: Path) -> None:
    db = str(tmp_path / "race.sqlite3")
    DossierCodes(db, AGENCY).close()  # create the tables before the race
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(db, 40, out)) for _ in range(6)]
    for p in procs:
        p.start()
    issued = [code for _ in procs for code in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(issued) == 240
    assert len(set(issued)) == 240
    seqs = sorted(int(c.rsplit("-", 1)[1]) for c in issued)
    assert seqs == list(range(1, 241))  # no gaps either
