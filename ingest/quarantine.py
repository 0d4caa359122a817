"""Files kept aside for the IT unit: active content, polyglots. Never archived, never served
inline; each with a reason file next to it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ingest.refusal import Refusal


def quarantine(root: Path, name: str, src: Path, *, file_name: str, sha256: str, refusal: Refusal) -> Path:
    """Move ``src`` into ``root/name/`` beside a reason.json; returns the folder."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    if src.exists():
        shutil.move(str(src), folder / "file.bin")
    (folder / "reason.json").write_text(
        json.dumps(
            {
                "file_name": file_name,
                "sha256": sha256,
                "reason_code": refusal.reason_code,
                "message": refusal.message,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return folder
