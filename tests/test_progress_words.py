"""The progress column names the step a running job is doing, never one that contradicts its
status (issue 15, item 10)."""

from search_ui.progress_words import step_key


def test_step_words_follow_the_state():
    assert step_key("queued", "") == "step_queued"
    assert step_key("running", "") == "step_doing_ocr"
    assert step_key("running", "ocr") == "step_doing_tag"
    assert step_key("running", "store") == "step_doing_index"
    assert step_key("done", "index") == "step_done"
    assert step_key("waiting", "tag") == "step_waiting"
    assert step_key("rejected", "ocr") == step_key("quarantined", "") == "step_stopped"


def test_a_done_job_with_something_to_check_says_it():
    from flask import Flask

    from search_ui.progress_words import status_words

    app = Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/"):
        cut = {
            "state": "done",
            "step": "index",
            "reason_code": "truncated",
            "message": "Tệp bị cắt, có thể thiếu trang",
        }
        assert status_words(cut).endswith(": Tệp bị cắt, có thể thiếu trang")  # not a plain "Hoàn tất"
        assert ":" not in status_words({"state": "done", "step": "index", "reason_code": "", "message": ""})
