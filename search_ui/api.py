"""The JSON API under ``/api/v1/`` (same roles and scope as the pages)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from search_ui import queries
from search_ui.app import current_scope, services

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _error(status: int, code: str, message: str):
    return jsonify({"error": code, "message": message}), status


@bp.get("/search")
def search():
    try:
        page = int(request.args.get("page", 1))
        per_page = max(1, min(100, int(request.args.get("limit", queries.PER_PAGE))))
    except ValueError:
        return _error(400, "bad_request", "page và limit phải là số nguyên.")
    result = queries.search(services(), request.args.get("q", ""), filters=request.args.to_dict(), page=page,
                            sort=request.args.get("sort", "relevance"), scope=current_scope(),
                            per_page=per_page)
    hits = [{k: v for k, v in h.items() if k != "snippet_html"} for h in result.hits]
    return jsonify({"query": result.query, "total": result.total, "page": result.page,
                    "per_page": result.per_page, "sort": result.sort, "filters": result.filters,
                    "facets": result.facets, "hits": hits})


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    found = queries.load_document(services(), doc_id, current_scope())
    if found is None:
        return _error(404, "not_found", "Không tìm thấy tài liệu.")
    return jsonify(queries.document_json(*found))
