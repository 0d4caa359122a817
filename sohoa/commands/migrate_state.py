"""``sohoa migrate-state --to postgresql [--url URL]``: a single machine's SQLite state moved into
PostgreSQL without loss, before ``[state] backend`` is switched to ``postgresql``."""

from __future__ import annotations

import json
import os
import sys


def register(sub, common) -> None:
    p = sub.add_parser("migrate-state", parents=[common], help="move the SQLite state into PostgreSQL")
    p.add_argument("--to", required=True, choices=["postgresql"], help="the target state store")
    p.add_argument("--url", default="", help="postgresql://USER@HOST:PORT/DB (default: [state] url)")
    p.set_defaults(func=run)


def run(args, services) -> int:
    cfg = services.settings.state
    url = args.url or cfg.url
    if not url:
        print(
            "sohoa migrate-state: give --url or set [state] url (postgresql://USER@HOST:PORT/DB)",
            file=sys.stderr,
        )
        return 2
    from archive.pg_state import PostgresState  # psycopg loads for this command only
    from sohoa.state_migration import MigrationError, migrate_state

    target = PostgresState(url, password=os.environ.get(cfg.password_env) if cfg.password_env else None)
    try:
        counts = migrate_state(services.settings.state_db, target)
    except MigrationError as exc:
        print(f"sohoa migrate-state: {exc}", file=sys.stderr)
        return 2
    finally:
        target.close()
    print(json.dumps({"migrated": str(services.settings.state_db), "tables": counts}, ensure_ascii=False))
    print(
        'next: set [state] backend = "postgresql" and url, then start `sohoa serve`/`sohoa worker`.',
        file=sys.stderr,
    )
    return 0
