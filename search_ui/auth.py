"""Sign-in, the department scope, CSRF on every form and the purpose of reading.

Every endpoint needs a signed-in official except the few in ``PUBLIC``. Every unsafe request
(POST...) must carry the session's CSRF token, in the form field ``csrf_token`` or the header
``X-CSRF-Token``. Reading a citizen's document needs a purpose ("why"), asked once per session
and written into the access log with each read.
"""

from __future__ import annotations

import hmac
import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from search_ui import read_once
from search_ui.access import Scope, scope_for
from search_ui.access_log import PURPOSES
from search_ui.accounts import AccountError, Role, Throttled, User
from search_ui.current import web
from search_ui.i18n import translate as t
from search_ui.passwords import MIN_LENGTH

bp = Blueprint("auth", __name__)
PUBLIC = {"auth.login", "static", "api.openapi", "api.session_login", "auth.set_language"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HOME_BY_ROLE = {
    Role.INTAKE: "intake.start",
    Role.REVIEWER: "search.search",
    Role.RECORDS: "records.overview",
    Role.ADMIN: "admin.users",
}


def cookie_secure(app) -> bool:
    """Session cookies are marked Secure over HTTPS and on loopback (browsers accept Secure cookies
    there), or always/never as ``[web] secure_cookies`` says (true | false | "auto")."""
    mode = app.config.get("SOHOA_SECURE_COOKIES", "auto")
    if mode != "auto":
        return bool(mode)
    host = (request.host or "").rsplit(":", 1)[0]
    return request.is_secure or host in ("localhost", "127.0.0.1", "[::1]")


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _is_api() -> bool:
    return request.path.startswith("/api/")


@bp.before_app_request
def _load_user():
    g.user, g.scope = None, Scope(frozenset())
    login = session.get("login")
    user = web().accounts.get(login) if login else None
    if user is not None and not user.disabled:
        g.user, g.scope = user, scope_for(user.role, user.department, user.granted)
    # Sign-in first: an anonymous request is answered before its body is read (the CSRF check
    # below parses the form).
    if g.user is None and request.endpoint not in PUBLIC and request.endpoint is not None:
        if _is_api():
            return jsonify({"error": "unauthenticated", "message": "Cần đăng nhập."}), 401
        if request.method not in SAFE_METHODS:
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path))
    if request.method not in SAFE_METHODS and request.endpoint not in ("api.session_login",):
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
        # Bytes: compare_digest refuses non-ASCII str, and a hostile token must not cause a 500.
        if not (session.get("csrf") and hmac.compare_digest(sent.encode(), session["csrf"].encode())):
            if _is_api():
                return jsonify({"error": "csrf", "message": "Thiếu hoặc sai mã CSRF."}), 400
            abort(400, description=t("csrf_failed"))
    return None


def account_error(exc: AccountError) -> str:
    """A refused account change in the page's language (refused passwords say why)."""
    return t("password_" + exc.code, n=MIN_LENGTH) if exc.code else str(exc)


def roles(*allowed: Role):
    """Limit a view to officials with one of the ``allowed`` roles (403 otherwise)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.user is None or g.user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def start_session(user: User) -> None:
    """A fresh session for ``user`` (a new id and CSRF token: no session fixation)."""
    lang = session.get("lang")
    session.clear()
    session.renew()  # type: ignore[attr-defined]  # a ServerSession: a new token is issued
    session["login"] = user.login
    session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
    if user.role == Role.INTAKE:
        # Counter staff read documents only to take in and process dossiers: that is their purpose.
        session["purpose"], session["purpose_note"] = "processing", ""


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    try:
        user = web().accounts.authenticate(
            request.form.get("login", ""), request.form.get("password", ""), request.remote_addr or ""
        )
    except Throttled:
        flash(t("login_throttled"), "error")
        return render_template("login.html", next=request.form.get("next", "")), 429
    if user is None:
        flash(t("login_failed"), "error")
        return render_template("login.html", next=request.form.get("next", "")), 401
    start_session(user)
    return redirect(_safe_next(request.form.get("next")) or url_for(HOME_BY_ROLE[user.role]))


@bp.post("/logout")
def logout():
    """Sign out: every session of this official ends (a copied cookie stops working too)."""
    if g.user is not None:
        web().accounts.sessions.end_all(g.user.login)
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Officials change their own password (the first administrator's printed one, first of all)."""
    if request.method == "POST":
        accounts = web().accounts
        try:
            ok = accounts.authenticate(
                g.user.login, request.form.get("current", ""), request.remote_addr or ""
            )
        except Throttled:
            ok = None
        if ok is None:
            flash(t("login_failed"), "error")
        elif request.form.get("new", "") != request.form.get("repeat", ""):
            flash(t("passwords_differ"), "error")
        else:
            try:
                accounts.set_password(g.user.login, request.form.get("new", ""))
            except AccountError as exc:
                flash(account_error(exc), "error")
            else:
                start_session(g.user)  # a new session id after a credential change
                flash(t("password_changed"), "ok")
                return redirect(url_for(HOME_BY_ROLE[g.user.role]))
    return render_template("password.html")


@bp.get("/lang/<code>")
def set_language(code: str):
    session["lang"] = code if code in ("vi", "en") else "vi"
    return redirect(_safe_next(request.args.get("next")) or url_for("search.search"))


@bp.route("/purpose", methods=["GET", "POST"])
def purpose():
    """Why the official reads citizens' documents in this session (written into the access log)."""
    if request.method == "POST":
        chosen = request.form.get("purpose", "")
        note = request.form.get("note", "").strip()[:200]
        if chosen not in PURPOSES or (chosen == "other" and not note):
            flash(t("purpose_invalid"), "error")
        else:
            session["purpose"], session["purpose_note"] = chosen, note
            return redirect(_safe_next(request.form.get("next")) or url_for("search.search"))
    return render_template("purpose.html", purposes=PURPOSES, next=request.values.get("next", ""))


def read_purpose() -> tuple[str, str] | None:
    """The purpose of this read: the API's ``purpose`` parameter, else the session's."""
    given = request.args.get("purpose") or request.headers.get("X-Purpose")
    if given:
        return (given, "") if given in PURPOSES else None
    if session.get("purpose") in PURPOSES:
        return session["purpose"], session.get("purpose_note", "")
    return None


def log_read(row: dict, action: str, *, once: bool = False) -> bool:
    """Record a read of the document ``row``; False when no purpose was given (nothing is read).
    With ``once`` (a page view), a view this session logged a moment ago is not logged again."""
    why = read_purpose()
    if why is None:
        return False
    if once:
        if read_once.already_logged(row["id"], why[0]):
            return True
        read_once.remember(row["id"], why[0])
    user = g.user
    web().access_log.record(
        login=user.login,
        role=user.role,
        department=user.department,
        action=action,
        document_id=row["id"],
        owner_id=row.get("owner_id", ""),
        purpose=why[0],
        note=why[1],
        address=request.remote_addr or "",
    )
    return True
