"""Functions the sandbox tests run in a child process (module-level, so 'spawn' can import them)."""

from __future__ import annotations

import os
import time


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def crash() -> None:
    os._exit(3)


def parent_pid() -> int:
    return os.getppid()
