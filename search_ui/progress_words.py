"""What the progress column says of a job: the step it is doing now (the jobs table keeps the
last step done), so the step and the state never disagree ("Đang xử lý" beside "chờ xử lý")."""

from __future__ import annotations

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
