"""Times on the pages are the center's local time in Vietnamese order, not stored UTC ISO strings."""

from __future__ import annotations

import re

import pytest

from search_ui.app import create_app
from search_ui.local_time import make_filters
from tests.web_fixtures import login

pytest_plugins = ["tests.web_fixtures"]


def test_utc_evening_is_the_next_morning_in_vietnam():
    f = make_filters("Asia/Ho_Chi_Minh")
    assert f["local_time"]("2026-11-27T20:45:06+00:00") == "28/11/2026 03:45"
    assert f["local_date"]("2026-11-27T20:45:06+00:00") == "28/11/2026"
    assert f["local_date"]("2026-12-05") == "05/12/2026"
    assert f["local_time"]("not a time") == "not a time"


@pytest.mark.slow
def test_document_page_shows_local_times(web_data):
    app = create_app(web_data.services, config={"TESTING": True})
    client = app.test_client()
    login(client, "bt.tp")
    html = client.get(f"/documents/{web_data.tp_doc}").get_data(as_text=True)
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", html)
    assert "+00:00" not in html
