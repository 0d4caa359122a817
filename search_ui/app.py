"""The Flask app factory: ``create_app(services)``.

The web process only reads the search index (the worker is the only writer); uploads become
durable jobs that the worker runs.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, current_app, g

from search_ui.access import EVERYTHING, Scope
from search_ui.i18n import current_language, translate

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def _secret_key(data_dir: Path) -> bytes:
    """A per-installation key for signing session cookies, made on first start (mode 0600)."""
    path = data_dir / "web-secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(secrets.token_bytes(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_bytes()


def services():
    """The ``sohoa.wiring.Services`` of this app."""
    return current_app.extensions["sohoa"]


def current_scope() -> Scope:
    """The department scope of the request (set by the auth layer; everything without one)."""
    return getattr(g, "scope", EVERYTHING)


def create_app(services_, *, config: dict | None = None) -> Flask:
    """Build the web app around the wired ``services_`` (store, index, catalogue, jobs...)."""
    app = Flask(__name__)
    web = services_.settings.section("web")
    app.config.update(
        SECRET_KEY=_secret_key(services_.settings.data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(web.get("secure_cookies", False)),
        SESSION_COOKIE_NAME="sohoa_session",
        PERMANENT_SESSION_LIFETIME=int(web.get("session_minutes", 480)) * 60,
        MAX_CONTENT_LENGTH=int(services_.settings.section("limits").get("max_file_bytes", 100 << 20)) * 20,
        JSON_AS_ASCII=False,
    )
    app.config.update(config or {})
    app.json.ensure_ascii = False
    app.extensions["sohoa"] = services_
    app.jinja_env.globals.update(t=translate, lang=current_language)

    from search_ui import api, views_search

    app.register_blueprint(views_search.bp)
    app.register_blueprint(api.bp)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app
