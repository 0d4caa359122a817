"""Disposal of expired records, by the book.

1. ``due`` proposes the list ("xem xét hủy"): per dossier, code, title, retention, documents,
   pages and reason; only documents whose every object's retention has lapsed and that carry no
   legal hold (read from the store, which is where holds and extensions live).
2. A batch records, in order, the council's decision (members, their votes, date; a majority of
   the members must vote for), the archive authority's appraisal (number, date, approved) and the
   head's decision (number, date, signer). Each step is a write-once object under
   ``disposal/<batch>/`` kept ``retain_years`` (30): nobody can rewrite a step afterwards.
3. ``execute`` runs only when all three are recorded and positive. It re-checks every document on
   the day (a hold or an extension set after the proposal wins), destroys every version of every
   object, removes it from the index and catalogue, then writes the destruction record
   ``disposal/<batch>/record.json``, itself kept 30 years, and audit entries.
Nothing under legal hold or not yet expired is destroyed: we skip it, and the store refuses anyway.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from archive.audit import DISPOSAL_DESTROY, DISPOSAL_PROPOSE, DISPOSAL_STEP, AuditFn, retain_until_for
from archive.model import Document
from archive.object_store import ObjectMissing, RetentionError, StoreError
from archive.repository import Repository
from archive.retention import lock_state

PREFIX = "disposal/"
STEPS = ("proposal", "council", "appraisal", "decision", "record")
VOTES = ("for", "against", "abstain")


class DisposalError(Exception):
    """A step out of order, a missing or negative decision, or an unknown batch."""


@dataclass
class DueDocument:
    id: str
    dossier_code: str
    title: str
    retention_class: str
    retain_until: str
    pages: int


@dataclass
class DueRecord:
    """One line of the proposal: a dossier's expired documents."""

    dossier_code: str
    title: str
    retention: str
    retain_until: str
    documents: list[str] = field(default_factory=list)
    pages: int = 0
    reason: str = ""


def _title(doc: Document) -> str:
    return doc.title


def iter_due(repository: Repository, as_of: date) -> Iterator[DueDocument]:
    """Documents whose retention lapsed before ``as_of`` and that carry no hold (streamed)."""
    for doc in repository.iter_documents():
        state = lock_state(repository, doc)
        if state.expired(as_of) and not state.missing:
            until = state.retain_until.isoformat() if state.retain_until else doc.retain_until
            yield DueDocument(
                doc.id, doc.dossier_code, _title(doc), doc.retention_class, until, doc.page_count
            )


def held_dossiers(repository: Repository) -> set[str]:
    """Dossiers one of whose documents is under legal hold: left out of disposal as a whole (a
    dossier is appraised and destroyed together, and the hold is about its case)."""
    return {doc.dossier_code for doc in repository.iter_documents() if lock_state(repository, doc).legal_hold}


def due_records(repository: Repository, as_of: date) -> list[DueRecord]:
    """The proposal list, one record per dossier, in dossier order (no dossier with a held document)."""
    records: dict[str, DueRecord] = {}
    held = held_dossiers(repository)
    for d in iter_due(repository, as_of):
        if d.dossier_code in held:
            continue
        rec = records.setdefault(
            d.dossier_code, DueRecord(d.dossier_code, d.title, d.retention_class, d.retain_until)
        )
        rec.documents.append(d.id)
        rec.pages += d.pages
        rec.retain_until = max(rec.retain_until, d.retain_until)
        if d.retention_class not in rec.retention.split(", "):
            rec.retention = f"{rec.retention}, {d.retention_class}"
    for rec in records.values():
        rec.reason = f"hết thời hạn bảo quản ({rec.retention} năm) ngày {rec.retain_until}"
    return [records[k] for k in sorted(records)]


class Disposal:
    """The disposal workflow over one archive."""

    def __init__(
        self,
        repository: Repository,
        *,
        audit: AuditFn | None = None,
        index: Any = None,
        catalogue: Any = None,
        retain_years: int = 30,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.repository = repository
        self.store = repository.store
        self.audit = audit
        self.index = index
        self.catalogue = catalogue
        self.retain_years = retain_years
        self.today = today

    # -- step objects -------------------------------------------------------------------------
    def _key(self, batch: str, step: str) -> str:
        return f"{PREFIX}{batch}/{step}.json"

    def _read(self, batch: str, step: str) -> dict | None:
        try:
            return json.loads(self.store.get_bytes(self._key(batch, step)))
        except ObjectMissing:
            return None

    def _write(self, batch: str, step: str, body: dict, actor: str) -> dict:
        if self._read(batch, step) is not None:
            raise DisposalError(f"batch {batch}: the {step} is already recorded and cannot be changed")
        body = {
            "batch": batch,
            "step": step,
            "recorded_by": actor,
            "recorded_at": datetime.now(UTC).isoformat(),
            **body,
        }
        raw = json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
        self.store.put_bytes(
            self._key(batch, step),
            raw,
            content_type="application/json",
            retain_until=retain_until_for(self.retain_years, self.today()),
        )
        return body

    def _need(self, batch: str, step: str) -> dict:
        found = self._read(batch, step)
        if found is None:
            raise DisposalError(f"batch {batch}: no {step} recorded yet")
        return found

    def _log(self, action: str, actor: str, subject: str, details: dict) -> None:
        if self.audit is not None:
            self.audit(action, actor, subject, details)

    def show(self, batch: str) -> dict[str, dict | None]:
        return {step: self._read(batch, step) for step in STEPS}

    def open_dossiers(self) -> set[str]:
        """Dossiers in a batch still open (not destroyed, not refused by the council or the
        appraisal): a second batch may not take them too."""
        busy: set[str] = set()
        for batch in self.batches():
            steps = self.show(batch)
            proposal = steps["proposal"]
            refused = any(not (steps[s] or {}).get("approved", True) for s in ("council", "appraisal"))
            if steps["record"] is None and not refused and proposal:
                busy.update(r["dossier_code"] for r in proposal["records"])
        return busy

    def batches(self) -> list[str]:
        return sorted({k[len(PREFIX) :].split("/")[0] for k in self.store.list(PREFIX)})

    # -- the workflow -------------------------------------------------------------------------
    def propose(self, actor: str, as_of: date | None = None) -> dict:
        """Open a batch with the current due list; raises if nothing is due."""
        as_of = as_of or self.today()
        busy = self.open_dossiers()
        records = [r for r in due_records(self.repository, as_of) if r.dossier_code not in busy]
        if not records:
            raise DisposalError("nothing is due for disposal")
        batch = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        body = self._write(
            batch, "proposal", {"as_of": as_of.isoformat(), "records": [asdict(r) for r in records]}, actor
        )
        self._log(
            DISPOSAL_PROPOSE,
            actor,
            batch,
            {"dossiers": len(records), "documents": sum(len(r.documents) for r in records)},
        )
        return body

    def record_council(
        self, batch: str, *, decision_no: str, decided_on: date, members: list[dict], actor: str
    ) -> dict:
        """Members are ``{name, position, vote}`` with vote for|against|abstain."""
        self._need(batch, "proposal")
        if not members:
            raise DisposalError("the council has no members")
        for m in members:
            if m.get("vote") not in VOTES or not m.get("name"):
                raise DisposalError(f"bad council member entry: {m}")
        votes_for = sum(m["vote"] == "for" for m in members)
        approved = votes_for * 2 > len(members)
        body = self._write(
            batch,
            "council",
            {
                "decision_no": decision_no,
                "date": decided_on.isoformat(),
                "members": members,
                "votes_for": votes_for,
                "approved": approved,
            },
            actor,
        )
        self._log(DISPOSAL_STEP, actor, batch, {"step": "council", "approved": approved})
        return body

    def record_appraisal(
        self,
        batch: str,
        *,
        authority: str,
        number: str,
        appraised_on: date,
        approved: bool,
        actor: str,
        notes: str = "",
    ) -> dict:
        """The archive authority's appraisal (thẩm định); needs an approving council."""
        if not self._need(batch, "council")["approved"]:
            raise DisposalError(f"batch {batch}: the council did not approve")
        body = self._write(
            batch,
            "appraisal",
            {
                "authority": authority,
                "number": number,
                "date": appraised_on.isoformat(),
                "approved": approved,
                "notes": notes,
            },
            actor,
        )
        self._log(DISPOSAL_STEP, actor, batch, {"step": "appraisal", "approved": approved})
        return body

    def record_decision(self, batch: str, *, number: str, decided_on: date, signer: str, actor: str) -> dict:
        """The head's decision to destroy; needs a positive appraisal."""
        if not self._need(batch, "appraisal")["approved"]:
            raise DisposalError(f"batch {batch}: the archive authority did not approve")
        body = self._write(
            batch, "decision", {"number": number, "date": decided_on.isoformat(), "signer": signer}, actor
        )
        self._log(DISPOSAL_STEP, actor, batch, {"step": "decision", "number": number})
        return body

    def execute(self, batch: str, actor: str) -> dict:
        """Destroy what the batch lists and is still due; write the destruction record."""
        steps = {s: self._need(batch, s) for s in ("proposal", "council", "appraisal", "decision")}
        if not (steps["council"]["approved"] and steps["appraisal"]["approved"]):
            raise DisposalError(f"batch {batch}: not approved")
        if self._read(batch, "record") is not None:
            raise DisposalError(f"batch {batch} was executed already")
        destroyed: list[dict] = []
        skipped: list[dict] = []
        for rec in steps["proposal"]["records"]:
            for doc_id in rec["documents"]:
                outcome = self._destroy_one(doc_id, actor, batch)
                (destroyed if outcome.get("destroyed") else skipped).append(outcome)
        body = self._write(
            batch,
            "record",
            {"decision": steps["decision"]["number"], "destroyed": destroyed, "skipped": skipped},
            actor,
        )
        self._log(DISPOSAL_DESTROY, actor, batch, {"destroyed": len(destroyed), "skipped": len(skipped)})
        return body

    def _destroy_one(self, doc_id: str, actor: str, batch: str) -> dict:
        """Re-check and destroy one document; the outcome says what happened and why."""
        try:
            doc = self.repository.load(doc_id)
        except ObjectMissing:
            return {"id": doc_id, "destroyed": False, "reason": "missing"}
        state = lock_state(self.repository, doc)
        base = {
            "id": doc.id,
            "dossier_code": doc.dossier_code,
            "title": _title(doc),
            "pages": doc.page_count,
            "retention_class": doc.retention_class,
            "sha256": {f.key: f.sha256 for f in (doc.original, doc.archival) if f},
        }
        if state.legal_hold:
            return {**base, "destroyed": False, "reason": "legal hold"}
        if not state.expired(self.today()):
            return {**base, "destroyed": False, "reason": f"retained until {state.retain_until}"}
        try:
            self.repository.destroy(doc)
        except (RetentionError, StoreError) as exc:
            return {**base, "destroyed": False, "reason": f"store refused: {exc}"}
        if self.index is not None:
            self.index.delete(doc.id)
            self.index.commit()
        if self.catalogue is not None:
            self.catalogue.delete_document(doc.id)
        self._log(DISPOSAL_DESTROY, actor, doc.id, {"batch": batch, "dossier": doc.dossier_code})
        return {**base, "destroyed": True, "destroyed_at": datetime.now(UTC).isoformat()}
