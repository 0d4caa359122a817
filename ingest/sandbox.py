"""Run untrusted-input work (PDF inspection, decoding, OCR) in a child process with limits on
memory, CPU time and wall time, so a decompression bomb or a parser bug takes down the child,
not the worker.

The child is forked from a fork server ('forkserver': a clean process started once, holding no
thread, open index writer or state of the worker) that has imported the sandboxed code and its
libraries already (ingest/sandbox_preload.py): a child starts in milliseconds, where 'spawn' paid
about a second of imports per file. The child takes the caller's current environment and working
directory (as a spawned one would), sets its rlimits, runs a module-level function and sends back
its JSON-able result or its error. The worker's death ends the fork server, whose death ends the
child (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing as mp
import os
import resource
import signal
import traceback
from dataclasses import dataclass
from typing import Any

from ingest.reasons import is_known

_CTX = mp.get_context("forkserver")
# "__main__" too, so that a child does not run the main script again (as 'spawn' would).
_CTX.set_forkserver_preload(["__main__", "ingest.sandbox_preload"])
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class SandboxLimits:
    memory_mb: int = 3072  # address space of the child (and the tesseract it starts)
    cpu_seconds: int = 900
    wall_seconds: float = 1200.0


class SandboxError(Exception):
    """The child ended without a result: ``kind`` is 'timeout', 'killed' or 'error'."""

    def __init__(
        self, kind: str, detail: str = "", code: str = "", message: str = "", trace: str = ""
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail, self.code, self.message = kind, detail, code, message
        self.trace = trace


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this child when the worker dies, so a killed worker leaves no OCR
    running on behalf of a job that the next worker will run again."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _child(conn, target: str, kwargs: dict, limits: SandboxLimits, env: dict, cwd: str) -> None:
    _die_with_parent()
    # The fork server was started with the environment of the first call: take today's.
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    mem = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    module, _, name = target.rpartition(".")
    try:
        result = getattr(importlib.import_module(module), name)(**kwargs)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("killed", {"detail": "memory limit"}))
    except Exception as exc:  # noqa: BLE001 - sent to the parent, which decides
        # Only our own errors carry a reason code: a library's ``code`` (OpenCV's -215) is detail.
        code = getattr(exc, "code", "")
        known = is_known(code)
        conn.send(
            (
                "error",
                {
                    "type": type(exc).__name__,
                    "code": code if known else "",
                    "message": getattr(exc, "message", "") if known else "",
                    "detail": str(exc)[:2000],
                    "trace": traceback.format_exc()[-4000:],
                },
            )
        )
    finally:
        conn.close()


def run_in_sandbox(target: str, kwargs: dict[str, Any], limits: SandboxLimits = SandboxLimits()) -> Any:
    """Call ``target`` ('package.module.function') with ``kwargs`` in a limited child process."""
    parent, child = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(
        target=_child, args=(child, target, kwargs, limits, dict(os.environ), os.getcwd()), daemon=True
    )
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.wall_seconds):
            proc.kill()
            raise SandboxError("timeout", f"no result after {limits.wall_seconds:.0f} s")
        try:
            status, payload = parent.recv()
        except EOFError as exc:  # the child died (rlimit signal, OOM killer, segfault)
            proc.join(5)
            raise SandboxError("killed", f"exit code {proc.exitcode}") from exc
    finally:
        parent.close()
        proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if status == "ok":
        return payload
    if status == "killed":
        raise SandboxError("killed", payload["detail"])
    raise SandboxError(
        "error",
        f"{payload['type']}: {payload['detail']}",
        payload["code"],
        payload["message"],
        payload.get("trace", ""),
    )
