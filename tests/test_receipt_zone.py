"""The year of receipt, that retention counts from, is the center's calendar year, not UTC's: a
dossier received at 03:00 on 1 January in Vietnam (20:00 on 31 December UTC) is a new year's."""

from __future__ import annotations

from datetime import date

from archive.model import local_day
from ingest.pipeline import accept
from ingest.steps import Work, build_document

PARAMS = {"role": "component", "applicant_id": "075203001234", "procedure_code": ""}


def test_local_day_of_an_instant() -> None:
    assert local_day("2026-12-31T20:00:00+00:00", "Asia/Ho_Chi_Minh") == date(2027, 1, 1)
    assert local_day("2026-12-31T16:59:59+00:00", "Asia/Ho_Chi_Minh") == date(2026, 12, 31)
    assert local_day("2026-12-31T20:00:00", "Asia/Ho_Chi_Minh") == date(2027, 1, 1)  # naive = UTC


def test_received_at_three_in_the_morning_on_new_year_counts_from_the_new_year(svc, scans) -> None:
    ctx = svc.ingest
    job = accept(ctx, scans["decision_png"], dossier_code="HS-TET", params=PARAMS)
    with svc.jobs.db:
        svc.jobs.db.execute(
            "UPDATE jobs SET created_at = '2026-12-31T20:00:00+00:00' WHERE id = ?", (job.id,)
        )
    doc = build_document(Work(job=svc.jobs.get(job.id), ctx=ctx))
    assert doc.received_on == "2027-01-01" and doc.year == 2027
    # default class 20, counted from the end of the year of receipt (2027), not of 2026
    assert (doc.retention_class, doc.retain_until) == ("20", "2047-12-31")
