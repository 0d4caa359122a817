"""The spool's ``incoming`` folder: uploads copied in (fsync'ed) before their job is recorded.

An upload holds an exclusive ``flock`` on its spool file from the moment it is created until its
job is recorded or it is refused. A process killed in between leaves a file that nobody holds
and no job names: ``sweep_orphans`` (run by the worker) removes exactly those. A file in flight
(locked) or named by a job is never touched.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.storage_errors import storage_guard

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


@contextmanager
def spooled_copy(src: Path, spool: Path) -> Iterator[tuple[Path, str]]:
    """Copy ``src`` into ``spool/incoming`` with fsync and yield its path and SHA-256, holding
    the file's lock for the duration (the caller records the job or removes the file)."""
    incoming = spool / "incoming"
    with open(src, "rb") as fin:  # a source that cannot be read is the file's problem...
        with storage_guard():  # ...a spool that cannot be written is ours
            incoming.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=incoming, prefix="up-")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino != os.stat(tmp).st_ino:  # swept before we held it: never here
                raise FileNotFoundError(tmp)
            sha = _write_all(fin, fd)
        except BaseException:
            os.close(fd)
            Path(tmp).unlink(missing_ok=True)  # never leave a partial spool file
            raise
    try:
        yield Path(tmp), sha
    finally:
        os.close(fd)  # releases the lock: from now on a job names the file, or it is gone


def _write_all(fin, fd: int) -> str:
    h = hashlib.sha256()
    with os.fdopen(fd, "wb", closefd=False) as fout:
        while chunk := fin.read(CHUNK):
            h.update(chunk)
            with storage_guard():
                fout.write(chunk)
        with storage_guard():
            fout.flush()
            os.fsync(fout.fileno())
    return h.hexdigest()


def sweep_orphans(spool: Path, named_by_job: Callable[[str], bool]) -> int:
    """Remove the files of ``spool/incoming`` that no upload holds and no job names (left by a
    process killed between copying an upload and recording its job); return how many."""
    incoming = spool / "incoming"
    removed = 0
    for path in sorted(incoming.glob("up-*")) if incoming.is_dir() else []:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue  # finished meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # an upload is still on its way
        try:
            if not named_by_job(str(path)):
                path.unlink(missing_ok=True)
                removed += 1
        finally:
            os.close(fd)
    if removed:
        log.warning("removed %d spool file(s) of uploads interrupted before their job was recorded", removed)
    return removed
