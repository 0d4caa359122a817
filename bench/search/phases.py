"""The phases of the search bench, each run in a child process so its peak RSS is its own.

``build``    corpus -> index (``SearchIndex.rebuild``), writes sample values for the queries.
``queries``  the five query types, p50/p95 each, on a warm index.
``archive``  corpus -> manifests in a ``LocalStore`` (the archive reindex reads).
``reindex``  archive -> index with ``archive.reindex.reindex``, sampling RSS as it streams.
Each phase prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from archive.model import MANIFEST_NAME, Document, document_key
from archive.search_index import SearchIndex, SearchQuery, parse_query
from archive.snippets import make_snippet
from bench.search.corpus import CorpusSpec, documents

COMMON = (
    "hồ sơ",
    "quyết định",
    "giấy phép",
    "ủy ban",
    "ho so",
    "dat dai",
    "sử dụng đất",
    "thủ tục",
    "chứng nhận",
    "xây dựng",
)
# Typed without diacritics: restored from the index's statistics, then ranked (restoration on).
UNACCENTED = (
    "ho so",
    "quyet dinh",
    "giay phep",
    "uy ban",
    "dat dai",
    "su dung dat",
    "giay chung nhan",
    "cap giay phep xay dung",
)
FILTER_TERMS = ("giấy chứng nhận", "hồ sơ", "quyền sử dụng", "giay phep")
DEPARTMENTS = ("STP", "STNMT", "SKHDT", "SXD", "SYT", "SCT")
HAMLETS = ('"ấp Bàu Cá 7"', '"ap suoi sao 12"', '"Gò Me 3"', '"xã Phú Hữu, huyện Cẩm Mỹ"')


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb(kind: str = "VmRSS") -> float:
    """Resident memory now: ``VmRSS`` (all), ``RssAnon`` (heap) or ``RssFile`` (mapped files,
    e.g. index segments being merged: page cache the kernel can drop)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssPeaks:
    """Peaks of RssAnon (heap) and RssFile (mapped files) sampled by a thread: ru_maxrss alone
    cannot tell heap growth from index segments mapped while tantivy merges them."""

    def __init__(self, every: float = 0.2) -> None:
        self.anon = self.file = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.anon = max(self.anon, current_rss_mb("RssAnon"))
            self.file = max(self.file, current_rss_mb("RssFile"))

    def __enter__(self) -> RssPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> dict:
        return {"peak_anon_mb": round(self.anon), "peak_file_mb": round(self.file)}


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


class NullIndex(SearchIndex):
    """Consumes what reindex streams and keeps nothing: isolates the streaming path's memory."""

    def add(self, doc: Document) -> None:
        pass

    def delete(self, document_id: str) -> None:
        pass

    def commit(self) -> None:
        pass

    def clear(self) -> None:
        pass

    def search(self, query: SearchQuery):
        raise NotImplementedError("the null engine only measures streaming")


def make_index(engine: str, path: Path, heap_mb: int = 0) -> SearchIndex:
    if engine == "null":
        return NullIndex()
    if engine == "tantivy":
        from archive.indexes.tantivy_index import TantivyIndex

        return TantivyIndex(path, rebuild_heap_mb=heap_mb or None)
    raise ValueError(f"unknown engine: {engine}")


def build(engine: str, pages: int, seed: int, index_dir: Path, samples: Path) -> dict:
    """Index the generated corpus and keep every 50th document's notation and owner for queries."""
    notations: list[str] = []
    owners: list[str] = []

    def stream() -> Iterator[Document]:
        for n, doc in enumerate(documents(CorpusSpec(pages, seed)), start=1):
            if n % 50 == 0:
                notations.append(doc.metadata.number)
                owners.append(doc.applicant.id)
            yield doc

    index = make_index(engine, index_dir)
    start = time.perf_counter()
    with RssPeaks() as peaks:
        docs = index.rebuild(stream())
    seconds = time.perf_counter() - start
    index.close()
    samples.write_text(json.dumps({"notations": notations, "owners": owners}))
    return {
        "pages": pages,
        "documents": docs,
        "seconds": round(seconds, 1),
        "pages_per_s": round(pages / seconds),
        "index_mb": round(dir_size_mb(index_dir)),
        "peak_rss_mb": round(peak_rss_mb()),
        **peaks.report(),
    }


def _query_makers(samples: dict, r: random.Random) -> dict[str, Callable[[], SearchQuery]]:
    def date_range() -> tuple[str, str]:
        year = r.randint(2021, 2025)
        return f"{year}-01-01", f"{year + 1}-06-30"

    def filtered() -> SearchQuery:
        low, high = date_range()
        return SearchQuery(
            r.choice(FILTER_TERMS), filters={"department": r.choice(DEPARTMENTS)}, date_from=low, date_to=high
        )

    return {
        "rare phrase": lambda: SearchQuery(
            r.choice(samples["notations"]) if r.random() < 0.7 else r.choice(HAMLETS)
        ),
        "common term top-10 + snippets": lambda: SearchQuery(r.choice(COMMON)),
        "unaccented, restored + snippets": lambda: SearchQuery(r.choice(UNACCENTED)),
        "common term + department + dates": filtered,
        "facets doc_type + department": lambda: SearchQuery(
            r.choice(COMMON), limit=10, facets=("doc_type", "department")
        ),
        "one applicant's documents": lambda: SearchQuery(
            filters={"owner_id": r.choice(samples["owners"])}, sort="date", limit=50
        ),
    }


def _run(index: SearchIndex, query: SearchQuery, snippets: bool) -> int:
    result = index.search(query)
    if snippets:
        parts = parse_query(query.text)
        for hit in result.hits:
            make_snippet(hit.text, parts)
    return result.total


def queries(engine: str, index_dir: Path, samples: Path, runs: int, seed: int) -> dict:
    """p50/p95 (ms) per query type; each type warmed up first, then ``runs`` random instances."""
    index = make_index(engine, index_dir)
    r = random.Random(seed)
    out: dict[str, dict] = {}
    for name, make in _query_makers(json.loads(samples.read_text()), r).items():
        snippets = "snippets" in name
        for _ in range(5):
            _run(index, make(), snippets)
        times, cpu, totals = [], [], []
        for _ in range(runs):
            query = make()
            start, start_cpu = time.perf_counter(), time.thread_time()
            totals.append(_run(index, query, snippets))
            cpu.append((time.thread_time() - start_cpu) * 1000)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {
            **_percentiles(times, ""),
            **_percentiles(cpu, "cpu_"),
            "median_hits": int(statistics.median(totals)),
        }
    # Wall time on a shared machine includes waiting for a core; thread CPU time does not
    # (the engine searches in the calling thread), so both are reported with the load.
    return {
        "queries": out,
        "runs": runs,
        "peak_rss_mb": round(peak_rss_mb()),
        "load_avg": [round(x, 1) for x in os.getloadavg()],
    }


def _percentiles(values: list[float], prefix: str) -> dict:
    values = sorted(values)
    return {
        f"{prefix}p50_ms": round(statistics.median(values), 2),
        f"{prefix}p95_ms": round(values[int(0.95 * (len(values) - 1))], 2),
        f"{prefix}max_ms": round(values[-1], 2),
    }


def archive(pages: int, seed: int, store_dir: Path) -> dict:
    """Write the corpus as manifests, the only thing ``reindex`` reads. The local store fsyncs
    every object, so a few threads overlap the waits (at most 64 manifests in flight)."""
    from archive.stores.local import LocalStore

    store = LocalStore(store_dir)
    start = time.perf_counter()
    count = 0
    pending: set = set()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for doc in documents(CorpusSpec(pages, seed)):
            count += 1
            pending.add(
                pool.submit(
                    store.put_bytes,
                    document_key(doc.id, MANIFEST_NAME),
                    doc.to_json(),
                    content_type="application/json",
                )
            )
            if len(pending) >= 64:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
        for future in pending:
            future.result()
    return {
        "documents": count,
        "seconds": round(time.perf_counter() - start, 1),
        "store_mb": round(dir_size_mb(store_dir)),
    }


def reindex(
    engine: str, store_dir: Path, index_dir: Path, state_db: Path, heap_mb: int = 0, sample_every: int = 1000
) -> dict:
    """Stream the archive into a fresh index generation, sampling RSS every ``sample_every``
    documents; ``heap_mb`` caps the index writer's heap (0: the engine's default)."""
    from archive.catalogue import Catalogue
    from archive.reindex import reindex as run_reindex
    from archive.repository import Repository
    from archive.stores.local import LocalStore

    samples: list[tuple[int, float, float]] = []  # (documents, VmRSS MB, RssAnon MB)
    seen, manifest_bytes, pages_seen = [0], [0], [0]

    notations: list[str] = []
    owners: list[str] = []

    def on_document(doc: Document) -> None:
        seen[0] += 1
        manifest_bytes[0] += sum(len(p.text.encode()) for p in doc.pages)
        pages_seen[0] += len(doc.pages)
        if seen[0] % 50 == 0:  # query samples, as the build phase keeps them
            notations.append(doc.metadata.number)
            owners.append(doc.applicant.id)
        if seen[0] % sample_every == 0:
            samples.append((seen[0], round(current_rss_mb(), 1), round(current_rss_mb("RssAnon"), 1)))

    index = make_index(engine, index_dir, heap_mb)
    start = time.perf_counter()
    with RssPeaks() as peaks:
        store = LocalStore(store_dir)
        count = run_reindex(Repository(store), index, Catalogue(state_db), on_document)
    seconds = time.perf_counter() - start
    index.close()
    (index_dir.parent / "samples-reindexed.json").write_text(
        json.dumps({"notations": notations, "owners": owners})
    )
    return {
        "documents": count,
        "seconds": round(seconds, 1),
        "docs_per_s": round(count / seconds),
        "pages": pages_seen[0],
        "index_mb": round(dir_size_mb(index_dir)),
        "peak_rss_mb": round(peak_rss_mb()),
        **peaks.report(),
        "rss_samples": samples,
        "manifest_mb": round(manifest_bytes[0] / 1e6, 1),
    }
