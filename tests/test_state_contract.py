"""One contract, every state store: SQLite (one machine) and PostgreSQL (the peer started by
scripts/pgpeer.sh) must behave alike for jobs, dossier codes, the catalogue, accounts, sessions,
the access log and notices. Racing writers are threads with their own connections (several web
or worker processes do the same through several pools)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

import pytest

from archive.catalogue import Catalogue
from archive.model import Applicant, Document
from archive.sqlite_db import transaction
from archive.state_store import StateStore
from ingest.dossier_code import DossierCodes
from ingest.dossiers.records import DossierRecords
from ingest.dossiers.statistics import monthly
from ingest.jobs import JobState, JobStore
from ingest.notices.registry import NoticeRegistry
from ingest.pipeline import SharedLock, WorkerLock
from search_ui.access_log import AccessLog
from search_ui.accounts import MAX_FAILURES, AccountError, Accounts, Throttled
from search_ui.sessions import Lifetimes
from search_ui.web_secret import WebSecret

pytest_plugins = ["tests.pg_fixtures"]
AGENCY = "000.00.12.H19"
PASSWORD = "Mưa-rơi-trên-phố-cổ-2024"


def _submit(jobs: JobStore, dossier: str = "D-1", key: str | None = None, sha: str = "ab") -> object:
    return jobs.submit(
        dossier_code=dossier,
        file_name="giay-to.pdf",
        sha256=sha,
        content_type="application/pdf",
        spool_path=f"/spool/{sha}",
        params={"actor": "cán bộ"},
        idempotency_key=key,
    )


def _race(n: int, work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_job_ids_follow_the_dossier_sequence_and_keys_are_idempotent(state: StateStore) -> None:
    jobs = JobStore(state)
    first = _submit(jobs, key="k-1")
    assert first.doc_id == "D-1.001" and first.params == {"actor": "cán bộ"}
    assert _submit(jobs, key="k-1").id == first.id  # the same request twice: one job
    assert _submit(jobs).doc_id == "D-1.002"
    assert _submit(jobs, dossier="D-2").doc_id == "D-2.001"
    assert jobs.counts() == {"queued": 3}
    assert [j.doc_id for j in jobs.list()] == ["D-2.001", "D-1.002", "D-1.001"]


def test_racing_submissions_never_repeat_or_skip_a_sequence(state: StateStore) -> None:
    JobStore(state)  # the schema, once

    def submit(i: int) -> None:
        jobs = JobStore(state)
        for k in range(5):
            _submit(jobs, key=f"{i}-{k}", sha=f"{i}-{k}")

    _race(6, submit)
    seqs = sorted(j.seq for j in JobStore(state).list())
    assert seqs == list(range(1, 31))


def test_each_job_is_claimed_by_one_runner(state: StateStore, tmp_path) -> None:
    """Shared state: runners claim row by row. One machine: runners take turns through the
    worker lock (the real file lock), which is what makes a 'running' job an interrupted one."""
    jobs = JobStore(state)
    for i in range(12):
        _submit(jobs, sha=str(i))
    claimed: list[int] = []
    lock = threading.Lock()

    def runner(i: int) -> None:
        mine = JobStore(state)
        machine = SharedLock() if mine.shared else WorkerLock(tmp_path / "worker.lock")
        assert machine.acquire(wait=True)
        try:
            run_pass(mine, i)
        finally:
            machine.release()

    def run_pass(mine: JobStore, i: int) -> None:
        for job in mine.pending():
            if job.state != JobState.QUEUED:
                continue
            got = mine.claim(job, f"runner-{i}")
            if got is not None:
                with lock:
                    claimed.append(got.id)
                mine.finish(got, JobState.DONE)

    _race(4, runner)
    assert sorted(claimed) == sorted(j.id for j in jobs.list())  # every job once, none twice
    assert jobs.counts() == {"done": 12}


def test_a_running_job_is_taken_over_once_its_lease_runs_out(state: StateStore) -> None:
    jobs = JobStore(state, lease_seconds=1)
    job = jobs.claim(_submit(jobs), "machine-a")
    assert job is not None and job.state == JobState.RUNNING and job.attempts == 1
    if jobs.shared:  # another machine may still be working on it
        assert JobStore(state, lease_seconds=1).claim(job, "machine-b") is None
        assert jobs.renew(job, "machine-a")
        time.sleep(2.1)
    # machine-a died (or, on one machine, the worker-lock holder resumes an interrupted job)
    taken = JobStore(state).claim(job, "machine-b")
    assert taken is not None and taken.lease_owner == "machine-b" and taken.attempts == 2
    assert not jobs.renew(job, "machine-a")  # the old owner's lease is gone


def test_a_runner_claims_jobs_it_can_reach(state: StateStore) -> None:
    """A job's file lies in the accepting machine's spool, or in the staging bucket (any machine)."""
    jobs = JobStore(state)
    here = _submit(jobs, sha="a")  # spooled under /spool/
    there = jobs.submit(
        dossier_code="D-1", file_name="b.pdf", sha256="b", content_type="application/pdf",
        spool_path="/other-machine/spool/b", params={},
    )  # fmt: skip
    staged = jobs.submit(
        dossier_code="D-1", file_name="c.pdf", sha256="c", content_type="application/pdf",
        spool_path="/other-machine/spool/c", params={}, staged_key="staging/c",
    )  # fmt: skip
    claimed = []
    while job := jobs.claim_next("me", spooled_under="/spool/"):
        claimed.append(job.id)
        jobs.finish(job, JobState.DONE)
    assert claimed == [here.id, staged.id]
    assert jobs.get(there.id).state == JobState.QUEUED  # left for the machine that holds it


def test_dossier_codes_from_racing_issuers_are_unique_and_gapless(state: StateStore) -> None:
    day = datetime(2024, 3, 4, 9, 0)
    DossierCodes(state, AGENCY).close()
    codes: list[str] = []
    lock = threading.Lock()

    def issue(i: int) -> None:
        issuer = DossierCodes(state, AGENCY)
        for _ in range(5):
            code = issuer.issue(day)
            with lock:
                codes.append(code)
        issuer.close()

    _race(5, issue)
    assert sorted(codes) == [f"{AGENCY}-240304-{n:04d}" for n in range(1, 26)]
    issuer = DossierCodes(state, AGENCY)
    assert issuer.issued_on("2024-03-04") == sorted(codes)
    # reindex raises the floor to what the archive holds; a lower code never moves it back
    assert issuer.raise_floors([f"{AGENCY}-240304-0040", f"{AGENCY}-240304-0007"]) == 1
    assert issuer.raise_floors([f"{AGENCY}-240304-0030"]) == 0
    assert issuer.issue(day) == f"{AGENCY}-240304-0041"


def test_catalogue_documents_dossiers_and_version_pins(state: StateStore) -> None:
    cat = Catalogue(state)
    DossierRecords(state)  # the statistics count reuse links too
    doc = Document(id="D-1.001", dossier_code="D-1", applicant=Applicant(id="001099012345"), pages=[])
    doc.digitised_at = "2024-03-04T02:00:00+00:00"
    cat.upsert_document(doc)
    doc.legal_hold = True
    cat.upsert_document(doc)  # replaces the row
    assert cat.document("D-1.001")["legal_hold"] == 1
    assert [d["id"] for d in cat.documents_of_owner("001099012345")] == ["D-1.001"]
    assert cat.highest_seq("D-1") == 1
    assert (
        cat.ensure_dossier("D-1", department="Tư pháp", received_at="2024-03-04")["department"] == "Tư pháp"
    )
    assert cat.ensure_dossier("D-1", department="Khác")["department"] == "Tư pháp"  # filled fields stay
    cat.pin("k/manifest.json", "v1", "D-1.001")
    cat.pin("k/manifest.json", "v2", "D-1.001")  # the first recorded version stays
    assert cat.pinned("k/manifest.json") == "v1"
    cat.repin("k/manifest.json", "v3", "D-1.001")
    assert cat.pins_of("D-1.001") == {"k/manifest.json": "v3"}
    summary = cat.dossier_summaries()
    assert [(r["code"], r["classes"], r["documents"], r["held"]) for r in summary] == [("D-1", "20", 1, 1)]
    rows = monthly(cat, "2024-03")
    assert rows[-1]["dossiers_received"] == 1 and rows[-1]["documents"] == 1


def test_accounts_sessions_and_lockout_are_shared(state: StateStore) -> None:
    web_a, web_b = Accounts(state), Accounts(state)  # two web servers
    web_a.add("lan.nguyen", PASSWORD, role="intake", department="Tư pháp", name="Nguyễn Thị Lan")
    with pytest.raises(AccountError, match="đã tồn tại"):
        web_b.add("lan.nguyen", PASSWORD, role="intake", department="Tư pháp")
    assert web_b.authenticate("lan.nguyen", PASSWORD, "10.0.0.1").name == "Nguyễn Thị Lan"
    web_a.sessions.create("sid-1", "lan.nguyen", {"csrf": "tok"}, "10.0.0.1", "firefox")
    life = Lifetimes(idle=600, absolute=3600)
    seen = web_b.sessions.load("sid-1", life)
    assert seen is not None and seen["login"] == "lan.nguyen" and '"csrf"' in seen["data"]
    assert web_b.sessions.end_all("lan.nguyen") == 1 and web_a.sessions.load("sid-1", life) is None
    for _ in range(MAX_FAILURES):
        assert web_a.authenticate("lan.nguyen", "sai mật khẩu", "10.0.0.9") is None
    with pytest.raises(Throttled):  # failures counted on one web server lock the login on the other
        web_b.authenticate("lan.nguyen", PASSWORD, "10.0.0.2")


def test_access_log_notices_and_reuse_links(state: StateStore) -> None:
    log = AccessLog(state)
    for _ in range(2):
        log.record(
            login="lan.nguyen",
            role="officer",
            department="Tư pháp",
            action="view",
            document_id="D-1.001",
            owner_id="001099012345",
            purpose="giải quyết hồ sơ",
        )
    assert [r["purpose"] for r in log.of_document("D-1.001")] == ["giải quyết hồ sơ"] * 2
    notices = NoticeRegistry(state)
    first = notices.issue("receipt", "D-1")
    assert first.id > 0 and notices.issue("receipt", "D-2").id > first.id
    records = DossierRecords(state)
    assert records.link("D-1.001", "D-9", "lan") and not records.link("D-1.001", "D-9", "lan")
    assert records.dossiers_linking("D-1.001") == ["D-9"]


def test_a_failed_transaction_leaves_nothing(state: StateStore) -> None:
    jobs = JobStore(state)
    _submit(jobs)
    with pytest.raises(RuntimeError), transaction(jobs.db) as db:
        db.execute("UPDATE jobs SET state = ?", ("failed",))
        assert db.execute("SELECT COUNT(*) FROM jobs WHERE state = ?", ("failed",)).fetchone()[0] == 1
        raise RuntimeError("midway")
    assert jobs.counts() == {"queued": 1}


def test_web_secret_is_one_for_every_web_server(state: StateStore) -> None:
    first = WebSecret(state).get()
    assert len(first) == 32
    assert WebSecret(state).get(b"x" * 32) == first  # a later start reads it, never replaces it
