"""Accessors of the running app's parts for views (as the Flask tutorial's ``get_db``).

They live in a module of their own so that the view modules need not import the app factory's
module, which imports them: no import cycle. ``create_app`` puts the wired services and the web
app's stores into ``app.extensions``; these functions read them back inside a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app, g

from archive.audit import AuditFn
from ingest.dossiers.records import DossierRecords
from search_ui.access import Scope
from search_ui.access_log import AccessLog
from search_ui.accounts import Accounts, User

if TYPE_CHECKING:  # the composition root is the top floor: named for the type checker only
    from sohoa.wiring import Services


@dataclass
class WebState:
    """The web app's own stores."""

    accounts: Accounts
    access_log: AccessLog
    intake: DossierRecords  # reuse links, re-scans, confirmations
    audit: AuditFn


def services() -> Services:
    """The ``sohoa.wiring.Services`` of this app."""
    return current_app.extensions["sohoa"]


def web() -> WebState:
    """The web app's stores (accounts, access log, dossier records)."""
    return current_app.extensions["sohoa_web"]


def current_scope() -> Scope:
    """The department scope of the signed-in official (nothing without one)."""
    return getattr(g, "scope", Scope(frozenset()))


def current_user() -> User | None:
    return getattr(g, "user", None)


def department_name(code: str) -> str:
    """The department's name for its code (``[catalogue.departments]``), else ''."""
    return services().procedures.department_name(code)


def facet_label(name: str, value: str) -> str:
    """What a search facet shows for ``value``: a department's or procedure's name rather than
    its code (an official knows "Sở Tư pháp", not "TP"); other facets as they are."""
    catalogue = services().procedures
    if name == "department":
        return catalogue.department_name(value) or value
    if name == "procedure_code":
        procedure = catalogue.procedures.get(value)
        return procedure.name if procedure else value
    return value
