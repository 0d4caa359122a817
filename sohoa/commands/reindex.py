"""``sohoa reindex``: rebuild the search index and catalogue from the archive alone."""

from __future__ import annotations

import sys
import time

from archive.model import Document
from archive.reindex import reindex
from sohoa.rebuild_records import rebuild_dossiers, restore_confirmation


def register(sub, common) -> None:
    p = sub.add_parser("reindex", parents=[common], help="rebuild the index from the archive (streaming)")
    p.set_defaults(func=run)


def run(args, services) -> int:
    lock = services.worker_lock()
    if not lock.acquire(wait=False):
        print(
            "sohoa reindex: a worker is running; stop it first (it holds the index writer).", file=sys.stderr
        )
        return 1
    try:
        start = time.monotonic()
        intake = services.dossier_records
        confirmed = 0

        def on_document(doc: Document) -> None:
            nonlocal confirmed
            confirmed += restore_confirmation(services, intake, doc)

        count = reindex(services.repository, services.index, services.catalogue, on_document)
        rebuilt = rebuild_dossiers(services)
        print(
            f"reindexed {count} documents in {time.monotonic() - start:.1f} s; "
            f"{rebuilt.dossiers} dossiers, {rebuilt.links} reuse links, {confirmed} confirmations "
            f"from the archive; dossier-code sequences raised in {rebuilt.code_scopes} scopes"
        )
    finally:
        lock.release()
    return 0
