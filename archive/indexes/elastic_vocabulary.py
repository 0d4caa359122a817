"""The diacritics statistics (``archive.diacritics``) of the Elasticsearch backend: a side index.

Alias ``<pages alias>_vocab`` (outside the pages template's ``<alias>-*`` pattern) over one
physical index; one entry per (department, form) with its fold and its document count. Every
worker adds its changes with scripted upserts (``retry_on_conflict``: workers on several machines
may touch the same form); an entry whose count falls to zero deletes itself. A rebuild fills a
new physical index beside the new pages index and both aliases move after it.
Request bodies are pure functions, unit-tested without a server.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator

from archive.diacritics import VocabularyDelta

MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "department": {"type": "keyword"},
        "form": {"type": "keyword"},
        "folded": {"type": "keyword"},
        "docs": {"type": "long"},
    },
}
# Count up or down; an entry no document holds any more goes away.
SCRIPT = "ctx._source.docs += params.n; if (ctx._source.docs <= 0) { ctx.op = 'delete' }"
MAX_FORMS = 64  # forms of one fold (tâm, tám, tạm, tầm...): a handful in practice


def vocab_alias(pages_alias: str) -> str:
    return f"{pages_alias}_vocab"


def entry_id(department: str, form: str) -> str:
    return f"{department}|{form}"


def update_actions(delta: VocabularyDelta, index: str) -> Iterator[dict]:
    """Bulk scripted upserts for the changes of ``delta`` (emptied)."""
    for department, form, folded, n in delta.take():
        yield {
            "_op_type": "update",
            "_index": index,
            "_id": entry_id(department, form),
            "retry_on_conflict": 5,
            "script": {"source": SCRIPT, "lang": "painless", "params": {"n": n}},
            "upsert": {"department": department, "form": form, "folded": folded, "docs": n},
        }


def lookup_body(folded: Collection[str], departments: Collection[str] | None) -> dict:
    """Sum the document counts per fold and form over the official's departments."""
    filters: list[dict] = [{"terms": {"folded": sorted(folded)}}]
    if departments is not None:
        filters.append({"terms": {"department": sorted(departments)}})
    return {
        "size": 0,
        "query": {"bool": {"filter": filters}},
        "aggs": {
            "folds": {
                "terms": {"field": "folded", "size": max(1, len(folded))},
                "aggs": {
                    "forms": {
                        "terms": {"field": "form", "size": MAX_FORMS},
                        "aggs": {"docs": {"sum": {"field": "docs"}}},
                    }
                },
            }
        },
    }


def lookup_from(response: dict, min_documents: int) -> dict[str, dict[str, int]]:
    """{fold: {form: documents}} of a lookup answer, keeping forms of ``min_documents`` or more."""
    out: dict[str, dict[str, int]] = {}
    for fold_bucket in response.get("aggregations", {}).get("folds", {}).get("buckets", []):
        for form in fold_bucket.get("forms", {}).get("buckets", []):
            docs = int(form["docs"]["value"] or 0)
            if docs >= max(1, min_documents):
                out.setdefault(fold_bucket["key"], {})[form["key"]] = docs
    return out


class ElasticVocabulary:
    """The statistics store of one pages alias (``ensure`` before use)."""

    def __init__(self, es, pages_alias: str, bulk, min_documents: int = 2) -> None:
        self.es, self.alias, self._bulk = es, vocab_alias(pages_alias), bulk
        self.min_documents = min_documents
        self.index = self.alias  # where writes go: the alias, or a rebuild's new physical index

    def physical(self) -> list[str]:
        if not self.es.indices.exists_alias(name=self.alias):
            return []
        return sorted(self.es.indices.get_alias(name=self.alias).keys())

    def new_physical(self) -> str:
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
        self.es.indices.create(index=name, mappings=MAPPINGS, settings={"number_of_shards": 1})
        return name

    def ensure(self) -> None:
        if not self.physical():
            name = self.new_physical()
            self.es.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])

    def apply(self, delta: VocabularyDelta) -> None:
        if len(delta):
            self._bulk(update_actions(delta, self.index))
            self.es.indices.refresh(index=self.index)

    def clear(self) -> None:
        self.es.delete_by_query(
            index=self.alias, body={"query": {"match_all": {}}}, conflicts="proceed", refresh=True
        )

    def lookup(
        self, folded: Collection[str], departments: Collection[str] | None
    ) -> dict[str, dict[str, int]]:
        if not folded or (departments is not None and not departments):
            return {}
        response = self.es.search(index=self.alias, body=lookup_body(folded, departments))
        return lookup_from(getattr(response, "body", response), self.min_documents)

    def swap(self, new: str) -> None:
        """Point the alias at ``new`` (a rebuild's) and drop the old physical indexes."""
        old = self.physical()
        actions: list[dict] = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.es.indices.update_aliases(actions=actions)
        for name in old:
            self.es.indices.delete(index=name)
        self.index = self.alias
