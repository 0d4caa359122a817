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

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help="serve the web app (and run a worker)")
    p.add_argument("--host", default=DEFAULT_HOST)
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
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


def run(args, services) -> int:
    from werkzeug.serving import make_server

    from search_ui.app import create_app
    from search_ui.bootstrap import ensure_first_admin

    ensure_first_admin(services, sys.stderr)
    app = create_app(services)
    server = make_server(args.host, args.port, app, threaded=True)
    child = None if args.no_worker else subprocess.Popen(worker_command(args, services))

    def _stop(*_):
        # shutdown() waits for serve_forever to return, so it must run off the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"sohoa: serving on http://{args.host}:{server.server_port}/"
          + ("" if child is None else f" (worker pid {child.pid})"), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        stop_child(child)
        server.server_close()
    return 0
