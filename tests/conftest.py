"""Shared fixtures: a fresh data directory with wired services, generated Vietnamese scans,
and a runner for the real ``sohoa`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sohoa.settings import load_settings
from sohoa.wiring import Services, services
from tests.support.render import save_pdf, save_scan

ROOT = Path(__file__).resolve().parent.parent
SOHOA = [sys.executable, "-m", "sohoa.cli"]

# Texts of the generated scans; tests search for phrases of them.
PAGE_DECISION = [
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
    "Số: 1748/QĐ-UBND",
    "QUYẾT ĐỊNH",
    "Về việc tiếp nhận hồ sơ đăng ký kinh doanh",
    "của công dân Nguyễn Văn Bình tại thành phố Biên Hòa.",
]
PAGE_LAND = [
    "GIẤY CHỨNG NHẬN",
    "Quyền sử dụng đất, quyền sở hữu nhà ở",
    "cấp cho hộ gia đình ông Trần Văn Đức",
    "thửa đất số 215, tờ bản đồ số 12.",
]


@pytest.fixture(autouse=True)
def _one_tesseract_thread(monkeypatch):
    # Tesseract's own threads oversubscribe 2 cores (DESIGN.md): one thread per process.
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def svc(data_dir: Path) -> Services:
    return services(load_settings(data_dir))


@pytest.fixture(scope="session")
def scans(tmp_path_factory) -> dict[str, Path]:
    """Scans made once per session: a 300 dpi PNG, a 200 dpi JPEG, a 2-page image PDF."""
    d = tmp_path_factory.mktemp("scans")
    return {
        "decision_png": save_scan(PAGE_DECISION, d / "quyet-dinh.png", dpi=300, seed=1),
        "land_jpg": save_scan(PAGE_LAND, d / "so-do.jpg", dpi=200, seed=2),
        "two_page_pdf": save_pdf([PAGE_DECISION, PAGE_LAND], d / "ho-so.pdf", dpi=200, seed=3),
    }


def run_sohoa(
    *args: str, data_dir: Path, check: bool = False, timeout: float = 600, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess."""
    full_env = {**os.environ, "OMP_THREAD_LIMIT": "1", **(env or {})}
    proc = subprocess.run(
        [*SOHOA, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=ROOT,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"sohoa {args} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]
