"""What the batch pages show: a batch's parts with the live state of their jobs, the held parts
still waiting for an officer, and the recent batches. Parts filed in a dossier the official may
not see are shown as such, without the dossier's code, name of paper or document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from search_ui.access import Scope

if TYPE_CHECKING:  # the composition root's type, named for the type checker only
    from sohoa.wiring import Services

HIDDEN = ("dossier_code", "component", "document_id", "message")


def _job_state(svc: Services, part: dict) -> dict:
    """The part's job as it stands now (the record holds it as it was handed on)."""
    try:
        job = svc.jobs.get(int(part["job_id"]))
    except (KeyError, TypeError, ValueError):
        return {}
    return {"state": job.state.value, "step": job.step, "job_message": job.message}


def parts_of(svc: Services, scope: Scope, record: dict) -> list[dict]:
    """Every part of ``record`` (a ``BatchBook`` batch) for the page, in stack order."""
    held = {Path(h["file"]).name: h for h in svc.batch_book.held_parts() if h["batch"] == record["id"]}
    rows = []
    for part in record["parts"]:
        row = {**part, "visible": True, "held": None}
        if part["status"] == "held":
            row["held_name"] = Path(part["file"]).name
            row["held"] = held.get(row["held_name"])
            if row["held"] and row["held"]["status"] == "routed":  # now a part like the others
                routed = row["held"]
                row.update(
                    {k: routed.get(k, "") for k in ("dossier_code", "role", "component", "document_id")}
                )
                row["job_id"] = routed.get("job_id")
        code = row.get("dossier_code", "")
        if code and not scope.can_see(svc.catalogue.dossier(code)):
            row.update({key: "" for key in HIDDEN}, visible=False)
        elif row.get("job_id"):
            row.update(_job_state(svc, row))
        rows.append(row)
    return rows


def summary(record: dict, held_now: set[tuple[str, str]]) -> dict:
    """A line of the recent batches' table: pages read, parts, dossiers, held parts waiting."""
    parts = record["parts"]
    pages = sum(len(p["pages"]) + len(p["blank_pages"]) + bool(p["separator_page"]) for p in parts)
    waiting = sum((record["id"], Path(p["file"]).name) in held_now for p in parts if p["status"] == "held")
    return {
        "id": record["id"],
        "received_at": record["received_at"],
        "actor": record["actor"],
        "sources": record["sources"],
        "pages": pages,
        "parts": len(parts),
        "dossiers": len({p["dossier_code"] for p in parts if p["dossier_code"]}),
        "waiting": waiting,
    }


def waiting_parts(svc: Services) -> list[dict]:
    """Held parts not routed yet, oldest first, with their file name."""
    return [{**h, "name": Path(h["file"]).name} for h in svc.batch_book.held_parts() if h["status"] == "held"]
