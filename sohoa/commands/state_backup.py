"""``sohoa backup-state`` and ``sohoa restore-state [--from BACKUP]``: the state DB (users,
sessions, jobs, access log, sequences) copied into the archive, and brought back from it; the
batches' records and held pages (``DATA/batches``, ``DATA/held``) go with it as a tar."""

from __future__ import annotations

import json
import sys

from archive.object_store import ObjectMissing
from archive.state_backup import StateFileError, backup_state, list_backups, restore_state
from archive.state_files import backup_files, restore_files
from ingest.batch.book import FOLDERS as STATE_FOLDERS


def register(sub, common) -> None:
    p = sub.add_parser("backup-state", parents=[common], help="copy the state DB into the archive")
    p.set_defaults(func=run_backup)
    p = sub.add_parser("restore-state", parents=[common], help="bring the state DB back from a backup")
    p.add_argument("--from", dest="source", default="", help="backup key (default: the newest)")
    p.add_argument("--list", action="store_true", help="list the backups in the archive, newest last")
    p.set_defaults(func=run_restore, needs_state=False)


PG_BACKUP = (
    "sohoa {cmd}: the state is in PostgreSQL ([state] backend); back it up and restore it with "
    "PostgreSQL's own tools (pg_dump/pg_restore, or base backups with WAL archiving)."
)


def run_backup(args, services) -> int:
    if services.settings.state.backend != "sqlite":
        print(PG_BACKUP.format(cmd="backup-state"), file=sys.stderr)
        return 2
    key = backup_state(services.settings.state_db, services.store)
    files = backup_files(services.store, key, services.settings.data_dir, STATE_FOLDERS)
    print(
        json.dumps(
            {"backup": key, "state": str(services.settings.state_db), "files": files}, ensure_ascii=False
        )
    )
    return 0


def run_restore(args, services) -> int:
    if services.settings.state.backend != "sqlite":
        print(PG_BACKUP.format(cmd="restore-state"), file=sys.stderr)
        return 2
    backups = list_backups(services.store)
    if args.list:
        for key in backups:
            print(key)
        return 0
    if not backups and not args.source:
        print(
            "sohoa restore-state: the archive holds no state backup; run `sohoa reindex` to rebuild "
            "the catalogue from the archive (users must then be added again).",
            file=sys.stderr,
        )
        return 2
    key = args.source or backups[-1]
    lock = services.worker_lock()
    if not lock.acquire(wait=False):
        print("sohoa restore-state: stop `sohoa worker` and `sohoa serve` first.", file=sys.stderr)
        return 1
    try:
        kept = restore_state(services.store, key, services.settings.state_db)
        folders = restore_files(services.store, key, services.settings.data_dir, STATE_FOLDERS)
        jobs = services.jobs.reconcile(services.repository.exists)
    except ObjectMissing:
        print(f"sohoa restore-state: no backup {key} in the archive (see --list).", file=sys.stderr)
        return 2
    except StateFileError as exc:
        print(f"sohoa restore-state: {exc}; choose another with --from (see --list).", file=sys.stderr)
        return 2
    finally:
        lock.release()
    print(
        json.dumps(
            {"restored": key, "kept_old_state": str(kept or ""), "jobs": jobs, "folders": folders},
            ensure_ascii=False,
        )
    )
    print(
        "next: `sohoa reindex` brings the catalogue up to the archive (documents since the backup).",
        file=sys.stderr,
    )
    return 0
