"""The applicant's data store (``/applicants/<key>``, an opaque key, never the ID): every digitised document of a citizen or
organisation, whether it is still valid, and where it was reused."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, url_for

from ingest.dossiers.reuse import is_valid
from search_ui.access import LIST_ALL_ROLES
from search_ui.applicant_keys import applicant_id_of, applicant_key, is_old_id
from search_ui.current import current_scope, services, web
from search_ui.queries import visible_links

bp = Blueprint("applicants", __name__)


def applicant_store(applicant_id: str) -> dict | None:
    """The data store of ``applicant_id`` as the signed-in official may see it (None: nothing)."""
    svc, state, scope = services(), web(), current_scope()
    dossiers = svc.catalogue.dossiers_of_applicant(applicant_id)
    docs = svc.catalogue.documents_of_owner(applicant_id)
    if g.user.role not in LIST_ALL_ROLES:
        dossiers = [d for d in dossiers if scope.can_see(d)]
        docs = [d for d in docs if scope.can_see(d)]
    if not dossiers and not docs:
        return None
    today = date.today()
    for row in docs:
        row["valid"] = is_valid(row, today)
        row["readable"] = scope.can_see(row)
        links = visible_links(svc, state.intake.links_of_document(row["id"]), scope)
        row["reused_in"] = [link["dossier_code"] for link in links]
    name = next((d["applicant_name"] for d in dossiers if d["applicant_name"]), "")
    kind = next((d["applicant_kind"] for d in dossiers), "citizen")
    return {"id": applicant_id, "name": name, "kind": kind, "dossiers": dossiers, "documents": docs}


def applicant_url(applicant_id: str) -> str:
    """The address of an applicant's data store: an opaque key, never the ID itself."""
    return url_for("applicants.store", key=applicant_key(applicant_id))


@bp.get("/applicants/<key>")
def store(key: str):
    """The data store behind an opaque key; an old ``/applicants/<ID>`` bookmark redirects once."""
    applicant_id = applicant_id_of(key)
    if applicant_id is None:
        if is_old_id(key):
            return redirect(applicant_url(key), code=301)
        abort(404)
    found = applicant_store(applicant_id)
    if found is None:
        abort(404)
    return render_template("applicant.html", store=found)


@bp.post("/applicants/lookup")
def lookup():
    """Looking an applicant up by ID: the ID travels in the body, the answer is the keyed page."""
    applicant_id = request.form.get("applicant_id", "").strip()
    if not is_old_id(applicant_id):
        abort(404)
    return redirect(applicant_url(applicant_id))


def _store_json(applicant_id: str):
    found = applicant_store(applicant_id)
    if found is None:
        return jsonify({"error": "not_found", "message": "Không có dữ liệu của người này."}), 404
    return jsonify(dict(found, key=applicant_key(applicant_id)))


@bp.get("/api/v1/applicants/<key>")
def store_json(key: str):
    """The data store as JSON, by opaque key (the ID goes through ``POST /api/v1/applicants``)."""
    applicant_id = applicant_id_of(key)
    if applicant_id is None:
        return jsonify({"error": "not_found", "message": "Không có dữ liệu của người này."}), 404
    return _store_json(applicant_id)


@bp.post("/api/v1/applicants")
def lookup_json():
    """Look an applicant up by ID in the JSON body ``{"applicant_id": ...}``."""
    body = request.get_json(silent=True)
    applicant_id = body.get("applicant_id") if isinstance(body, dict) else None
    if not isinstance(applicant_id, str) or not is_old_id(applicant_id.strip()):
        return jsonify({"error": "invalid_applicant_id", "message": "Số định danh không hợp lệ."}), 400
    return _store_json(applicant_id.strip())


@bp.get("/dossiers")
def dossiers():
    """The latest dossiers of the official's departments, newest first (``?q=`` code or applicant)."""
    scope, q = current_scope(), request.args.get("q", "").strip()
    found = [r for r in services().catalogue.find_dossiers(q, 500) if scope.can_see(r)][:50]
    return render_template("dossiers.html", dossiers=found, q=q)


@bp.get("/dossiers/<code>")
def dossier(code: str):
    """A dossier as reviewers see it: its own documents and those reused into it."""
    svc, state = services(), web()
    row = svc.catalogue.dossier(code)
    if not current_scope().can_see(row):
        abort(404)
    own = svc.catalogue.documents_of_dossier(code)
    reused = [
        dict(d, linked=link)
        for link in state.intake.links_of_dossier(code)
        if (d := svc.catalogue.document(link["document_id"]))
    ]
    return render_template("dossier.html", dossier=row, documents=own, reused=reused)
