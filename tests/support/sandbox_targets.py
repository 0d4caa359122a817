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


class LibraryError(Exception):
    """Looks like OpenCV's error: a numeric ``code`` and C++ text that must never reach an officer."""

    code = -215


def library_failure() -> None:
    raise LibraryError("OpenCV(5.0.0) filterengine.hpp:376: error: (-215:Assertion failed) anchor.inside")


def refusal_of_ours() -> None:
    from ocr.errors import OcrError

    raise OcrError("damaged", "nothing decodable")


def surroundings(name: str) -> dict:
    """What the child sees of its caller: one environment variable, the working directory, its
    parent (the fork server, not the caller)."""
    return {"env": os.environ.get(name), "cwd": os.getcwd(), "ppid": os.getppid()}
