"""The audit log: append-only, hash-chained, kept in the archive under retention.

Each entry is one write-once object ``audit/entries/<seq:012d>.json`` holding
``{seq, at, action, actor, subject, details, prev, hash}``, where ``prev`` is the hash of the entry
before and ``hash`` the SHA-256 of the entry's canonical JSON without ``hash``. Objects are written
with a retain-until ``retain_years`` ahead (30 by default) so nobody can delete them (Object Lock
on S3). ``verify`` streams the entries and reports any edited (hash does not match), dropped (a
sequence gap, or a chain that skips), reordered (``prev`` or ``seq`` does not fit) entry.

A chain alone cannot show that its last entries were cut off, so the writer also keeps the tip
(last sequence number and hash) in a small SQLite file beside the data; ``verify`` checks that the
archive still reaches that tip. Writers on one host are serialised by a file lock (the web app
and the worker append concurrently). An entry is first committed, with the new tip, to a local
SQLite outbox, then written to the archive: an unreachable store delays the archive copy (the next
append or ``flush`` sends it) but never loses the entry or stops the caller. If local state is
lost, the log continues after the archive's last entry.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.object_store import ObjectExists, ObjectMissing, ObjectStore, StoreError

log = logging.getLogger(__name__)

# What the other parts are handed to write an entry: action, actor, subject, details.
AuditFn = Callable[[str, str, str, dict], object]

PREFIX = "audit/entries/"
GENESIS = "0" * 64

# Actions the other parts write (free text is allowed; these keep reports consistent).
INGEST = "ingest"
REUSE = "reuse"
READ = "read"  # any view of a citizen's document
DOWNLOAD = "download"
HOLD_SET, HOLD_RELEASE = "hold.set", "hold.release"
RETENTION_EXTEND = "retention.extend"
DISPOSAL_PROPOSE, DISPOSAL_STEP, DISPOSAL_DESTROY = "disposal.propose", "disposal.step", "disposal.destroy"
FIXITY_RUN = "fixity.run"
TRANSFER_PACKAGE, TRANSFER_DOWNLOAD = "transfer.package", "transfer.download"
TRANSFER_HANDOVER = "transfer.handover"


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry's canonical JSON, ``hash`` left out."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def entry_key(seq: int) -> str:
    return f"{PREFIX}{seq:012d}.json"


@dataclass
class Problem:
    seq: int
    kind: str  # edited | dropped | reordered | chain | truncated | unreadable
    message: str


@dataclass
class VerifyReport:
    entries: int = 0
    last_seq: int = 0
    pending: int = 0  # appended on this host, not yet written to the archive
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "last_seq": self.last_seq,
            "pending": self.pending,
            "problems": [p.__dict__ for p in self.problems],
        }


class AuditLog:
    """Append and verify the hash-chained audit log of one archive."""

    def __init__(
        self, store: ObjectStore, state_dir: str | Path, *, retain_years: int = 30, now: Any = None
    ) -> None:
        self.store = store
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.retain_years = retain_years
        self._now = now or (lambda: datetime.now(UTC))
        self._db = self.state_dir / "audit-tip.sqlite3"
        with self._conn() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS tip (id INTEGER PRIMARY KEY CHECK (id = 1), "
                "seq INTEGER NOT NULL, hash TEXT NOT NULL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)")

    # -- local state: tip and outbox ------------------------------------------------------------
    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self._db, timeout=30)
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.state_dir / "audit.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _tip_row(self) -> tuple[int, str] | None:
        with self._conn() as db:
            row = db.execute("SELECT seq, hash FROM tip WHERE id = 1").fetchone()
        return (row[0], row[1]) if row else None

    def tip(self) -> tuple[int, str]:
        """(sequence, hash) of the last entry appended on this host; (0, GENESIS) when none."""
        return self._tip_row() or (0, GENESIS)

    def pending(self) -> int:
        """Entries recorded here but not yet in the archive (the store was unreachable)."""
        with self._conn() as db:
            return db.execute("SELECT COUNT(*) FROM pending").fetchone()[0]

    def _last_in_archive(self) -> tuple[int, str]:
        last = (0, GENESIS)
        for key in self.store.list(PREFIX):
            last = (int(key[len(PREFIX) :].split(".")[0]), key)
        if last[0] == 0:
            return last
        return last[0], json.loads(self.store.get_bytes(last[1]))["hash"]

    # -- writing ----------------------------------------------------------------------------
    def append(self, action: str, actor: str, subject: str, details: dict | None = None) -> dict:
        """Append one entry and return it. The entry is durable once this returns: it is committed
        to the local outbox with the new tip, then written to the archive; if the store cannot be
        reached it stays in the outbox and goes out with the next append or ``flush``."""
        with self._locked():
            if self._tip_row() is None:  # new (or lost) local state: continue the archive's chain
                try:
                    seq, digest = self._last_in_archive()
                except StoreError:
                    seq, digest = 0, GENESIS  # re-chained at flush time if the archive has entries
                with self._conn() as db:
                    db.execute("INSERT OR IGNORE INTO tip (id, seq, hash) VALUES (1, ?, ?)", (seq, digest))
            entry = self._record(action, actor, subject, details or {})
            self._flush_locked()
        return entry

    def _record(self, action: str, actor: str, subject: str, details: dict) -> dict:
        seq, prev = self.tip()
        entry = {
            "seq": seq + 1,
            "at": self._now().isoformat(timespec="microseconds"),
            "action": action,
            "actor": actor,
            "subject": subject,
            "details": details,
            "prev": prev,
        }
        entry["hash"] = entry_hash(entry)
        with self._conn() as db:
            db.execute(
                "INSERT INTO pending (seq, body) VALUES (?, ?)",
                (entry["seq"], json.dumps(entry, ensure_ascii=False, sort_keys=True)),
            )
            db.execute("UPDATE tip SET seq = ?, hash = ? WHERE id = 1", (entry["seq"], entry["hash"]))
        return entry

    def flush(self) -> int:
        """Write outstanding entries to the archive; returns how many are still outstanding."""
        with self._locked():
            return self._flush_locked()

    def _flush_locked(self, rechained: bool = False) -> int:
        with self._conn() as db:
            rows = db.execute("SELECT seq, body FROM pending ORDER BY seq").fetchall()
        for done, (seq, body) in enumerate(rows):
            at = datetime.fromisoformat(json.loads(body)["at"])
            until = at.date() + timedelta(days=round(365.25 * self.retain_years))
            try:
                self.store.put_bytes(
                    entry_key(seq), body.encode("utf-8"), retain_until=until, content_type="application/json"
                )
            except ObjectExists:
                # The archive already has another entry under this number (local state was lost
                # or restored from a backup): renumber what is outstanding after the archive's end.
                if rechained:
                    raise
                self._rechain()
                return self._flush_locked(rechained=True)
            except StoreError as exc:
                log.warning("audit entries kept locally, archive unreachable: %s", exc)
                return len(rows) - done
            with self._conn() as db:
                db.execute("DELETE FROM pending WHERE seq = ?", (seq,))
        return 0

    def _rechain(self) -> None:
        seq, prev = self._last_in_archive()
        with self._conn() as db:
            bodies = [json.loads(b) for (b,) in db.execute("SELECT body FROM pending ORDER BY seq")]
            db.execute("DELETE FROM pending")
            for entry in bodies:
                seq += 1
                entry.update(seq=seq, prev=prev)
                entry["hash"] = prev = entry_hash(entry)
                db.execute(
                    "INSERT INTO pending (seq, body) VALUES (?, ?)",
                    (seq, json.dumps(entry, ensure_ascii=False, sort_keys=True)),
                )
            db.execute("UPDATE tip SET seq = ?, hash = ? WHERE id = 1", (seq, prev))

    # -- reading ----------------------------------------------------------------------------
    def entries(self, since: int = 0) -> Iterator[dict]:
        """Entries in sequence order, one object at a time."""
        for key in self.store.list(PREFIX):
            if int(key[len(PREFIX) :].split(".")[0]) > since:
                yield json.loads(self.store.get_bytes(key))

    def verify(self) -> VerifyReport:
        """Walk the chain; report every edited, dropped, reordered or cut-off entry."""
        report = VerifyReport()
        prev_hash, expected = GENESIS, 1
        for key in self.store.list(PREFIX):
            seq = int(key[len(PREFIX) :].split(".")[0])
            try:
                entry = json.loads(self.store.get_bytes(key))
            except (ObjectMissing, ValueError) as exc:
                report.problems.append(Problem(seq, "unreadable", f"{key}: {exc}"))
                continue
            report.entries += 1
            if len(self.store.versions(key)) > 1:  # the entry read is the oldest: the record
                report.problems.append(
                    Problem(seq, "overwritten", f"{key}: another version or delete marker")
                )
            self._check_entry(report, seq, expected, entry, prev_hash)
            prev_hash, expected, report.last_seq = entry.get("hash", ""), seq + 1, seq
        self._check_tip(report, prev_hash)
        return report

    @staticmethod
    def _check_entry(report: VerifyReport, seq: int, expected: int, entry: dict, prev_hash: str) -> None:
        if seq > expected:
            report.problems.append(Problem(expected, "dropped", f"entries {expected}..{seq - 1} are missing"))
        if entry.get("seq") != seq:
            report.problems.append(Problem(seq, "reordered", f"object {seq} holds entry {entry.get('seq')}"))
        if entry_hash(entry) != entry.get("hash"):
            report.problems.append(Problem(seq, "edited", "content does not match its hash"))
        elif seq == expected and entry.get("prev") != prev_hash:
            report.problems.append(Problem(seq, "chain", "does not follow the entry before it (rewritten?)"))

    def _check_tip(self, report: VerifyReport, last_hash: str) -> None:
        tip_seq, tip_hash = self.tip()
        report.pending = self.pending()
        if report.pending:  # outstanding entries are not in the archive yet: check what is
            tip_seq, tip_hash = tip_seq - report.pending, last_hash
        if tip_seq > report.last_seq:
            report.problems.append(
                Problem(
                    tip_seq, "truncated", f"log ends at {report.last_seq}, this host wrote up to {tip_seq}"
                )
            )
        elif tip_seq and tip_seq == report.last_seq and tip_hash != last_hash:
            report.problems.append(Problem(tip_seq, "edited", "last entry differs from the recorded tip"))


def retain_until_for(years: int, today: date | None = None) -> date:
    """A retain-until ``years`` from ``today`` (destruction records and the like)."""
    today = today or date.today()
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)
