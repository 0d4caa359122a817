"""The Elasticsearch backend without a server: template, query bodies, bulk actions and the
alias swap of a rebuild (against a recording fake client)."""

from __future__ import annotations

import pytest

from archive.indexes import elastic_bodies as bodies
from archive.indexes.elastic_index import BulkError, ElasticIndex
from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.search_index import SearchQuery


def doc(doc_id: str = "d-1", pages: int = 2) -> Document:
    return Document(
        id=doc_id,
        dossier_code="000.00.12.H19-240305-0001",
        department="STP",
        applicant=Applicant(id="075123456789"),
        metadata=DocumentMetadata(type_name="Quyết định"),
        digitised_at="2024-03-05T09:00:00Z",
        pages=[PageText(number=n, text=f"Hồ sơ trang {n}") for n in range(1, pages + 1)],
    )


def test_template_has_vietnamese_analyzers_and_both_fields():
    t = bodies.index_template("sohoa-pages", shards=2, replicas=1)
    assert t["index_patterns"] == ["sohoa-pages-*"]
    settings = t["template"]["settings"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (2, 1)
    analysis = settings["analysis"]
    assert analysis["char_filter"]["vi_d_stroke"] == {"type": "mapping", "mappings": ["đ => d", "Đ => D"]}
    assert analysis["filter"]["vi_ascii"] == {"type": "asciifolding", "preserve_original": True}
    folded = analysis["analyzer"]["vi_folded"]
    assert folded["char_filter"] == ["vi_d_stroke"] and folded["filter"] == ["lowercase", "vi_ascii"]
    assert "vi_ascii" not in analysis["analyzer"]["vi_exact"]["filter"]
    props = t["template"]["mappings"]["properties"]
    assert props["text"]["analyzer"] == "vi_exact"
    assert props["text"]["fields"]["folded"]["analyzer"] == "vi_folded"
    assert all(props[f]["type"] == "keyword" for f in ("document_id", "department", "owner_id", "doc_type"))
    assert props["date"]["type"] == "date"


def test_parts_must_match_folded_and_diacritics_boost_exact():
    q = bodies.search_body(SearchQuery(text='hồ sơ "giấy phép xây dựng" 1748/QĐ-UBND ho'))["query"]["bool"]
    assert q["must"] == [
        {"match": {"text.folded": {"query": "hồ", "operator": "and"}}},
        {"match": {"text.folded": {"query": "sơ", "operator": "and"}}},
        {"match_phrase": {"text.folded": {"query": "giấy phép xây dựng"}}},
        {"match_phrase": {"text.folded": {"query": "1748 qđ ubnd"}}},
        {"match": {"text.folded": {"query": "ho", "operator": "and"}}},
    ]
    boost = bodies.EXACT_BOOST
    assert q["should"] == [
        {"match": {"text": {"query": "hồ", "boost": boost}}},
        {"match": {"text": {"query": "sơ", "boost": boost}}},
        {"match_phrase": {"text": {"query": "giấy phép xây dựng", "boost": boost}}},
        {"match_phrase": {"text": {"query": "1748 qđ ubnd", "boost": boost}}},
    ]  # "ho" has no diacritics: nothing to prefer


def test_text_is_nfc_before_it_is_sent():
    decomposed = "ho\u0302\u0300 so\u031b"  # hồ sơ in NFD
    must = bodies.search_body(SearchQuery(text=decomposed))["query"]["bool"]["must"]
    assert [m["match"]["text.folded"]["query"] for m in must] == ["hồ", "sơ"]


def test_filters_dates_sort_pagination_and_facets():
    body = bodies.search_body(
        SearchQuery(
            text="",
            filters={"department": "STP", "year": 2024},
            limit=0,
            offset=20,
            sort="date",
            facets=("department", "doc_type"),
            date_from="2024-01-01",
            date_to="2024-06-30",
        )
    )
    assert body["size"] == 0 and body["from"] == 20 and body["track_total_hits"] is True
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"department": "STP"}} in filters and {"term": {"year": "2024"}} in filters
    [date_range] = [f["range"]["date"] for f in filters if "range" in f]
    assert date_range == {"format": "epoch_second", "gte": 1704067200, "lte": 1719791999}
    assert body["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    agg = body["aggs"]["department"]
    assert agg["terms"]["field"] == "department"
    assert agg["aggs"]["documents"]["cardinality"]["field"] == "document_id"
    assert "highlight" not in body


def test_empty_query_matches_all_and_bad_fields_raise():
    assert bodies.search_body(SearchQuery())["query"] == {"match_all": {}}
    with pytest.raises(ValueError):
        bodies.search_body(SearchQuery(filters={"nope": "1"}))
    with pytest.raises(ValueError):
        bodies.search_body(SearchQuery(facets=("nope",)))


def test_highlight_on_request():
    body = bodies.search_body(SearchQuery(text="dong nai"), highlight=True)
    assert body["highlight"]["fields"] == {"text.folded": {"fragment_size": 200, "number_of_fragments": 1}}


def test_facet_buckets_count_documents():
    response = {
        "aggregations": {
            "department": {
                "buckets": [
                    {"key": "SXD", "doc_count": 4, "documents": {"value": 2}},
                    {"key": "", "doc_count": 1, "documents": {"value": 1}},
                ]
            }
        }
    }
    assert bodies.facets_from(response, ("department",)) == {"department": {"SXD": 2}}


def test_page_actions_and_stale_pages():
    actions = list(bodies.page_actions(doc(pages=2), "sohoa-pages-x"))
    assert [a["_id"] for a in actions] == ["d-1:1", "d-1:2"]
    src = actions[0]["_source"]
    assert src["text"] == "Hồ sơ trang 1" and src["owner_id"] == "075123456789" and src["page"] == 1
    assert src["date"] == "2024-03-05T09:00:00Z" and "text_folded" not in src
    stale = bodies.stale_pages_query(doc(pages=2))["bool"]["filter"]
    assert {"range": {"page": {"gt": 2}}} in stale


class FakeIndices:
    def __init__(self, log: list, aliases: dict[str, list[str]]) -> None:
        self.log, self.aliases = log, aliases

    def __getattr__(self, name):
        def call(**kw):
            self.log.append((name, kw))
            if name == "exists_alias":
                return bool(self.aliases.get(kw["name"]))
            if name == "get_alias":
                return {i: {} for i in self.aliases.get(kw["name"], [])}
            if name == "update_aliases":
                for action in kw["actions"]:
                    for verb, spec in action.items():
                        names = self.aliases.setdefault(spec["alias"], [])
                        names.remove(spec["index"]) if verb == "remove" else names.append(spec["index"])
            return {}

        return call


class FakeClient:
    def __init__(self, aliases: dict[str, list[str]]) -> None:
        self.log: list = []
        self.indices = FakeIndices(self.log, aliases)


@pytest.fixture
def bulk(monkeypatch):
    sent: list[dict] = []
    refuse: list[bool] = [False]

    def streaming_bulk(client, actions, **kw):
        assert kw["max_retries"] > 0 and kw["chunk_size"] > 0  # back-pressure: 429s are retried
        for action in actions:
            sent.append(action)
            if refuse[0]:
                yield False, {"index": {"_id": action["_id"], "status": 400}}

    monkeypatch.setattr("elasticsearch.helpers.streaming_bulk", streaming_bulk)
    return sent, refuse


def test_rebuild_loads_aside_then_swaps_alias_atomically(bulk):
    sent, _ = bulk
    client = FakeClient({"sohoa-pages": ["sohoa-pages-old"]})
    index = ElasticIndex(client=client, index="sohoa-pages", replicas=1)
    assert index.rebuild(iter([doc("a", 2), doc("b", 1)])) == 2
    calls = [name for name, _ in client.log]
    create = next(
        kw for name, kw in client.log if name == "create" and kw["index"].startswith("sohoa-pages-")
    )
    new = create["index"]
    assert create["settings"] == {"refresh_interval": "-1", "number_of_replicas": 0}
    pages = [a for a in sent if a["_op_type"] == "index"]
    assert {a["_index"] for a in pages} == {new} and len(pages) == 3
    # The statistics are built beside the new pages index, then their alias moves too.
    [vocab] = {a["_index"] for a in sent if a["_op_type"] == "update"}
    assert vocab.startswith("sohoa-pages_vocab-") and client.indices.aliases["sohoa-pages_vocab"] == [vocab]
    swap = next(kw for name, kw in client.log if name == "update_aliases" and new in str(kw))
    assert swap["actions"] == [
        {"remove": {"index": "sohoa-pages-old", "alias": "sohoa-pages"}},
        {"add": {"index": new, "alias": "sohoa-pages", "is_write_index": True}},
    ]
    # restored settings and a refresh happen before the swap; the old index goes after it
    swap_at = next(
        i for i, (name, kw) in enumerate(client.log) if name == "update_aliases" and new in str(kw)
    )
    assert calls.index("put_settings") < swap_at < calls.index("delete")
    assert ("delete", {"index": "sohoa-pages-old"}) in client.log


def test_failed_rebuild_leaves_the_live_index(bulk):
    _, refuse = bulk
    refuse[0] = True
    client = FakeClient({"sohoa-pages": ["sohoa-pages-old"]})
    index = ElasticIndex(client=client, index="sohoa-pages")
    with pytest.raises(BulkError):
        index.rebuild(iter([doc("a", 1)]))
    assert client.indices.aliases["sohoa-pages"] == ["sohoa-pages-old"]
    created = [kw["index"] for name, kw in client.log if name == "create"]
    new = next(i for i in created if i.startswith("sohoa-pages-"))
    assert ("delete", {"index": new}) in client.log
    # The statistics built beside it are dropped too; the live ones stay behind their alias.
    [vocab_live] = client.indices.aliases["sohoa-pages_vocab"]
    assert all(("delete", {"index": i}) in client.log for i in created if i not in (vocab_live,))


class FakeCluster:
    """Just enough of Elasticsearch's HTTP API (recorded, canned answers) to check that the
    official client accepts every call as ElasticIndex makes it and sends our bodies unchanged."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading

        self.requests: list[tuple[str, str, object]] = []
        self.aliases: dict[str, list[str]] = {}
        cluster = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                path = self.path.split("?")[0]
                body = (
                    [json.loads(x) for x in raw.splitlines() if x]
                    if "_bulk" in path
                    else (json.loads(raw) if raw else None)
                )
                cluster.requests.append((self.command, path, body))
                status, payload = cluster.route(self.command, path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _answer

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, path: str, body):
        parts = path.strip("/").split("/")
        if parts[0] == "_alias":
            names = self.aliases.get(parts[1], [])
            return (200 if names else 404), {n: {"aliases": {parts[1]: {}}} for n in names}
        if parts[0] == "_aliases":
            for action in body["actions"]:
                for verb, spec in action.items():
                    names = self.aliases.setdefault(spec["alias"], [])
                    names.remove(spec["index"]) if verb == "remove" else names.append(spec["index"])
            return 200, {"acknowledged": True}
        if parts[-1] == "_bulk":
            ops = [next(iter(a.items())) for a in body[::2]]
            items = [{op: {"_id": meta["_id"], "status": 201}} for op, meta in ops]
            return 200, {"errors": False, "took": 1, "items": items}
        if parts[-1] == "_search":
            hit = {
                "_id": "d-1:1",
                "_score": 2.5,
                "_source": {"document_id": "d-1", "dossier_code": "X", "page": 1, "text": "Hồ sơ"},
            }
            aggs = {"department": {"buckets": [{"key": "STP", "doc_count": 3, "documents": {"value": 1}}]}}
            return 200, {
                "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [hit]},
                "aggregations": aggs,
            }
        return 200, {"acknowledged": True}

    def close(self) -> None:
        self.server.shutdown()


def test_official_client_accepts_every_call(monkeypatch):
    cluster = FakeCluster()
    try:
        index = ElasticIndex(url=cluster.url, index="sohoa-pages", max_retries=1)
        index.add(doc("d-1", 2))
        index.commit()
        query = SearchQuery(text="hồ sơ", facets=("department",), filters={"department": "STP"})
        result = index.search(query)
        index.delete("d-1")
        assert index.rebuild(iter([doc("d-2", 1)])) == 1
    finally:
        cluster.close()
    assert [(h.document_id, h.page, h.score) for h in result.hits] == [("d-1", 1, 2.5)]
    assert result.total == 1 and result.facets == {"department": {"STP": 1}}
    calls = [(m, p) for m, p, _ in cluster.requests]
    assert ("PUT", "/_index_template/sohoa-pages-template") in calls
    searches = [b for m, p, b in cluster.requests if p == "/sohoa-pages/_search"]
    # Before the add: the committed version's words (to take them out of the statistics).
    assert searches[0]["query"] == {"term": {"document_id": "d-1"}}
    assert bodies.search_body(query) in searches
    vocab_bulk = [b for m, p, b in cluster.requests if p.endswith("/_bulk") and "update" in b[0]]
    upserts = [
        (b["upsert"]["department"], b["upsert"]["form"], b["script"]["params"]["n"])
        for b in vocab_bulk[0][1::2]
    ]
    assert ("STP", "trang", 1) in upserts  # d-1's words counted (the canned "committed" page taken back)
    bulks = [b for m, p, b in cluster.requests if p.endswith("/_bulk")]
    assert [a["index"]["_id"] for a in bulks[0][::2]] == ["d-1:1", "d-1:2"]
    assert any(p == "/sohoa-pages/_delete_by_query" for m, p in calls)
    assert cluster.aliases["sohoa-pages"] and len(cluster.aliases["sohoa-pages"]) == 1


def test_vocabulary_upserts_lookup_and_restored_boost():
    from archive.diacritics import VocabularyDelta
    from archive.indexes import elastic_vocabulary as vocab
    from archive.search_index import QueryPart

    delta = VocabularyDelta()
    delta.add("STP", {"hồ sơ", "sơ"})
    delta.add("STP", {"sơ"}, -1)
    [action] = list(vocab.update_actions(delta, "sohoa-pages_vocab"))
    assert action["_id"] == "STP|hồ sơ" and action["upsert"]["folded"] == "ho so"
    assert action["script"]["params"] == {"n": 1} and "ctx.op = 'delete'" in action["script"]["source"]
    assert len(delta) == 0
    body = vocab.lookup_body({"ho so", "tam"}, ("STP",))
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"folded": ["ho so", "tam"]}},
        {"terms": {"department": ["STP"]}},
    ]
    assert "department" not in str(vocab.lookup_body({"tam"}, None)["query"])
    answer = {
        "aggregations": {
            "folds": {
                "buckets": [
                    {
                        "key": "tam",
                        "forms": {
                            "buckets": [
                                {"key": "tạm", "docs": {"value": 5.0}},
                                {"key": "tâm", "docs": {"value": 1.0}},
                            ]
                        },
                    }
                ]
            }
        }
    }
    assert vocab.lookup_from(answer, 2) == {"tam": {"tạm": 5}}
    # Restored parts get the exact-field boost that typed diacritics get; folded stays required.
    query = SearchQuery(text="tam tru")
    clause = bodies.query_clause(query, [QueryPart(("tạm",)), QueryPart(("trú",))])
    assert [c["match"]["text.folded"]["query"] for c in clause["bool"]["must"]] == ["tam", "tru"]
    restored = [c["match"]["text"] for c in clause["bool"]["should"] if "match" in c]
    assert [(c["query"], c["boost"]) for c in restored] == [("tạm", 1.0), ("trú", 1.0)]
    # Bare words typed together: a proximity phrase on the folded field, restored or not.
    proximity = {"match_phrase": {"text.folded": {"query": "tam tru", "boost": bodies.PROXIMITY_BOOST}}}
    assert proximity in clause["bool"]["should"]
    assert bodies.query_clause(query)["bool"]["should"] == [proximity]
    assert "should" not in bodies.query_clause(SearchQuery(text='"tam tru"'))["bool"]
