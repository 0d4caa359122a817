"""One closed list of reason codes: every code the code base can answer with is in it and in the
README; an unexpected exception becomes ``internal_error`` with a Vietnamese message, details in the
log, the accepted file kept in the spool."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from ingest.inspection import refusal_of as _refusal_of
from ingest.intake import outcome_of
from ingest.jobs import MAX_ATTEMPTS
from ingest.pipeline import Runner, accept
from ingest.reasons import TEXTS, Reason, is_known, readme_table
from ingest.sandbox import SandboxError, run_in_sandbox
from ingest.steps import DEFAULT_STEPS, Step
from ocr.errors import MESSAGES_VI

ROOT = Path(__file__).resolve().parent.parent
RAISERS = re.compile(r"(?:Refusal|OcrError|PdfRefused|OcrTrouble)\(\s*\"([a-z0-9_\-]+)\"")
CODE_KW = re.compile(r"reason_code=\"([a-z0-9_\-]+)\"")
T = "tests.support.sandbox_targets"
PARAMS = {"role": "component", "applicant_id": "075203001234", "department": "STP"}


def _codes_in_source() -> dict[str, str]:
    found = {}
    for package in ("ingest", "ocr", "archive", "search_ui", "sohoa"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for m in [*RAISERS.finditer(text), *CODE_KW.finditer(text)]:
                found[m.group(1)] = str(path.relative_to(ROOT))
    return found


def test_every_code_raised_anywhere_is_in_the_closed_list():
    found = _codes_in_source()
    assert len(found) > 20, "the scan sees the code base"
    unknown = {code: where for code, where in found.items() if not is_known(code)}
    assert not unknown, f"add these to ingest/reasons.py and the README: {unknown}"
    assert set(MESSAGES_VI) <= {r.value for r in Reason}, "every OCR code is listed"


def test_every_code_has_both_messages_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "README's table is ingest.reasons.readme_table()"
    for reason in Reason:
        vi, en = TEXTS[reason].vi, TEXTS[reason].en
        assert vi and en and vi != en
        assert any(ch in vi for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý"), (
            reason
        )


def test_a_library_error_code_never_becomes_a_reason():
    with pytest.raises(SandboxError) as err:
        run_in_sandbox(f"{T}.library_failure", {})
    assert err.value.code == "" and err.value.message == ""
    assert "-215" in err.value.detail and "LibraryError" in err.value.trace
    mapped = _refusal_of(err.value)
    assert isinstance(mapped, RuntimeError), "an unexplained failure is internal, not a refusal"


def test_our_own_code_crosses_the_sandbox():
    with pytest.raises(SandboxError) as err:
        run_in_sandbox(f"{T}.refusal_of_ours", {})
    refusal = _refusal_of(err.value)
    assert refusal.reason_code == "damaged" and "quét lại" in refusal.message


class Explodes(Step):
    """Stands for a bug in a pixel step: an exception no code expects."""

    name = "ocr"

    def run(self, work) -> None:
        raise RuntimeError("OpenCV(5.0.0) error: (-215:Assertion failed) ksize.width > 0")


def test_unexpected_exception_is_internal_error_with_file_kept(svc, scans, caplog):
    job = accept(svc.ingest, scans["land_jpg"], dossier_code="HS-BUG-1", params=PARAMS)
    steps = [Explodes(), *DEFAULT_STEPS[1:]]
    runner = Runner(svc.ingest, steps=steps)
    with caplog.at_level(logging.ERROR):
        assert runner.run(svc.ingest.jobs.get(job.id)) == "waiting"
    row = svc.ingest.jobs.get(job.id)
    assert row.reason_code == "internal_error"
    assert "-215" not in row.message and "OpenCV" not in row.message and "Lỗi nội bộ" in row.message
    assert "-215" in caplog.text and "Traceback" in caplog.text, "the details are in the log"
    assert Path(row.spool_path).exists(), "the accepted file stays in the spool for retry"
    first = outcome_of(svc.ingest, job, "so-do.jpg")
    assert (first.status, first.reason_code) == ("accepted", "queued_for_retry")
    assert "-215" not in first.message and "internal_error" in first.message
    states = [runner.run(svc.ingest.jobs.get(job.id)) for _ in range(MAX_ATTEMPTS - 1)]
    assert states[-1] == "failed"
    last = outcome_of(svc.ingest, job, "so-do.jpg")
    assert (last.status, last.reason_code) == ("accepted", "job_failed")
    assert "-215" not in last.message and Path(row.spool_path).exists()
