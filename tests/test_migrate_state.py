"""``sohoa migrate-state --to postgresql``: a single machine's SQLite state moves into the
PostgreSQL peer without loss; sequences (job ids, dossier codes, identity columns) continue."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from archive.catalogue import Catalogue
from archive.model import Applicant, Document
from archive.pg_state import PostgresState
from ingest.dossier_code import DossierCodes
from ingest.jobs import JobStore
from ingest.notices.registry import NoticeRegistry
from search_ui.access_log import AccessLog
from search_ui.accounts import Accounts
from search_ui.web_secret import WebSecret
from sohoa.cli import main

pytest_plugins = ["tests.pg_fixtures"]
pytestmark = pytest.mark.postgresql
AGENCY = "000.00.12.H19"
DAY = datetime(2024, 5, 6, 9, 0)


def _fill(db: Path) -> None:
    """A center's state: jobs, codes, documents, a user, reads, notices."""
    jobs = JobStore(db)
    for i in range(3):
        jobs.submit(
            dossier_code="D-1",
            file_name=f"trang-{i}.pdf",
            sha256=f"sha-{i}",
            content_type="application/pdf",
            spool_path=f"/spool/{i}",
            params={"actor": "Lê Văn Tâm"},
            idempotency_key=f"key-{i}",
        )
    codes = DossierCodes(db, AGENCY)
    for _ in range(4):
        codes.issue(DAY)
    cat = Catalogue(db)
    for i in range(1, 4):
        cat.upsert_document(
            Document(id=f"D-1.00{i}", dossier_code="D-1", applicant=Applicant(id="079201001234"))
        )
    cat.ensure_dossier("D-1", applicant_name="Trần Thị Hoa", department="Tư pháp")
    cat.pin("docs/D-1.001/manifest.json", "v-1", "D-1.001")
    Accounts(db).add("hoa.tran", "Mưa-rơi-trên-phố-cổ-2024", role="intake", department="Tư pháp")
    log = AccessLog(db)
    for _ in range(5):
        log.record(
            login="hoa.tran",
            role="intake",
            department="Tư pháp",
            action="view",
            document_id="D-1.001",
            owner_id="079201001234",
            purpose="tiếp nhận",
        )
    NoticeRegistry(db).issue("receipt", "D-1")


def test_migrate_moves_everything_and_sequences_continue(tmp_path: Path, pg_database: str, capsys) -> None:
    data = tmp_path / "data"
    _fill(data / "state.sqlite3")
    (data / "web-secret.key").write_bytes(b"k" * 32)  # made by the single machine's web app
    assert main(["--data-dir", str(data), "migrate-state", "--to", "postgresql", "--url", pg_database]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert tables["jobs"] == 3 and tables["documents"] == 3 and tables["dossier_code_issued"] == 4
    assert tables["web_access_log"] == 5 and tables["web_users"] == 1 and tables["dossier_notices"] == 1

    pg = PostgresState(pg_database)
    try:
        jobs = JobStore(pg)
        assert [j.doc_id for j in jobs.list()] == ["D-1.003", "D-1.002", "D-1.001"]
        assert jobs.list()[-1].params == {"actor": "Lê Văn Tâm"}
        again = jobs.submit(
            dossier_code="D-1",
            file_name="x.pdf",
            sha256="s",
            content_type="application/pdf",
            spool_path="/spool/x",
            params={},
            idempotency_key="key-1",
        )
        assert again.doc_id == "D-1.002"  # the idempotency key still answers
        new = jobs.submit(
            dossier_code="D-1",
            file_name="y.pdf",
            sha256="t",
            content_type="application/pdf",
            spool_path="/s/y",
            params={},
        )
        assert new.doc_id == "D-1.004" and new.id == 4  # sequence and identity continue
        codes = DossierCodes(pg, AGENCY)
        assert codes.issue(DAY) == f"{AGENCY}-240506-0005"
        assert Catalogue(pg).dossier("D-1")["applicant_name"] == "Trần Thị Hoa"
        assert Catalogue(pg).pinned("docs/D-1.001/manifest.json") == "v-1"
        assert Accounts(pg).authenticate("hoa.tran", "Mưa-rơi-trên-phố-cổ-2024", "10.1.1.1") is not None
        log = AccessLog(pg)
        log.record(
            login="hoa.tran",
            role="intake",
            department="Tư pháp",
            action="view",
            document_id="D-1.002",
            owner_id="079201001234",
            purpose="tra cứu",
        )
        assert max(r["id"] for r in log.recent()) == 6
        assert NoticeRegistry(pg).issue("receipt", "D-2").id == 2
        assert WebSecret(pg).get() == b"k" * 32  # applicant-page addresses stay the same
    finally:
        pg.close()


def test_migrate_refuses_a_target_that_holds_state(tmp_path: Path, pg_database: str, capsys) -> None:
    data = tmp_path / "data"
    _fill(data / "state.sqlite3")
    args = ["--data-dir", str(data), "migrate-state", "--to", "postgresql", "--url", pg_database]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 2
    assert "already holds rows" in capsys.readouterr().err
