"""A duplicate is told as it is (waiting, being processed, archived), and a refused file uses up
no document number: the next file of the dossier takes it (issue 15, item 3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.jobs import JobState
from ingest.pipeline import Runner, accept
from ingest.refusal import Refusal

PARAMS = {"role": "component", "applicant_id": "075203001234"}
DOSSIER = "HS-SO"


def _refuse(svc, job) -> None:
    """Run ``job`` under a 50 ms OCR wall limit: the real sandbox refuses it (timeout). One second
    was enough for a small scan once children were forked from the pre-loaded fork server."""
    tight = replace(svc.ingest, limits=replace(svc.ingest.limits, wall_seconds=0.05))
    assert Runner(tight).run(svc.jobs.get(job.id)) == JobState.REJECTED
    assert svc.jobs.get(job.id).reason_code == "processing_timeout"


def test_queued_duplicate_says_queued_then_refused_gives_the_number_back(svc, scans):
    first = accept(svc.ingest, scans["land_jpg"], dossier_code=DOSSIER, params=PARAMS)
    assert first.doc_id == f"{DOSSIER}.001"
    with pytest.raises(Refusal) as err:
        accept(svc.ingest, scans["land_jpg"], dossier_code=DOSSIER, params=PARAMS)
    said = err.value.message
    assert err.value.reason_code == "duplicate" and "đang chờ xử lý" in said, said
    assert "lưu trữ:" not in said and "chưa được lưu trữ" in said, said

    _refuse(svc, first)
    refused = [j for j in svc.jobs.of_dossier(DOSSIER) if j["id"] == first.id][0]
    assert refused["state"] == "rejected" and refused["doc_id"] == "", "a refused file shows no number"

    # The same bytes again are no duplicate of a refused file: taken in, with the number back.
    again = accept(svc.ingest, scans["land_jpg"], dossier_code=DOSSIER, params=PARAMS)
    assert again.doc_id == f"{DOSSIER}.001", again.doc_id
    assert Runner(svc.ingest).run(again) == JobState.DONE
    with pytest.raises(Refusal) as err:
        accept(svc.ingest, scans["land_jpg"], dossier_code="HS-KHAC", params=PARAMS)
    assert err.value.message == f"Tệp này đã được lưu trữ: tài liệu {DOSSIER}.001 của hồ sơ {DOSSIER}."
    assert err.value.document_id == f"{DOSSIER}.001"


def test_a_refusal_below_a_live_number_stays_a_gap_and_ids_are_never_reused(svc, scans):
    a = accept(svc.ingest, scans["land_jpg"], dossier_code="HS-GAP", params=PARAMS)
    b = accept(svc.ingest, scans["decision_png"], dossier_code="HS-GAP", params=PARAMS)
    assert (a.doc_id, b.doc_id) == ("HS-GAP.001", "HS-GAP.002")
    _refuse(svc, a)  # .002 is announced already: .001 is not given to a later file
    c = accept(svc.ingest, scans["two_page_pdf"], dossier_code="HS-GAP", params=PARAMS)
    assert c.doc_id == "HS-GAP.003"
    _refuse(svc, c)
    _refuse(svc, b)  # now every number above the last live one comes back
    d = accept(svc.ingest, scans["two_page_pdf"], dossier_code="HS-GAP", params=PARAMS)
    assert d.doc_id == "HS-GAP.001"
    assert [j.doc_id for j in svc.jobs.list() if j.state == JobState.REJECTED] == [
        f"job-{c.id}",
        f"job-{b.id}",
        f"job-{a.id}",
    ]
