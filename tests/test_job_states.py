"""Job states: a storage or index outage makes a job wait (backing off, never failing by itself);
an internal error fails it after a few tries; the IT unit lists and retries jobs from the CLI."""

from __future__ import annotations

from datetime import UTC, datetime

from archive.object_store import StoreError
from ingest.intake import outcome_of
from ingest.jobs import MAX_ATTEMPTS, Backoff
from ingest.pipeline import Runner, accept
from ingest.steps import DEFAULT_STEPS, Step
from tests.conftest import json_lines, run_sohoa

PARAMS = {"role": "component", "applicant_id": "075203001234", "department": "STP"}


class Broken(Step):
    """A step that always raises ``exc``: a store outage or a bug of ours."""

    name = "ocr"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def run(self, work) -> None:
        raise self.exc


def _job(svc, path):
    return accept(svc.ingest, path, dossier_code="HS-JOBS", params=PARAMS)


def test_backoff_doubles_and_is_bounded() -> None:
    b = Backoff(2, 3600)
    assert [b.delay(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert b.delay(12) == 3600 and b.delay(1000) == 3600


def test_store_outage_waits_and_never_fails(svc, scans) -> None:
    job = _job(svc, scans["decision_png"])
    runner = Runner(svc.ingest, steps=[Broken(StoreError("S3 server unreachable"))])
    for n in range(MAX_ATTEMPTS * 3):
        assert runner.run(svc.jobs.get(job.id)) == "waiting"
        row = svc.jobs.get(job.id)
        assert row.state == "waiting" and "S3 server unreachable" in row.last_error
        assert row.next_try_at > datetime.now(UTC).isoformat(timespec="seconds")
        assert row.attempts == n + 1
    # Not due yet: the worker does not pick it up; an operator's ``worker --once`` does.
    assert svc.jobs.pending() == []
    assert [j.id for j in svc.jobs.pending(all_waiting=True)] == [job.id]
    out = outcome_of(svc.ingest, job, "x.png")
    assert out.reason_code == "queued_for_retry" and "sohoa worker" in out.message
    assert "S3 server unreachable" in out.message


def test_bug_fails_after_max_attempts_and_retry_completes(svc, scans, data_dir) -> None:
    job = _job(svc, scans["decision_png"])
    runner = Runner(svc.ingest, steps=[Broken(RuntimeError("lỗi lập trình"))])
    states = [runner.run(svc.jobs.get(job.id)) for _ in range(MAX_ATTEMPTS)]
    assert states == ["waiting"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert outcome_of(svc.ingest, job, "x.png").reason_code == "job_failed"

    listed = json_lines(run_sohoa("jobs", "list", "--state", "failed", "--json", data_dir=data_dir).stdout)
    assert [(j["id"], j["state"]) for j in listed] == [(job.id, "failed")]
    assert "RuntimeError: lỗi lập trình" in listed[0]["last_error"]

    retried = run_sohoa("jobs", "retry", "--failed", data_dir=data_dir)
    assert retried.returncode == 0, retried.stderr
    assert svc.jobs.get(job.id).state == "queued"
    assert Runner(svc.ingest, steps=DEFAULT_STEPS).run_pending() == 1
    assert svc.jobs.get(job.id).state == "done"
    again = run_sohoa("jobs", "retry", str(job.id), data_dir=data_dir)
    assert again.returncode == 2 and "done" in again.stderr
    assert run_sohoa("jobs", "retry", "99999", data_dir=data_dir).returncode == 2


def test_waiting_job_survives_a_restart(svc, scans, data_dir) -> None:
    """The state is in the state DB: a new process sees the job waiting with its error."""
    job = _job(svc, scans["decision_png"])
    Runner(svc.ingest, steps=[Broken(StoreError("down"))]).run(svc.jobs.get(job.id))
    listed = json_lines(run_sohoa("jobs", "list", "--json", data_dir=data_dir).stdout)
    assert listed[0]["state"] == "waiting" and listed[0]["next_try_at"] and listed[0]["last_error"]
    done = run_sohoa("worker", "--once", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert svc.jobs.get(job.id).state == "done"
