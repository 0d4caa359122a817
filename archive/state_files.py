"""The state kept in folders rather than in the state DB (the scanned batches' records and the
pages held for an officer to route), copied into the archive beside each state backup as one tar
object ``state-backups/<time>-files.tar`` and brought back with it."""

from __future__ import annotations

import os
import tarfile
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from archive.object_store import ObjectStore
from archive.state_backup import SUFFIX

FILES_SUFFIX = "-files.tar"


def files_key(state_key: str) -> str:
    """The key of the folders' tar that goes with the state backup ``state_key``."""
    return state_key[: -len(SUFFIX)] + FILES_SUFFIX


def _not_a_lock(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return None if info.name.endswith((".lock", ".tmp")) else info


def backup_files(store: ObjectStore, state_key: str, root: Path, names: Sequence[str]) -> str:
    """Store the folders ``names`` of ``root`` as the tar beside ``state_key``; '' when none exists."""
    folders = [name for name in names if (root / name).is_dir()]
    if not folders:
        return ""
    fd, tmp = tempfile.mkstemp(prefix="sohoa-state-files-", suffix=".tar")
    os.close(fd)
    try:
        with tarfile.open(tmp, "w") as tar:
            for name in folders:
                tar.add(root / name, arcname=name, filter=_not_a_lock)
        store.put_file(files_key(state_key), tmp, content_type="application/x-tar")
    finally:
        os.unlink(tmp)
    return files_key(state_key)


def restore_files(store: ObjectStore, state_key: str, root: Path, names: Sequence[str]) -> list[str]:
    """Bring back the folders stored beside ``state_key`` (the folders they replace are kept,
    renamed ``<name>.before-restore-<time>``); returns the folders restored."""
    key = files_key(state_key)
    if not store.exists(key):
        return []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(dir=root, prefix=".restore-files-") as tmp:
        with store.open(key) as src, tarfile.open(fileobj=src, mode="r|") as tar:
            tar.extractall(tmp, filter="data")  # no absolute paths, links out or devices
        restored = [name for name in names if (Path(tmp) / name).is_dir()]
        for name in restored:
            if (root / name).exists():
                os.replace(root / name, root / f"{name}.before-restore-{stamp}")
            os.replace(Path(tmp) / name, root / name)
    return restored
