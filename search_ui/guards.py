"""Request-level guards that run before any view, and before the body is read.

Each route has a body limit: the upload routes (marked ``@large_body``) take
``[web] max_upload_bytes``, every other route ``[web] max_form_bytes``. A request announcing more
is refused with 413 on its headers alone; a chunked one is cut at the limit while it is read.
Sign-in is checked next (``search_ui.auth``), still before the form is parsed for the CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, request

View = TypeVar("View", bound=Callable)
MARK = "sohoa_large_body"


def large_body(view: View) -> View:
    """Mark a view that takes uploads (the large body limit applies)."""
    setattr(view, MARK, True)
    return view


def body_limit(upload_bytes: int, form_bytes: int) -> int:
    """The limit for the current request's route."""
    view = current_app.view_functions.get(request.endpoint or "")
    return upload_bytes if getattr(view, MARK, False) else form_bytes


def limit_body() -> None:
    """``before_request``: refuse an announced body above the route's limit (413) unread."""
    config = current_app.config
    limit = body_limit(config["SOHOA_MAX_UPLOAD_BYTES"], config["SOHOA_MAX_FORM_BYTES"])
    request.max_content_length = limit  # also bounds chunked bodies as they are read
    if request.content_length is not None and request.content_length > limit:
        abort(413)


def json_body() -> dict:
    """The request's JSON object; ``{}`` for no JSON, bad JSON or JSON that is not an object (a
    list or a string sent where an object is expected must be a refusal, not a server error)."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


CITIZEN_DATA_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def no_store(response):
    """``after_request``: nothing but static files may be kept by a browser or proxy cache; every
    other answer may carry a citizen's data (pages, downloads, page images, JSON)."""
    if request.endpoint != "static":
        response.headers.update(CITIZEN_DATA_HEADERS)
        response.headers.pop("Expires", None)
    return response
