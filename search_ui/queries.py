"""Search and document reads shared by the HTML views and the JSON API."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from archive.model import Document
from archive.object_store import ObjectMissing
from archive.search_index import FACET_FIELDS, FILTER_FIELDS, SearchQuery, parse_query
from archive.snippets import make_snippet
from ingest.day_text import iso_day as typed_day
from search_ui.access import Scope
from search_ui.highlight import marked_html

PER_PAGE = 10
MAX_PAGE = 100
SORTS = ("relevance", "date")
USER_FILTERS = ("department", "procedure_code", "doc_type", "role", "year", "dossier_code", "owner_id")

# The tantivy binding's objects are shared by the request threads of one process; one search at
# a time keeps the reader reloads and searcher creation simple and safe.
_INDEX_LOCK = threading.Lock()


@dataclass
class SearchPage:
    """One page of search results, ready for a template or for JSON."""

    query: str
    hits: list[dict]
    total: int
    page: int
    per_page: int
    sort: str
    filters: dict[str, str]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    date_from: str = ""
    date_to: str = ""
    restored_query: str = ""  # the query with restored diacritics, when it differs from ``query``
    exact: bool = False  # searched exactly as typed, without restoring diacritics

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, (self.total + self.per_page - 1) // self.per_page))


def clean_filters(raw: dict[str, str]) -> dict[str, str]:
    """Only the filters users may set, without empty values."""
    return {k: v for k, v in raw.items() if k in USER_FILTERS and k in FILTER_FIELDS and v}


def iso_day(value: str | None) -> str:
    """``value`` (dd/mm/yyyy as typed, or ISO from a link) as an ISO day, else empty (a bad
    date is no filter)."""
    try:
        return typed_day(value or "")
    except ValueError:
        return ""


def _scope_departments(filters: dict[str, str], scope: Scope) -> tuple[str, ...] | None:
    """The departments the index query is limited to (``None``: any); ``()`` when the asked
    department is outside the scope. Limiting inside the engine keeps totals and facet counts
    of other departments out of the answer (a post-filter of hits would not)."""
    if scope.everything:
        return None
    allowed = tuple(sorted(scope.departments or ()))
    wanted = filters.get("department")
    if wanted:
        return (wanted,) if wanted in allowed else ()
    return allowed


def exact_flag(value: str | None) -> bool:
    """``exact=1`` (or true/yes/on) in a URL: search as typed, no restored diacritics."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def search(
    services,
    text: str,
    *,
    filters: dict[str, str],
    page: int = 1,
    sort: str = "relevance",
    scope: Scope,
    per_page: int = PER_PAGE,
    facets: bool = True,
    confirmed=None,
    exact: bool = False,
) -> SearchPage:
    """Run a search inside ``scope``; hits carry the document title and a highlighted snippet.
    ``filters`` may also hold ``from``/``to`` (ISO dates of digitisation, inclusive).
    ``confirmed(doc_id)`` gives the officer-confirmed metadata, whose subject is the better title.
    Words typed without diacritics get them restored from the vocabulary of the departments in
    ``scope`` only (never a word of a document the official may not read); ``exact`` turns that off."""
    page = max(1, min(page, MAX_PAGE))
    sort = sort if sort in SORTS else "relevance"
    date_from, date_to = iso_day(filters.get("from")), iso_day(filters.get("to"))
    filters = clean_filters(filters)
    result_page = SearchPage(
        text, [], 0, page, per_page, sort, filters, date_from=date_from, date_to=date_to, exact=exact
    )
    departments = _scope_departments(filters, scope)
    if departments == () or not (text.strip() or filters or date_from or date_to):
        return result_page
    query = SearchQuery(
        text=text,
        filters=filters,
        departments=departments,
        limit=per_page,
        offset=(page - 1) * per_page,
        sort=sort,
        facets=FACET_FIELDS if facets else (),
        date_from=date_from,
        date_to=date_to,
        restore=not exact,
    )
    with _INDEX_LOCK:
        result = services.index.search(query)
    parts = parse_query(text)
    for hit in result.hits:
        row = services.catalogue.document(hit.document_id)
        if not scope.can_see(row):
            continue  # the index and catalogue disagree (a move not yet reindexed): never leak
        snippet = make_snippet(hit.text, parts)
        confirmation = confirmed(hit.document_id) if confirmed else None
        title = (confirmation or {}).get("fields", {}).get("subject") or (row or {}).get("title", "")
        result_page.hits.append(
            {
                "document_id": hit.document_id,
                "dossier_code": hit.dossier_code,
                "page": hit.page,
                "score": round(hit.score, 4),
                "title": title,
                "doc_type": (row or {}).get("doc_type", ""),
                "department": (row or {}).get("department", ""),
                "digitised_at": (row or {}).get("digitised_at", ""),
                "snippet": snippet.text,
                "highlights": [list(s) for s in snippet.spans],
                "snippet_html": marked_html(snippet),
            }
        )
    result_page.total = result.total
    result_page.facets = result.facets
    result_page.restored_query = result.restored_query
    return result_page


def readable(services, row: dict | None, scope: Scope, linked_into=None) -> bool:
    """A document is readable inside its department's scope, and also where it was reused: a
    document linked into a dossier of the official's department is part of that dossier (Art.
    21a). ``linked_into(doc_id)`` lists the dossier codes a document was linked into."""
    if row is None:
        return False
    if scope.can_see(row):
        return True
    for code in linked_into(row["id"]) if linked_into else ():
        if scope.can_see(services.catalogue.dossier(code)):
            return True
    return False


def visible_links(services, links: list[dict], scope: Scope) -> list[dict]:
    """The reuse links of a document into dossiers the official may see: a dossier of another
    department is neither named nor counted."""
    return [link for link in links if scope.can_see(services.catalogue.dossier(link["dossier_code"]))]


def load_document(services, doc_id: str, scope: Scope, linked_into=None) -> tuple[dict, Document] | None:
    """The catalogue row and manifest of a readable document (see ``readable``), else ``None``.

    Out-of-scope and missing documents look the same to the caller (404), so a URL does not
    tell an official of another department that a document exists."""
    row = services.catalogue.document(doc_id)
    if not readable(services, row, scope, linked_into):
        return None
    try:
        return row, services.repository.load(doc_id)
    except ObjectMissing:
        return None


def document_json(row: dict, doc: Document) -> dict:
    """The API's view of a document: metadata and per-page text."""
    return {
        "id": doc.id,
        "dossier_code": doc.dossier_code,
        "role": doc.role,
        "title": row.get("title", ""),
        "department": doc.department,
        "procedure_code": doc.procedure_code,
        "component_name": doc.component_name,
        "applicant": {"id": doc.applicant.id, "kind": doc.applicant.kind, "name": doc.applicant.name},
        "metadata": {
            "type_name": doc.metadata.type_name,
            "number": doc.metadata.number,
            "issued_date": doc.metadata.issued_date,
            "issuing_organ": doc.metadata.issuing_organ,
            "subject": doc.metadata.subject,
            "signer": doc.metadata.signer,
        },
        "valid_until": doc.valid_until,
        "retention_class": doc.retention_class,
        "retain_until": doc.retain_until,
        "legal_hold": doc.legal_hold,
        "source": doc.source,
        "digitised_by": doc.digitised_by,
        "digitised_at": doc.digitised_at,
        "page_count": doc.page_count,
        "original_sha256": doc.original.sha256 if doc.original else "",
        "archival_sha256": doc.archival.sha256 if doc.archival else "",
        "pages": [
            {"number": p.number, "text": p.text, "confidence": p.confidence, "warnings": p.warnings}
            for p in doc.pages
        ],
    }
