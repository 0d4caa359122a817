"""The OpenAPI 3.1 description of ``/api/v1/``."""

from __future__ import annotations

from ingest.dossiers.records import CONFIRM_FIELDS
from search_ui.access_log import PURPOSES


def _op(summary: str, params: list[dict] | None = None, body: dict | None = None, roles: str = "any") -> dict:
    op = {
        "summary": summary,
        "description": f"Roles: {roles}. Department scope applies.",
        "parameters": params or [],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {}}},
            "401": {"description": "not signed in"},
            "403": {"description": "role not allowed"},
            "404": {"description": "missing or outside the official's departments"},
        },
    }
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _path(name: str, description: str = "") -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


def _query(name: str, description: str, kind: str = "string", enum: list | None = None) -> dict:
    schema: dict = {"type": kind}
    if enum:
        schema["enum"] = enum
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def spec() -> dict:
    filters = [
        _query(f, f"filter on {f}") for f in ("department", "procedure_code", "doc_type", "role", "year")
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "sohoa API",
            "version": "1",
            "description": "Số hóa hồ sơ: search and read digitised dossiers. Sign in with POST /session; "
            "send X-CSRF-Token on POST.",
        },
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sohoa_session"}}
        },
        "security": [{"session": []}],
        "paths": {
            "/api/v1/session": {
                "post": _op(
                    "Sign in; returns the CSRF token",
                    body={
                        "type": "object",
                        "required": ["login", "password"],
                        "properties": {"login": {"type": "string"}, "password": {"type": "string"}},
                    },
                )
            },
            "/api/v1/search": {
                "get": _op(
                    "Search pages (with or without diacritics, phrases in quotes)",
                    [
                        _query("q", "query text"),
                        _query("page", "1-based page", "integer"),
                        _query("limit", "hits per page (max 100)", "integer"),
                        _query("sort", "order", enum=["relevance", "date"]),
                        _query("from", "digitised on or after (YYYY-MM-DD)"),
                        _query("to", "digitised on or before"),
                        _query(
                            "exact",
                            "1: search exactly as typed (no restored diacritics; the answer's "
                            "restored_query says how an unaccented query was read)",
                            enum=["0", "1"],
                        ),
                        *filters,
                    ],
                )
            },
            "/api/v1/documents/{doc_id}": {
                "get": _op(
                    "A document's metadata and page text (the read is logged); certified_copy: its signed"
                    " copy verified (state signed|queued|none, valid, signer, signed_at, level, problems)",
                    [_path("doc_id"), _query("purpose", "why the document is read", enum=list(PURPOSES))],
                )
            },
            "/api/v1/documents/{doc_id}/confirm": {
                "post": _op(
                    "Confirm a document's metadata (a revision in the archive)",
                    [_path("doc_id")],
                    roles="intake, admin",
                    body={"type": "object", "properties": {k: {"type": "string"} for k in CONFIRM_FIELDS}},
                )
            },
            "/api/v1/documents/{doc_id}/hold": {
                "post": _op(
                    "Set or release the legal hold",
                    [_path("doc_id")],
                    roles="records, admin",
                    body={
                        "type": "object",
                        "required": ["on", "reason"],
                        "properties": {"on": {"type": "boolean"}, "reason": {"type": "string"}},
                    },
                )
            },
            "/api/v1/documents/{doc_id}/retention": {
                "post": _op(
                    "Extend retention (never shorten)",
                    [_path("doc_id")],
                    roles="records, admin",
                    body={
                        "type": "object",
                        "required": ["until", "reason"],
                        "properties": {
                            "until": {"type": "string", "format": "date"},
                            "reason": {"type": "string"},
                        },
                    },
                )
            },
            "/api/v1/applicants/{key}": {
                "get": _op("The applicant's data store by its opaque key", [_path("key")])
            },
            "/api/v1/applicants": {
                "post": _op(
                    "Look an applicant up by ID (the ID in the body, never in a URL)",
                    body={
                        "type": "object",
                        "required": ["applicant_id"],
                        "properties": {"applicant_id": {"type": "string"}},
                    },
                )
            },
            "/api/v1/dossiers": {
                "post": _op(
                    "Open a dossier (code issued unless given)",
                    body={
                        "type": "object",
                        "required": ["procedure_code", "applicant_id"],
                        "properties": {
                            k: {"type": "string"}
                            for k in (
                                "procedure_code",
                                "applicant_id",
                                "applicant_name",
                                "channel",
                                "dossier_code",
                            )
                        },
                    },
                    roles="intake, admin",
                )
            },
            "/api/v1/dossiers/{code}": {
                "get": _op("A dossier, its documents, reuse links and jobs", [_path("code")])
            },
            "/api/v1/dossiers/{code}/files": {
                "post": {
                    **_op(
                        "Upload scans; OCR runs in the worker",
                        [
                            _path("code"),
                            {
                                "name": "Idempotency-Key",
                                "in": "header",
                                "required": False,
                                "schema": {"type": "string"},
                                "description": "repeat it when retrying: the same upload makes no second document",
                            },
                        ],
                        roles="intake, admin",
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "files": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                        },
                                        "role": {"type": "string", "enum": ["component", "result", "notice"]},
                                        "component_name": {"type": "string"},
                                        "paper_kind": {
                                            "type": "string",
                                            "description": "ban_chinh (default), ban_sao or ban_sao_chung_thuc",
                                        },
                                        "one_document": {
                                            "type": "string",
                                            "enum": ["0", "1"],
                                            "description": "1: the files' pages, in the order sent, make one"
                                            " document (one job, one answer); a refused file refuses them all",
                                        },
                                    },
                                }
                            }
                        },
                    },
                }
            },
            "/api/v1/dossiers/{code}/jobs": {
                "get": _op("OCR progress of a dossier's uploads", [_path("code")], roles="intake, admin")
            },
            "/api/v1/dossiers/{code}/reuse": {
                "post": _op(
                    "Link an applicant's digitised document into the dossier (no second copy)",
                    [_path("code")],
                    body={
                        "type": "object",
                        "required": ["document_id"],
                        "properties": {"document_id": {"type": "string"}},
                    },
                    roles="intake, admin",
                )
            },
            "/api/v1/dossiers/{code}/reuse/{doc_id}": {
                "delete": _op(
                    "Remove a reuse link made by mistake (recorded in the audit log)",
                    [_path("code"), _path("doc_id")],
                    roles="intake, admin",
                )
            },
            "/api/v1/stats": {
                "get": _op(
                    "Monthly statistics by department", [_query("month", "YYYY-MM")], roles="records, admin"
                )
            },
        },
    }
