"""What the progress column and the status column say of a job: the step it is doing now (the jobs
table keeps the last step done), with the page OCR is reading ("Trang 2/5: nhận dạng chữ"), so the
step and the status never disagree ("Đang xử lý" beside "chờ xử lý") and say the same words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_ui.i18n import translate as t

# Last step done -> the step running now (``ingest.steps.DEFAULT_STEPS`` order).
NEXT_STEP = {"": "ocr", "ocr": "tag", "tag": "store", "store": "index", "index": "index"}


def step_key(state: str, step: str) -> str:
    """The translation key of the progress words for a job in ``state`` whose last step done
    is ``step``."""
    if state == "running":
        return "step_doing_" + NEXT_STEP.get(step or "", "index")
    if state in ("queued", "waiting", "done"):
        return "step_" + state
    return "step_stopped"  # rejected, quarantined, failed: the status says why


def progress_words(job: Mapping[str, Any]) -> str:
    """The progress column: the step doing now, with the page while OCR reads one."""
    key = step_key(job["state"], job["step"])
    if key == "step_doing_ocr" and job.get("pages"):
        return t("step_doing_ocr_page", page=job["page"], pages=job["pages"])
    return t(key)


def status_words(job: Mapping[str, Any]) -> str:
    """The status column: the state; a running job's adds the progress column's own words, an
    ended or held one's the reason it was given, a done one's what the officer must know."""
    said = t("state_" + job["state"])
    if job["state"] == "running":
        said = f"{said} — {progress_words(job)}"
    if job.get("message"):  # a done job's message is what the officer must know (a cut file)
        said = f"{said}: {job['message']}"
    return said
