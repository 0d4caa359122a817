"""Administrator pages: officials' accounts (named logins, role, department)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from search_ui.accounts import ROLES, AccountError, Role
from search_ui.auth import account_error, roles
from search_ui.current import services, web
from search_ui.i18n import translate as t

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles(Role.ADMIN)
def users(typed: dict | None = None, status: int = 200):
    page = render_template(
        "admin_users.html",
        users=web().accounts.all(),
        roles=ROLES,
        departments=services().procedures.departments,
        typed=typed or {},
    )
    return page, status


@bp.post("/users")
@roles(Role.ADMIN)
def add_user():
    form = request.form
    granted = tuple(d.strip() for d in form.get("granted", "").split(",") if d.strip())
    try:
        user = web().accounts.add(
            form.get("login", ""),
            form.get("password", ""),
            form.get("role", ""),
            form.get("department", ""),
            form.get("name", ""),
            granted,
        )
    except AccountError as exc:  # the form again with what was typed (not the password)
        flash(account_error(exc), "error")
        return users({k: v for k, v in form.items() if k not in ("password", "csrf_token")}, 422)
    else:
        web().audit("user.add", g.user.login, user.login, {"role": user.role, "department": user.department})
        flash(t("user_added", login=user.login), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<login>/disabled")
@roles(Role.ADMIN)
def set_disabled(login: str):
    disabled = request.form.get("disabled") == "1"
    if login == g.user.login and disabled:
        flash(t("cannot_disable_self"), "error")
    else:
        web().accounts.set_disabled(login, disabled)
        flash(t("user_updated", login=login), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<login>/role")
@roles(Role.ADMIN)
def set_role(login: str):
    """Change an official's role, department and granted departments (their sessions end)."""
    form = request.form
    granted = tuple(d.strip() for d in form.get("granted", "").split(",") if d.strip())
    try:
        user = web().accounts.set_role(login, form.get("role", ""), form.get("department", ""), granted)
    except AccountError as exc:
        flash(account_error(exc), "error")
    else:
        details = {"role": user.role, "department": user.department, "granted": list(user.granted)}
        web().audit("user.role", g.user.login, user.login, details)
        flash(t("role_changed", login=login), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<login>/password")
@roles(Role.ADMIN)
def reset_password(login: str):
    """Set a new password for an official who lost theirs (their sessions end); the admin hands
    it over in person. The password is checked like any other and never logged."""
    if web().accounts.get(login) is None:
        flash(t("no_such_user", login=login), "error")
        return redirect(url_for("admin.users"))
    try:
        web().accounts.set_password(login, request.form.get("password", ""))
    except AccountError as exc:
        flash(account_error(exc), "error")
    else:
        web().audit("user.password", g.user.login, login, {})
        flash(t("password_reset_done", login=login), "ok")
    return redirect(url_for("admin.users"))
