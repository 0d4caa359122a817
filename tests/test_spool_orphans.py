"""A process killed between copying an upload into the spool and recording its job leaves a
file nobody holds and no job names: the worker's sweep removes it, and only it. An upload still
on its way (its lock held) and a file a job names are never touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ingest.pipeline import accept
from ingest.spool import sweep_orphans

PARAMS = {"role": "component", "applicant_id": "075203001234", "department": "TP"}
HOLD = """
import sys, time
from pathlib import Path
from ingest.spool import spooled_copy
with spooled_copy(Path(sys.argv[1]), Path(sys.argv[2])) as (path, sha):
    print(path, flush=True)
    time.sleep(600)
"""


def _incoming(spool: Path) -> set[str]:
    return {p.name for p in (spool / "incoming").iterdir()}


def _holder(src: Path, spool: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(src), str(spool)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def test_orphan_of_a_killed_upload_is_swept_and_nothing_else(svc, scans, tmp_path):
    spool = svc.ingest.spool_dir
    svc.catalogue.ensure_dossier("000.00.12.H19-261201-0007", applicant_id="075203001234", department="TP")
    job = accept(svc.ingest, scans["decision_png"], dossier_code="000.00.12.H19-261201-0007", params=PARAMS)
    killed, orphan = _holder(scans["decision_png"], spool)
    alive, in_flight = _holder(scans["decision_png"], spool)
    try:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        assert orphan.exists(), "the killed upload left its copy behind"
        assert orphan.read_bytes() == scans["decision_png"].read_bytes()

        removed = sweep_orphans(spool, svc.jobs.names_spool_file)

        assert removed == 1
        assert not orphan.exists()
        assert in_flight.exists(), "an upload still holding its file is on its way"
        assert Path(job.spool_path).exists(), "a recorded job's file stays until the job ends"
        assert _incoming(spool) == {in_flight.name, Path(job.spool_path).name}
    finally:
        alive.kill()
        alive.wait()
    assert sweep_orphans(spool, svc.jobs.names_spool_file) == 1, "once its holder died, it is an orphan"
    assert _incoming(spool) == {Path(job.spool_path).name}
