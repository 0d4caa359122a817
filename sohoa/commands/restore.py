"""``sohoa restore --from-replica``: rebuild a lost primary bucket, the index and the catalogue
from the ``[replica]`` copy."""

from __future__ import annotations

import json
import sys

from archive.reindex import reindex
from archive.restore import restore_from_replica
from archive.stores.replicated import ReplicatedStore


def register(sub, common) -> None:
    p = sub.add_parser("restore", parents=[common], help="rebuild the archive from the replica")
    p.add_argument("--from-replica", action="store_true", required=True, help="copy back from [replica]")
    p.set_defaults(func=run)


def run(args, services) -> int:
    """Copy back every object the primary lacks, then reindex; exit 2 when some copy was damaged."""
    replica = services.replica
    if replica is None:
        print("sohoa restore: chưa cấu hình bản sao thứ hai ([replica] endpoint).", file=sys.stderr)
        return 2
    store = services.store
    primary = store.primary if isinstance(store, ReplicatedStore) else store
    report = restore_from_replica(replica, primary, services.catalogue.repin)
    documents = reindex(services.repository, services.index, services.catalogue)
    print(
        json.dumps(
            {
                "copied": report.copied,
                "present": report.present,
                "bytes": report.bytes,
                "damaged": report.damaged,
                "documents": documents,
            },
            ensure_ascii=False,
        )
    )
    return 2 if report.damaged else 0
