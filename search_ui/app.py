"""The Flask app factory: ``create_app(services)``.

The web process only reads the search index (the worker is the only writer); uploads become
durable jobs that the worker runs. The web app's own state (accounts, access log, reuse links,
confirmations) lives in the state DB beside the jobs.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from ingest.day_text import HTML_PATTERN as DATE_PATTERN
from ingest.day_text import shown_day
from search_ui import guards
from search_ui.current import WebState, current_user, department_name, facet_label
from search_ui.i18n import current_language, label, translate
from search_ui.links import search_params
from search_ui.local_time import make_filters
from search_ui.numbers import format_number, format_size
from search_ui.people import person
from search_ui.progress_words import progress_words, status_words
from search_ui.sessions import Lifetimes, ServerSessionInterface
from search_ui.web_secret import WebSecret

if TYPE_CHECKING:  # the composition root's types, named for the type checker only
    from sohoa.setting_sections import WebSettings

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def _secret_key(data_dir: Path) -> bytes:
    """A per-installation key for signing session cookies, made on first start (mode 0600)."""
    path = data_dir / "web-secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(secrets.token_bytes(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_bytes()


def make_state(services_) -> WebState:
    """The web app's stores, built by the composition root (``sohoa.wiring``)."""
    return WebState(
        services_.accounts,
        services_.access_log,
        services_.dossier_records,
        services_.audit.append,
    )


def _configure(app: Flask, services_) -> None:
    settings = services_.settings
    app.config.update(
        SECRET_KEY=_secret_key(settings.data_dir)
        if services_.state.dialect == "sqlite"
        else WebSecret(services_.state).get(),
        SOHOA_SECURE_COOKIES=settings.web.secure_cookies,
        MAX_CONTENT_LENGTH=settings.web.max_upload_bytes,
        SOHOA_MAX_UPLOAD_BYTES=settings.web.max_upload_bytes,
        SOHOA_MAX_FORM_BYTES=settings.web.max_form_bytes,
    )


def session_lifetimes(web: WebSettings) -> Lifetimes:
    """Idle timeout and absolute lifetime of sessions from ``[web]``."""
    return Lifetimes(idle=web.session_idle_minutes * 60.0, absolute=web.session_minutes * 60.0)


def _message(exc: HTTPException) -> str:
    """What the official reads: a view's own description, else the status in their language
    (werkzeug's stock descriptions are English)."""
    if exc.description and exc.description != type(exc).description:
        return exc.description
    key = f"http_{exc.code}"
    text = translate(key)
    return text if text != key else translate("http_error")


def _error(exc: HTTPException):
    """Errors as JSON under /api/, as a page elsewhere (never a stack trace)."""
    if request.path.startswith("/api/"):
        return jsonify({"error": exc.name.lower().replace(" ", "_"), "message": _message(exc)}), exc.code
    return render_template("error.html", error=exc, message=_message(exc)), exc.code


def create_app(services_, *, config: dict | None = None) -> Flask:
    """Build the web app around the wired ``services_`` (store, index, catalogue, jobs...)."""
    from search_ui import (
        api,
        api_documents,
        auth,
        log_mask,
        views_access_log,
        views_account,
        views_admin,
        views_applicant,
        views_batch,
        views_disposal,
        views_intake,
        views_records,
        views_retention,
        views_search,
        views_transfer,
    )

    log_mask.install()
    app = Flask(__name__)
    _configure(app, services_)
    app.config.update(config or {})
    if services_.settings.web.behind_proxy:
        # Behind a TLS-terminating reverse proxy: trust one hop's X-Forwarded-* so that cookies are
        # marked Secure and login throttling counts the officials' real addresses.
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented way to add WSGI middleware; mypy sees a method being replaced.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    assert isinstance(app.json, DefaultJSONProvider)  # Flask's own provider unless replaced
    app.json.ensure_ascii = False
    app.extensions["sohoa"] = services_
    app.extensions["sohoa_web"] = state = make_state(services_)
    app.session_interface = ServerSessionInterface(
        state.accounts.sessions, session_lifetimes(services_.settings.web), auth.cookie_secure
    )
    app.jinja_env.globals.update(
        t=translate,
        label=label,
        lang=current_language,
        csrf_token=auth.csrf_token,
        current_user=current_user,
        department_name=department_name,
        facet_label=facet_label,
        progress_words=progress_words,
        status_words=status_words,
        search_params=search_params,
        applicant_url=views_applicant.applicant_url,
        date_pattern=DATE_PATTERN,  # dd/mm/yyyy boxes: the same order whatever the browser's language
    )
    app.jinja_env.filters.update(make_filters(services_.settings.center.timezone))
    app.jinja_env.filters["day_box"] = shown_day  # an ISO day in a dd/mm/yyyy box
    app.jinja_env.filters["number"] = lambda value, decimals=None: format_number(
        value, current_language(), decimals
    )
    app.jinja_env.filters["size"] = lambda value: format_size(value, current_language())
    app.jinja_env.filters["person"] = person
    app.before_request(guards.limit_body)  # first: before sign-in is checked and the body read
    app.after_request(guards.no_store)
    for module in (
        auth,
        views_account,
        views_search,
        views_intake,
        views_batch,
        views_applicant,
        views_records,
        views_disposal,
        views_retention,
        views_access_log,
        views_transfer,
        views_admin,
        api,
        api_documents,
    ):
        app.register_blueprint(module.bp)
    app.register_error_handler(HTTPException, _error)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
