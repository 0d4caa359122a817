"""``sohoa reindex`` killed (SIGKILL) at random points leaves the old catalogue and index whole:
search and the catalogue listings keep answering, and the next reindex completes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from archive.model import Applicant, Document, PageText
from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.conftest import ROOT, json_lines, run_sohoa

N = 1200
DOSSIER = "000.00.12.H19-261201-{:04d}"


def _archive(svc, tmp_path: Path) -> None:
    source = tmp_path / "src.pdf"
    for n in range(N):
        source.write_bytes(f"original {n}".encode())
        doc = Document(
            id=f"{DOSSIER.format(n)}.001",
            dossier_code=DOSSIER.format(n),
            role="result",
            department="KHDT",
            applicant=Applicant(id=f"0752030{n:05d}"),
            pages=[PageText(1, f"Giấy chứng nhận đăng ký hộ kinh doanh số {n} tại Biên Hòa", 90.0)],
        )
        svc.repository.save(doc, source, "application/pdf", None)


def _whole(data: Path) -> None:
    """What the web app reads: the catalogue has every row, search finds every document."""
    svc = services(load_settings(data))
    assert svc.catalogue.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == N
    assert len(svc.catalogue.documents_of_dossier(DOSSIER.format(7))) == 1
    hits = json_lines(run_sohoa("search", "ho kinh doanh", "--json", "--limit", "5", data_dir=data).stdout)
    assert len(hits) == 5
    one = json_lines(run_sohoa("search", '"số 123 tại"', "--json", data_dir=data).stdout)
    assert [h["document_id"] for h in one] == [f"{DOSSIER.format(123)}.001"]


def _reindex(data: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "--data-dir", str(data), "reindex"],
        cwd=ROOT, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _building(data: Path, proc: subprocess.Popen) -> float:
    """Wait until the reindex has started its new index generation (its work has begun)."""
    before = {p.name for p in (data / "index").glob("gen-*")}
    while not ({p.name for p in (data / "index").glob("gen-*")} - before) and proc.poll() is None:
        time.sleep(0.005)
    return time.monotonic()


def test_reindex_killed_at_random_points_leaves_search_and_catalogue_working(tmp_path):
    data = tmp_path / "data"
    svc = services(load_settings(data))
    _archive(svc, tmp_path)
    run_sohoa("reindex", data_dir=data, check=True)
    proc = _reindex(data)
    began = _building(data, proc)
    assert proc.wait() == 0
    work = time.monotonic() - began  # from the new generation to the swap and the end
    _whole(data)

    rng = random.Random(22)
    delays = sorted(rng.uniform(0.0, work * 0.95) for _ in range(5))
    print(f"reindex work {work:.2f} s; kills {[round(d, 2) for d in delays]} s into it")
    for delay in delays:
        proc = _reindex(data)
        _building(data, proc)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _whole(data)

    out = run_sohoa("reindex", data_dir=data, check=True).stdout
    assert f"reindexed {N} documents" in out
    _whole(data)
    gens = [p.name for p in (data / "index").glob("gen-*")]
    assert len(gens) == 1, f"half-built generations are cleaned up: {gens}"
