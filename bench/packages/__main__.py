"""Seconds and peak memory of ``sohoa package`` on a local archive: a 50-page and a 500-page dossier.

    .venv/bin/python -m bench.packages [--kib-per-page 150] [--pages-per-doc 10]

Documents are hand-made (random original and archival bytes sized per page, page text, no OCR):
the figures are about packaging, which streams every file from the store into the zip. Peak
memory is the ``sohoa package`` process's maximum resident set (getrusage of the child).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive.model import Applicant, Document, DocumentMetadata, PageText
from sohoa.settings import load_settings
from sohoa.wiring import services

ROOT = Path(__file__).resolve().parents[2]


def _dossier(data: Path, code: str, pages: int, per_doc: int, kib: int) -> None:
    svc = services(load_settings(data))
    svc.catalogue.ensure_dossier(code, procedure_name="Bench")
    for n in range(1, pages // per_doc + 1):
        doc = Document(
            id=f"{code}.{n:03d}",
            dossier_code=code,
            applicant=Applicant(id="001085012345", name="Nguyễn Văn An"),
            metadata=DocumentMetadata(type_name="Quyết định", issued_date="2025-03-14"),
            received_on="2025-03-15",
            digitised_at="2025-03-15T02:00:00+00:00",
            pages=[PageText(p, f"Trang {p} của tài liệu {n}", 90.0) for p in range(1, per_doc + 1)],
        )
        original, archival = data / "o.bin", data / "a.pdf"
        original.write_bytes(os.urandom(kib * 1024 * per_doc))
        archival.write_bytes(b"%PDF-1.7\n" + os.urandom(kib * 1024 * per_doc))
        svc.repository.save(doc, original, "image/jpeg", archival)
        svc.catalogue.upsert_document(doc)


def _package(data: Path, code: str, out: Path) -> tuple[float, float]:
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "--data-dir", str(data), "package", code, "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the largest so far
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"sohoa package failed: {proc.returncode}")
    return time.monotonic() - start, usage.ru_maxrss / 1024


def main() -> None:
    """Print one line per dossier size: pages, MB packaged, seconds, peak MiB."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--kib-per-page", type=int, default=150)
    ap.add_argument("--pages-per-doc", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for pages in (50, 500):
            data = Path(tmp) / f"d{pages}"
            data.mkdir()
            _dossier(data, f"BENCH-{pages}", pages, args.pages_per_doc, args.kib_per_page)
            out = Path(tmp) / f"{pages}.zip"
            seconds, peak = _package(data, f"BENCH-{pages}", out)
            size = out.stat().st_size / 1e6
            print(f"{pages} pages: {size:.0f} MB package in {seconds:.1f} s, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
