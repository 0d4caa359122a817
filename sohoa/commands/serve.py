"""``sohoa serve [--host H] [--port P] [--no-worker]``: the web app, plus a worker child process.

The web process only reads the search index; the worker (started here as a child with the same
--data-dir and --settings, unless --no-worker) runs the uploads' jobs and is the only index writer.
The child is stopped when the server stops.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sohoa.setting_sections import WebSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help="serve the web app (and run a worker)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--no-worker", action="store_true", help="do not start a worker child process")
    p.set_defaults(func=run)


def worker_command(args, services) -> list[str]:
    """The command line of the worker child: same data directory and settings file."""
    cmd = [sys.executable, "-m", "sohoa.cli", "--data-dir", str(services.settings.data_dir)]
    if getattr(args, "settings", None):
        cmd += ["--settings", str(args.settings)]
    return [*cmd, "worker"]


def stop_child(child: subprocess.Popen | None, timeout: float = 20.0) -> None:
    """SIGTERM (the worker finishes its current step), then SIGKILL if it does not end."""
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


class WorkerSupervisor:
    """Keeps one worker child running: restarts it (after a pause) if it dies, stops it on exit."""

    RESTART_PAUSE = 5.0

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.child: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> int:
        with self._lock:
            self.child = subprocess.Popen(self.command)
            pid = self.child.pid
        threading.Thread(target=self._watch, daemon=True, name="worker-supervisor").start()
        return pid

    def _watch(self) -> None:
        while not self._stopping.wait(1.0):
            with self._lock:
                if self.child is None or self.child.poll() is None:
                    continue
                code = self.child.returncode
            print(
                f"sohoa: worker exited with {code}; restarting in {self.RESTART_PAUSE:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            if self._stopping.wait(self.RESTART_PAUSE):
                return
            with self._lock:
                if not self._stopping.is_set():
                    self.child = subprocess.Popen(self.command)

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            stop_child(self.child)


def make_server(app, host: str, port: int, web: WebSettings):
    """The production WSGI server (waitress): read and header limits from ``[web]``, no
    ``Server`` banner. Slow clients wait in its event loop, so they hold no app thread; a body
    announced above the upload limit is refused on its headers (413) without being read."""
    from waitress.server import create_server

    return create_server(
        app,
        host=host,
        port=port,
        ident="",  # no Server header (no product or version banner)
        threads=web.threads,
        channel_timeout=web.read_timeout_seconds,
        cleanup_interval=max(1, min(30, web.read_timeout_seconds // 2)),
        max_request_header_size=web.max_header_bytes,
        max_request_body_size=web.max_upload_bytes,
        expose_tracebacks=False,
        # Behind a reverse proxy the app's ProxyFix (``behind_proxy``) reads X-Forwarded-*.
        clear_untrusted_proxy_headers=False,
    )


def run(args, services) -> int:
    from search_ui.app import create_app
    from search_ui.bootstrap import ensure_first_admin

    ensure_first_admin(services, sys.stderr)
    app = create_app(services)
    server = make_server(app, args.host, args.port, services.settings.web)
    worker = None if args.no_worker else WorkerSupervisor(worker_command(args, services))
    pid = worker.start() if worker else None

    def _stop(*_):
        raise SystemExit(0)  # ends waitress's loop in the main thread, which then shuts down

    signal.signal(signal.SIGTERM, _stop)
    print(
        f"sohoa: serving on http://{args.host}:{server.effective_port}/"
        + ("" if pid is None else f" (worker pid {pid})"),
        file=sys.stderr,
        flush=True,
    )
    try:
        server.run()
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        if worker:
            worker.stop()
        server.close()
    return 0
