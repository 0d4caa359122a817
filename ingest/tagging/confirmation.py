"""Keep what the tagger proposed and what the officer confirmed, in the document's manifest.

Both live in ``DocumentMetadata.extra["tagging"]`` (the manifest is the source of truth, so the
catalogue and reports can be rebuilt from it)::

    {"version": 1,
     "proposed": <TagResult.to_dict()>, "proposed_at": "2026-11-27T09:00:00+00:00",
     "confirmed": {"type": "Quyết định", "number": "...", ...},     # flat values, FIELDS keys
     "review": {"type": "confirmed", "number": "corrected", ...},  # per field outcome
     "confirmed_by": "officer login", "confirmed_at": "..."}

The confirmed values are also written to the metadata's own fields (type_name, number, issued_date,
issuing_organ, subject, signer) and ``extra["place"]``, ``extra["signer_position"]``,
``extra["identifiers"]``. ``tagging_accuracy`` turns many manifests into per-field accuracy in real use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ingest.tagging.result import FIELDS, TagResult
from ingest.tagging.text import SPACES

KEY = "tagging"
# Flat field name -> attribute of archive.model.DocumentMetadata (None: kept in ``extra``).
METADATA_ATTRS = {
    "type": "type_name",
    "number": "number",
    "issued_date": "issued_date",
    "organ": "issuing_organ",
    "subject": "subject",
    "signer_name": "signer",
    "place": None,
    "signer_position": None,
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _same(a: str, b: str) -> bool:
    """Equal for the officer: case and spacing aside (diacritics count)."""
    return SPACES.sub(" ", (a or "").strip()).casefold() == SPACES.sub(" ", (b or "").strip()).casefold()


def _apply(metadata: Any, values: Mapping[str, str], overwrite: bool) -> None:
    for name, value in values.items():
        attr = METADATA_ATTRS.get(name)
        if attr is None:
            if name in METADATA_ATTRS and (overwrite or not metadata.extra.get(name)):
                metadata.extra[name] = value
            continue
        if overwrite or not getattr(metadata, attr):
            setattr(metadata, attr, value)


def record_proposal(metadata: Any, result: TagResult, *, fill: bool = True) -> dict[str, Any]:
    """Store the tagger's proposal in ``metadata.extra``; with ``fill``, pre-fill empty fields with it.

    ``metadata`` is an ``archive.model.DocumentMetadata`` (anything with those attributes and ``extra``).
    """
    entry = {"version": 1, "proposed": result.to_dict(), "proposed_at": _now()}
    metadata.extra[KEY] = entry
    if fill:
        _apply(metadata, result.values(), overwrite=False)
        metadata.extra.setdefault("identifiers", [i.to_dict() for i in result.identifiers])
        if result.organ_parent.value:
            metadata.extra.setdefault("organ_parent", result.organ_parent.value)
    return entry


def _proposed_values(entry: Mapping[str, Any]) -> dict[str, str]:
    proposed = entry.get("proposed") or {}
    flat = {name: (proposed.get(name) or {}).get("value", "") for name in FIELDS[:6]}
    signer = proposed.get("signer") or {}
    flat["signer_name"] = (signer.get("name") or {}).get("value", "")
    flat["signer_position"] = (signer.get("position") or {}).get("value", "")
    return flat


def record_confirmation(
    metadata: Any,
    confirmed: Mapping[str, str],
    officer: str,
    identifiers: list[dict] | None = None,
    at: str | None = None,
) -> dict[str, str]:
    """Store the officer's values (all of ``FIELDS`` they saw; missing keys keep the proposal) and
    apply them to the metadata. Returns the per-field outcome: confirmed, corrected, added or cleared."""
    entry = metadata.extra.setdefault(KEY, {"version": 1, "proposed": {}})
    proposed = _proposed_values(entry)
    unknown = set(confirmed) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown metadata field(s): {sorted(unknown)}")
    final = {name: confirmed.get(name, proposed.get(name, "")) for name in FIELDS}
    review = {}
    for name in FIELDS:
        before, after = proposed.get(name, ""), final[name]
        if _same(before, after):
            review[name] = "confirmed"
        elif not before:
            review[name] = "added"
        elif not after:
            review[name] = "cleared"
        else:
            review[name] = "corrected"
    entry.update(
        {"confirmed": final, "review": review, "confirmed_by": officer, "confirmed_at": at or _now()}
    )
    _apply(metadata, final, overwrite=True)
    if identifiers is not None:
        metadata.extra["identifiers"] = identifiers
    return review


def tagging_accuracy(metadatas: Iterable[Any]) -> dict[str, dict[str, float]]:
    """Per field over reviewed documents: how many were reviewed, right as proposed, and the rate.

    A field counts as right when the officer confirmed it, or when both proposal and confirmation are
    empty (e.g. no organ on a citizen's form).
    """
    stats = {name: {"reviewed": 0, "right": 0} for name in FIELDS}
    for metadata in metadatas:
        review = (metadata.extra.get(KEY) or {}).get("review")
        if not review:
            continue
        for name in FIELDS:
            if name in review:
                stats[name]["reviewed"] += 1
                stats[name]["right"] += review[name] == "confirmed"
    return {
        name: {**s, "accuracy": round(s["right"] / s["reviewed"], 4) if s["reviewed"] else 0.0}
        for name, s in stats.items()
    }
