"""A document's history for its PREMIS events, beyond what its manifest says: the revisions that
changed its retention, legal hold or metadata, the dossiers it was reused into, and the fixity
runs that checked it.

Sources: the document's revisions in the archive (``Repository.revisions``: who, when, why); the
reuse links (the packaged dossier's own record in the archive, and for its documents reused
elsewhere a lookup the caller passes, the intake's links); the fixity summaries and problem
reports ``sohoa fixity`` writes (``<data>/fixity/fixity-*.json`` and ``.jsonl``), read once per
package. Event types follow the PREMIS event type vocabulary where it has one ("policy
assignment", "metadata modification", "fixity check"); a reuse is "reuse".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.model import Document
from archive.packages.descriptive import dmy
from archive.packages.premis import SOFTWARE, Event
from archive.repository import Repository

# document id -> the dossiers it was linked into: ``{dossier_code, linked_by, linked_at}``
ReuseLookup = Callable[[str], list[dict[str, Any]]]
STATUS_WORDS = {"mismatch": "SHA-256 không khớp", "missing": "mất đối tượng", "tampered": "bị thay đổi"}


@dataclass
class FixityRun:
    """One ``sohoa fixity`` run: when, and the problems it found by document id."""

    started: str
    finished: str
    problems: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class History:
    """Where a package's events come from; everything optional (an empty history adds none)."""

    fixity_runs: list[FixityRun] = field(default_factory=list)
    reuse_of: ReuseLookup | None = None


def load_fixity_runs(folder: Path) -> list[FixityRun]:
    """The fixity runs recorded under ``folder``, oldest first (unreadable files are skipped)."""
    runs = []
    for path in sorted(folder.glob("fixity-*.json")) if folder.exists() else []:
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        run = FixityRun(summary.get("started", ""), summary.get("finished", ""))
        report = path.with_suffix(".jsonl")
        for line in report.read_text(encoding="utf-8").splitlines() if report.exists() else []:
            check = json.loads(line)
            word = STATUS_WORDS.get(check.get("status"), check.get("status", ""))
            run.problems.setdefault(check.get("document_id", ""), []).append(f"{check.get('key')}: {word}")
        runs.append(run)
    return runs


def _revision_events(revision: dict[str, Any], ids: list[str]) -> Iterable[Event]:
    changes, at = revision.get("changes", {}), revision.get("at", "")
    who, why = revision.get("by") or SOFTWARE, revision.get("reason", "")
    suffix = f"; lý do: {why}" if why else ""
    if changes.get("retain_until"):
        detail = f"Gia hạn bảo quản đến {dmy(changes['retain_until'])}{suffix}"
        yield Event("policy assignment", at, detail, who, ids)
    if "legal_hold" in changes:
        word = "Đặt phong tỏa pháp lý" if changes["legal_hold"] else "Gỡ phong tỏa pháp lý"
        yield Event("policy assignment", at, word + suffix, who, ids)
    if "metadata" in changes:
        yield Event("metadata modification", at, "Xác nhận, sửa siêu dữ liệu" + suffix, who, ids)


def document_history(
    repo: Repository, doc: Document, ids: list[str], history: History, links: list[dict[str, Any]]
) -> list[Event]:
    """Events of ``doc`` (its packaged files ``ids``) from its revisions, reuse links and fixity
    runs. ``links``: reuse links of it known from the packaged dossier's record."""
    events = [e for rev in repo.revisions(doc.id) for e in _revision_events(rev, ids)]
    seen = set()
    for link in [*links, *(history.reuse_of(doc.id) if history.reuse_of else [])]:
        code = link.get("dossier_code", "")
        if (code, link.get("linked_at")) in seen:
            continue
        seen.add((code, link.get("linked_at")))
        detail = f"Sử dụng lại trong hồ sơ {code} (không nộp lại giấy tờ đã có)"
        events.append(
            Event("reuse", link.get("linked_at", ""), detail, link.get("linked_by") or SOFTWARE, ids)
        )
    for run in history.fixity_runs:
        if run.finished and run.started >= doc.digitised_at:
            found = run.problems.get(doc.id)
            detail = "Kiểm tra định kỳ: " + ("; ".join(found) if found else "SHA-256 khớp")
            events.append(
                Event("fixity check", run.finished, detail, SOFTWARE, ids, "fail" if found else "pass")
            )
    return events
