"""Scoped counts (issue 21): search hits, totals and facet counts, by the pages and by the API,
are computed only over what the official may see. Contract: a reviewer of TP with XD granted
gets, for every query, exactly the sum of what a TP reviewer and an XD reviewer get, and nothing
of a third department (LD) whose documents match the same queries."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from archive.model import Applicant, Document, DocumentMetadata, PageText
from search_ui.accounts import Accounts
from search_ui.app import create_app
from tests.support.archive_doc import store_document
from tests.web_fixtures import PASSWORD, login

pytestmark = pytest.mark.slow
pytest_plugins = ["tests.web_fixtures"]
HIDDEN_OWNER = "036090005555"  # a citizen whose only document is in LD
QUERIES = [
    {"q": "giấy"},
    {"q": "giay phep xay dung"},
    {"q": "kết hôn"},
    {"q": "chung nhan"},
    {"q": "giấy", "sort": "date"},
    {"q": "giấy", "year": "2026"},
    {"q": "giấy", "doc_type": "Giấy phép"},
    {"q": "giấy", "department": "LD"},
    {"q": "", "department": "LD"},
    {"q": "", "owner_id": HIDDEN_OWNER},
    {"q": "", "from": "2020-01-01"},
    {"q": "", "year": "2026"},
]


def _doc(n: int, department: str, owner: str, text: str) -> Document:
    return Document(
        id=f"HS-SCOPE-{department}-{n}.001",
        dossier_code=f"HS-SCOPE-{department}-{n}",
        department=department,
        role="result",
        applicant=Applicant(id=owner),
        metadata=DocumentMetadata(type_name="Giấy phép", subject=text),
        retain_until="2046-12-31",
        digitised_at="2026-03-04T05:06:07+00:00",
        pages=[PageText(1, text)],
    )


@pytest.fixture(scope="module")
def scoped(web_data):
    """Documents in TP, XD and LD matching the same words; reviewers of each and a TP+XD one."""
    svc = web_data.services
    texts = ["giấy phép xây dựng nhà ở", "giấy chứng nhận đăng ký kết hôn"]
    for dept, owner in (("TP", "001203004567"), ("XD", "079188001234"), ("LD", HIDDEN_OWNER)):
        for n, text in enumerate(texts):
            if svc.catalogue.document(f"HS-SCOPE-{dept}-{n}.001") is None:
                store_document(svc, _doc(n, dept, owner, text))
    accounts = Accounts(svc.settings.state_db)
    for login_, dept, granted in (
        ("sc.tp", "TP", ()),
        ("sc.xd", "XD", ()),
        ("sc.ld", "LD", ()),
        ("sc.multi", "TP", ("XD",)),
    ):
        if accounts.get(login_) is None:
            accounts.add(login_, PASSWORD, "reviewer", dept, granted=granted)
    app = create_app(svc, config={"TESTING": True})
    clients = {}
    for login_ in ("sc.tp", "sc.xd", "sc.ld", "sc.multi"):
        clients[login_] = app.test_client()
        login(clients[login_], login_)
    return clients


def _api(client, params: dict) -> dict:
    resp = client.get("/api/v1/search", query_string={**params, "limit": 100})
    assert resp.status_code == 200, resp.data
    return resp.get_json()


def _summed(*answers: dict) -> tuple[int, dict, Counter]:
    total, facets, hits = 0, {}, Counter()
    for a in answers:
        total += a["total"]
        for name, buckets in a["facets"].items():
            for value, n in buckets.items():
                facets.setdefault(name, Counter())[value] += n
        hits.update(h["document_id"] for h in a["hits"])
    return total, {k: dict(v) for k, v in facets.items() if v}, hits


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_api_counts_of_a_multi_department_reviewer_are_the_sum_of_its_departments(scoped, params):
    multi = _api(scoped["sc.multi"], params)
    singles = [_api(scoped[c], params) for c in ("sc.tp", "sc.xd")]
    total, facets, hits = _summed(*singles)
    assert multi["total"] == total, (multi["total"], total)
    assert {k: v for k, v in multi["facets"].items() if v} == facets
    assert Counter(h["document_id"] for h in multi["hits"]) == hits
    assert "LD" not in multi["facets"].get("department", {})
    assert HIDDEN_OWNER not in str([multi["hits"], multi["facets"]])


def test_the_hidden_department_really_matches_those_queries(scoped):
    """The LD reviewer finds what the others must not count (else the contract proves nothing)."""
    ld = _api(scoped["sc.ld"], {"q": "giấy"})
    assert ld["total"] >= 2 and ld["facets"]["department"] == {"LD": 2}
    assert _api(scoped["sc.ld"], {"q": "", "owner_id": HIDDEN_OWNER})["total"] == 2


def test_owner_filter_is_no_yes_no_oracle(scoped):
    """The finding: ``owner_id=`` of a citizen with documents elsewhere gave total=1, hits=0."""
    for who in ("sc.multi", "sc.tp", "sc.xd"):
        answer = _api(scoped[who], {"q": "", "owner_id": HIDDEN_OWNER})
        assert answer["total"] == 0 and answer["hits"] == [] and not any(answer["facets"].values())


def _page_numbers(html: str) -> tuple[int, dict[str, int]]:
    """The total and the department facet's counts as the search page shows them (by the code in
    each bucket's title: the label is the department's name)."""
    total = int(re.search(r'class="total">\D*(\d+)', html).group(1))
    section = re.search(r'data-facet="department">(.*?)</section>', html, re.S)
    buckets = re.findall(
        r'title="([^"]+)">[^<>]+</a> <span class="count">(\d+)</span>', section.group(1) if section else ""
    )
    return total, {v.strip(): int(n) for v, n in buckets}


@pytest.mark.parametrize("params", [*QUERIES[:4], QUERIES[9]], ids=str)
def test_search_page_counts_match_the_api_and_stay_in_scope(scoped, params):
    for who in ("sc.multi", "sc.tp"):
        resp = scoped[who].get("/search", query_string=params)
        assert resp.status_code == 200
        html = resp.get_data(as_text=True)
        api = _api(scoped[who], params)
        total, departments = _page_numbers(html)
        assert total == api["total"]
        assert departments == api["facets"].get("department", {})
        assert "LD" not in departments


def test_reuse_into_another_departments_dossier_is_not_named(web_data, scoped):
    """A TP document reused into an XD dossier: the TP reviewer is not told the XD dossier's code
    (document page, API), the reviewer holding both departments is."""
    from ingest.dossiers.records import DossierRecords

    svc = web_data.services
    doc_id, xd_code = "HS-SCOPE-TP-9.001", "HS-SCOPE-XD-REUSING"
    if svc.catalogue.document(doc_id) is None:
        store_document(svc, _doc(9, "TP", HIDDEN_OWNER, "giấy khai sinh"))
        svc.catalogue.ensure_dossier(xd_code, applicant_id=HIDDEN_OWNER, department="XD")
        DossierRecords(svc.settings.state_db).link(doc_id, xd_code, "test")
    tp = scoped["sc.tp"]
    assert tp.get(f"/api/v1/documents/{doc_id}?purpose=processing").get_json()["reused_in"] == []
    page = tp.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and xd_code not in page.get_data(as_text=True)
    multi = scoped["sc.multi"].get(f"/api/v1/documents/{doc_id}?purpose=processing").get_json()
    assert multi["reused_in"] == [xd_code]
