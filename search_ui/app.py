"""The Flask app factory: ``create_app(services)``.

The web process only reads the search index (the worker is the only writer); uploads become
durable jobs that the worker runs. The web app's own state (accounts, access log, reuse links,
confirmations) lives in the state DB beside the jobs.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search_ui import guards
from search_ui.access import Scope
from search_ui.access_log import AccessLog
from search_ui.accounts import Accounts
from search_ui.i18n import current_language, label, translate
from search_ui.intake_state import IntakeState
from search_ui.links import search_params
from search_ui.local_time import make_filters
from search_ui.sessions import Lifetimes, ServerSessionInterface

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@dataclass
class WebState:
    """The web app's own stores."""

    accounts: Accounts
    access_log: AccessLog
    intake: IntakeState
    audit: object | None  # callable(action, actor, subject, details) or None


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


def _audit_fn(services_):
    """The archive's hash-chained audit log as a callable, when this build has one."""
    try:
        from archive.audit import AuditLog
    except ImportError:
        return None
    return AuditLog.from_services(services_).append


def make_state(services_) -> WebState:
    db = services_.settings.state_db
    audit = _audit_fn(services_)
    return WebState(Accounts(db), AccessLog(db, audit=audit), IntakeState(db), audit)


def services():
    """The ``sohoa.wiring.Services`` of this app."""
    return current_app.extensions["sohoa"]


def current_scope() -> Scope:
    """The department scope of the signed-in official (nothing without one)."""
    return getattr(g, "scope", Scope(frozenset()))


def department_name(code: str) -> str:
    """The department's name for its code (``[web.departments]`` or the defaults), else ''."""
    from ingest.procedures import departments

    return departments(services().settings.section("web")).get(code, "")


def _configure(app: Flask, services_) -> None:
    web = services_.settings.section("web")
    app.config.update(
        SECRET_KEY=_secret_key(services_.settings.data_dir),
        SOHOA_SECURE_COOKIES=web.get("secure_cookies", "auto"),
        MAX_CONTENT_LENGTH=int(web.get("max_upload_bytes", 500 << 20)),
        SOHOA_MAX_UPLOAD_BYTES=int(web.get("max_upload_bytes", 500 << 20)),
        SOHOA_MAX_FORM_BYTES=int(web.get("max_form_bytes", 1 << 20)),
    )


def session_lifetimes(web: dict) -> Lifetimes:
    """Idle timeout and absolute lifetime of sessions from ``[web]``."""
    return Lifetimes(
        idle=float(web.get("session_idle_minutes", 30)) * 60,
        absolute=float(web.get("session_minutes", 480)) * 60,
    )


def _error(exc: HTTPException):
    """Errors as JSON under /api/, as a page elsewhere (never a stack trace)."""
    if request.path.startswith("/api/"):
        return jsonify({"error": exc.name.lower().replace(" ", "_"), "message": exc.description}), exc.code
    return render_template("error.html", error=exc), exc.code


def create_app(services_, *, config: dict | None = None) -> Flask:
    """Build the web app around the wired ``services_`` (store, index, catalogue, jobs...)."""
    from search_ui import (
        api,
        api_documents,
        auth,
        views_account,
        views_admin,
        views_applicant,
        views_disposal,
        views_intake,
        views_records,
        views_search,
    )

    app = Flask(__name__)
    _configure(app, services_)
    app.config.update(config or {})
    if services_.settings.section("web").get("behind_proxy"):
        # Behind a TLS-terminating reverse proxy: trust one hop's X-Forwarded-* so that cookies are
        # marked Secure and login throttling counts the officials' real addresses.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.json.ensure_ascii = False
    app.extensions["sohoa"] = services_
    app.extensions["sohoa_web"] = state = make_state(services_)
    app.session_interface = ServerSessionInterface(
        state.accounts.sessions, session_lifetimes(services_.settings.section("web")), auth.cookie_secure
    )
    app.jinja_env.globals.update(
        t=translate,
        label=label,
        lang=current_language,
        csrf_token=auth.csrf_token,
        current_user=auth.current_user,
        department_name=department_name,
        search_params=search_params,
    )
    app.jinja_env.filters.update(
        make_filters(services_.settings.section("center").get("timezone", "Asia/Ho_Chi_Minh"))
    )
    app.before_request(guards.limit_body)  # first: before sign-in is checked and the body read
    app.after_request(guards.no_store)
    for module in (
        auth,
        views_account,
        views_search,
        views_intake,
        views_applicant,
        views_records,
        views_disposal,
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
