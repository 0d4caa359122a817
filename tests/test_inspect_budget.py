"""Inspection answers within ``[limits] inspect_seconds`` at the counter; a file that needs longer is
accepted and handed to the worker (the officer told so), which refuses it past
``worker_inspect_seconds``. Real files, real sandbox, real command line."""

from __future__ import annotations

import pytest

from ingest.context import Limits
from ingest.inspection import inspect_at_counter
from ingest.pipeline import accept
from tests.conftest import json_lines, run_sohoa
from tests.support import oddities as odd


@pytest.fixture(scope="module")
def slow_pdf(tmp_path_factory):
    """250,000 objects: about 7 s of walking on the 2-core machine, well past the one- and
    two-second budgets below whatever the sandbox's start-up costs (60,000 objects took 1.7 s once
    children were forked from the fork server, too close to the two-second budget)."""
    path = tmp_path_factory.mktemp("slow") / "nhieu-doi-tuong.pdf"
    path.write_bytes(odd.many_objects(250_000))
    return path


def _settings(tmp_path, counter: int, worker: int):
    path = tmp_path / "settings.toml"
    path.write_text(f"[limits]\ninspect_seconds = {counter}\nworker_inspect_seconds = {worker}\n")
    return path


def test_counter_hands_a_slow_file_to_the_worker_and_says_so(svc, slow_pdf):
    assert inspect_at_counter(Limits(inspect_seconds=1), slow_pdf, "application/pdf") is True
    ctx = svc.ingest
    object.__setattr__(ctx, "limits", Limits(inspect_seconds=1))
    job = accept(ctx, slow_pdf, dossier_code="HS-SLOW-1", params={"role": "component"})
    assert job.params["inspect_in_worker"] is True
    assert job.reason_code == "inspect_in_worker" and "tiến trình xử lý nền" in job.message


def test_worker_refuses_past_its_budget(tmp_path, slow_pdf):
    proc = run_sohoa(
        "--settings",
        str(_settings(tmp_path, 1, 2)),
        "ingest",
        str(slow_pdf),
        "--dossier",
        "HS-SLOW-2",
        "--applicant-id",
        "075203001234",
        data_dir=tmp_path / "data",
    )
    [line] = json_lines(proc.stdout)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert (line["status"], line["reason_code"]) == ("rejected", "inspection_timeout")
    assert "quét lại" in line["message"]


def test_worker_within_its_budget_accepts(tmp_path, slow_pdf):
    proc = run_sohoa(
        "--settings",
        str(_settings(tmp_path, 1, 120)),
        "ingest",
        str(slow_pdf),
        "--dossier",
        "HS-SLOW-3",
        "--applicant-id",
        "075203001234",
        data_dir=tmp_path / "data",
    )
    [line] = json_lines(proc.stdout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert line["status"] == "accepted"
