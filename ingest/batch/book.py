"""The batches' own records under the data directory, for the officer who sorts them out later:

- ``batches/<id>.json``: what each part of one stack became (dossier, role, component, pages,
  blank pages dropped, document and job, or held);
- ``held/<id>/<part>.pdf`` with a line in ``held/held.jsonl``: the pages before the first separator,
  not stored, until an officer routes them to a dossier (a ``routed`` line is appended then).

Every write is synced before the answer is given (nothing is lost); routing takes a file lock so
that a held part goes to one dossier only, whichever process asks."""

from __future__ import annotations

import fcntl
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HELD_LOG = "held.jsonl"
# The book's folders under the data directory (copied beside every state backup).
BATCHES, HELD = "batches", "held"
FOLDERS = (BATCHES, HELD)
BATCH_ID = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")


def now_iso() -> str:
    """The current time, UTC, ISO to the second (pages show it in the center's zone)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _append_synced(path: Path, record: dict) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def fsync_file(path: Path) -> None:
    """Flush a written file to disk."""
    with path.open("rb") as f:
        os.fsync(f.fileno())


@dataclass
class BatchBook:
    """Where the batches' records and held parts live (``DATA/batches``, ``DATA/held``)."""

    batches_dir: Path
    held_dir: Path

    @staticmethod
    def new_id(now: datetime | None = None) -> str:
        """A batch id: when it was taken and a random suffix (sortable, unguessable enough).
        ``now`` is the center's clock, so the officer reads the time of day they scanned at."""
        return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]

    def save(self, record: dict) -> None:
        """Write a batch's record (``id``, ``actor``, ``received_at``, ``sources``, ``parts``)."""
        self.batches_dir.mkdir(parents=True, exist_ok=True)
        path = self.batches_dir / f"{record['id']}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        fsync_file(tmp)
        tmp.replace(path)

    def batch(self, batch_id: str) -> dict | None:
        """One batch's record, or None (an id of the wrong form is None too: never a path)."""
        if not BATCH_ID.match(batch_id):
            return None
        path = self.batches_dir / f"{batch_id}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def recent(self, limit: int = 30) -> list[dict]:
        """The newest batches first."""
        if not self.batches_dir.is_dir():
            return []
        paths = sorted(self.batches_dir.glob("*.json"), reverse=True)[:limit]
        return [json.loads(p.read_text(encoding="utf-8")) for p in paths]

    def held_path(self, batch_id: str, name: str) -> Path:
        """Where a held part of ``batch_id`` is written (its folder is made)."""
        folder = self.held_dir / batch_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def record_held(self, record: dict) -> None:
        """Append a held part's line (its file already synced)."""
        self.held_dir.mkdir(parents=True, exist_ok=True)
        _append_synced(self.held_dir / HELD_LOG, record)

    def held_parts(self) -> list[dict]:
        """Every held part with its latest status (``held`` or ``routed``), oldest first."""
        log = self.held_dir / HELD_LOG
        if not log.is_file():
            return []
        latest: dict[tuple[str, str], dict] = {}
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                key = (rec["batch"], Path(rec["file"]).name)
                latest[key] = {**latest.get(key, {}), **rec}
        return list(latest.values())

    def held_part(self, batch_id: str, name: str) -> dict | None:
        """One held part by its batch and file name, or None."""
        return next(
            (h for h in self.held_parts() if h["batch"] == batch_id and Path(h["file"]).name == name), None
        )

    def record_routed(self, held: dict, routed: dict) -> None:
        """Append the ``routed`` line of a held part (``routed``: dossier, document, job, actor)."""
        _append_synced(
            self.held_dir / HELD_LOG,
            {
                "batch": held["batch"],
                "file": held["file"],
                "status": "routed",
                "routed_at": now_iso(),
                **routed,
            },
        )

    @contextmanager
    def route_lock(self) -> Iterator[None]:
        """Held while a held part is routed: one routing at a time, across processes."""
        self.held_dir.mkdir(parents=True, exist_ok=True)
        with (self.held_dir / ".route.lock").open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
