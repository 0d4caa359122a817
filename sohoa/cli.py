"""The ``sohoa`` command line. Each command group lives in ``sohoa/commands/<name>.py`` and
exposes ``register(subparsers)``; this module only discovers them and dispatches."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import pkgutil
import sys
from pathlib import Path

import sohoa.commands
from archive.object_store import StoreConfigError, StoreUnreachable
from ingest.storage_errors import storage_detail
from sohoa.settings import SettingsError, load_settings
from sohoa.state_check import corrupt_state_message, is_corruption, state_problem
from sohoa.wiring import services


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: the option may stand before or after the command without one hiding the other.
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="data directory (default $SOHOA_DATA_DIR or ./data)"
    )
    common.add_argument(
        "--settings",
        default=argparse.SUPPRESS,
        help="settings file (TOML) for the backends (default $SOHOA_SETTINGS)",
    )
    parser = argparse.ArgumentParser(
        prog="sohoa", description="Số hóa hồ sơ: scan, OCR, archive, search.", parents=[common]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for mod in sorted(pkgutil.iter_modules(sohoa.commands.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue  # helpers shared by commands
        module = importlib.import_module(f"sohoa.commands.{mod.name}")
        module.register(sub, common)
    return parser


# Commands that never touch the object store; every other one looks at the store first, so a
# misconfigured one is refused in one line before anything is accepted.
NO_STORE = {"ocr", "tag", "users", "jobs", "search", "migrate-state"}


def look_at_store(wired) -> None:
    """Check the store before the command uses it. A store that does not answer is refused the
    first time (a wrong endpoint), but once it has answered for this data directory it is an
    outage: the command goes on (accepted files wait in the spool, jobs back off)."""
    cfg = wired.settings.store
    identity = f"{cfg.backend} {cfg.endpoint} {cfg.bucket}"
    seen = wired.settings.data_dir / "store-seen"
    try:
        wired.store.check()
    except StoreUnreachable as exc:
        if seen.exists() and seen.read_text(encoding="utf-8") == identity:
            logging.getLogger("sohoa").warning("%s: tạm thời gián đoạn, công việc sẽ chờ và thử lại", exc)
            return
        raise
    if not seen.exists() or seen.read_text(encoding="utf-8") != identity:
        with contextlib.suppress(OSError):  # a full data disk must not stop the command here
            seen.write_text(identity, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("urllib3").setLevel(logging.ERROR)  # each retry of an outage is not news
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(getattr(args, "data_dir", None), getattr(args, "settings", None))
    except (SettingsError, OSError) as exc:
        # Refused at start, before anything runs: the message names the key (or the file).
        print(f"sohoa: settings: {exc}", file=sys.stderr)
        return 2
    problem = state_problem(args.command, settings.state_db)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        wired = services(settings)
        if args.command not in NO_STORE:
            look_at_store(wired)
        return int(args.func(args, wired) or 0)
    except StoreConfigError as exc:
        print(f"sohoa {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error of ours. Point stdout at /dev/null so
        # the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        return _ended_by(exc, args.command, settings.state_db)


def _ended_by(exc: Exception, command: str, state_db: Path) -> int:
    """A damaged state file or a storage error (disk full, read-only, no permission, object
    store down) ends the command with one line naming it and what to do; anything else is a
    bug and keeps its traceback."""
    if is_corruption(exc):
        print(corrupt_state_message(state_db, str(exc)), file=sys.stderr)
        return 1
    detail = storage_detail(exc)
    if not detail:
        raise exc
    logging.getLogger("sohoa").debug("storage error", exc_info=exc)
    print(f"sohoa {command}: lỗi lưu trữ: {detail} ({exc}). Khắc phục rồi chạy lại lệnh.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
