"""The command line loads the libraries of the backends and features a command uses, not all of
them: every ``sohoa`` call (operators' scripts, cron, the tests) paid about a second of imports of
PostgreSQL, S3, Flask and PDF-drawing libraries it did not need (bench/README.md, CLI start-up)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("psycopg", "minio", "flask", "reportlab", "zxcvbn", "pypdfium2")
PROBE = """
import json, sys
from sohoa.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded(tmp_path, *argv: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), "--data-dir", str(tmp_path / "data"), *argv],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_search_on_the_embedded_defaults_loads_no_server_or_drawing_library(tmp_path):
    assert _loaded(tmp_path, "search", "giấy khai sinh") == []


def test_a_command_that_needs_postgresql_still_loads_it(tmp_path):
    # migrate-state imports psycopg itself: the lazy import is where the work is.
    assert "psycopg" in _loaded(
        tmp_path, "migrate-state", "--to", "postgresql", "--url", "postgresql://x@127.0.0.1:1/none"
    )
