"""Settings: one place that reads the settings file and the environment.

``sohoa/defaults/settings.toml`` is the one place for defaults: every key it holds is known, and a
settings file of the user's overrides any of them. At start the user's file is checked against it:
a key that is not there is refused with its name, a value of the wrong type too; keys that moved
keep working under their old name with a warning (``MOVED``). The merged sections are then parsed
once into typed, validated, frozen sections (``settings.center``, ``settings.store``...), which is
what the rest of the program reads. ``settings.section(name)`` still gives a section as a dict
(for keys without a typed field yet). Backends receive their settings; nothing else reads the
environment.
"""

from __future__ import annotations

import copy
import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sohoa.setting_sections import (
    SECTIONS,
    AuditSettings,
    CalendarSettings,
    CatalogueSettings,
    CenterSettings,
    DisposalSettings,
    IndexSettings,
    JobsSettings,
    LimitsSettings,
    OcrSettings,
    ReplicaSettings,
    RetentionSettings,
    SettingsError,
    StateSettings,
    StoreSettings,
    TaggingSettings,
    TransferSettings,
    WebSettings,
)

__all__ = ["DEFAULTS", "MOVED", "OPEN_TABLES", "Settings", "SettingsError", "defaults", "load_settings"]

log = logging.getLogger(__name__)

DEFAULTS = "defaults/settings.toml"
# Keys that moved: old dotted name -> new dotted name. The old name keeps working, with a warning.
MOVED = {
    "web.procedures": "catalogue.procedures",
    "web.departments": "catalogue.departments",
}
# Tables whose keys are the deployment's own (procedure codes, document types, department codes):
# any key is allowed in them. A table left empty in the defaults file is open too.
OPEN_TABLES = frozenset(
    {
        "retention.by_procedure",
        "retention.by_doc_type",
        "catalogue.procedures",
        "catalogue.departments",
        "transfer.years",
    }
)
# Keys whose value may be of more than one TOML type (their typed section checks the value).
MIXED_TYPES = frozenset({"web.secure_cookies"})


@cache
def _packaged_defaults() -> dict[str, Any]:
    text = resources.files("sohoa").joinpath(DEFAULTS).read_text(encoding="utf-8")
    return tomllib.loads(text)


def defaults() -> dict[str, Any]:
    """The packaged defaults (a fresh copy: callers may change it)."""
    return copy.deepcopy(_packaged_defaults())


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _pop_path(tree: dict[str, Any], dotted: str) -> Any:
    *parents, last = dotted.split(".")
    for name in parents:
        tree = tree.get(name)  # type: ignore[assignment]  # checked just below
        if not isinstance(tree, dict):
            return None
    return tree.pop(last, None)


def _migrate(user: dict[str, Any], source: str) -> dict[str, Any]:
    """Move keys found under an old name (``MOVED``) to their new one, with a warning."""
    for old, new in MOVED.items():
        value = _pop_path(user, old)
        if value is None:
            continue
        log.warning("settings%s: [%s] is now [%s]; the old name still works", _in(source), old, new)
        *parents, last = new.split(".")
        node = user
        for name in parents:
            node = node.setdefault(name, {})
        node[last] = _merge(value, node[last]) if isinstance(node.get(last), dict) else value
    return user


def _in(source: str) -> str:
    return f" ({source})" if source else ""


def _kind(value: Any) -> str:
    """The TOML type of a value, as a person reads it."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number" if isinstance(value, float) else "a whole number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _same_kind(value: Any, default: Any) -> bool:
    # Whole numbers and numbers pass for each other here (seconds may be 2 or 2.5); the typed
    # sections insist on whole numbers where a count is meant.
    numbers = ("a number", "a whole number")
    return _kind(value) == _kind(default) or (_kind(value) in numbers and _kind(default) in numbers)


def _check_known(user: Mapping[str, Any], known: Mapping[str, Any], source: str, path: str = "") -> None:
    """Refuse a key the defaults file does not hold, or a value of another type than its default."""
    for key, value in user.items():
        name = f"{path}.{key}" if path else str(key)
        if key not in known:
            raise SettingsError(f"unknown setting {name}{_in(source)}")
        default = known[key]
        if name not in MIXED_TYPES and not _same_kind(value, default):
            raise SettingsError(f"{name}: must be {_kind(default)}, not {_kind(value)}{_in(source)}")
        if isinstance(default, dict) and not (name in OPEN_TABLES or not default):
            _check_known(value, default, source, name)


@dataclass(frozen=True)
class Settings:
    """Resolved settings: the data directory, the merged sections and their typed views.

    ``sections`` may be given partly (the rest comes from the defaults); it is checked, merged
    over the defaults and parsed into the typed sections when the object is made."""

    data_dir: Path
    sections: dict[str, Any] = field(default_factory=dict)
    source: str = field(default="", compare=False)  # the settings file, named in errors
    center: CenterSettings = field(init=False, repr=False, compare=False)
    calendar: CalendarSettings = field(init=False, repr=False, compare=False)
    tagging: TaggingSettings = field(init=False, repr=False, compare=False)
    store: StoreSettings = field(init=False, repr=False, compare=False)
    replica: ReplicaSettings = field(init=False, repr=False, compare=False)
    jobs: JobsSettings = field(init=False, repr=False, compare=False)
    state: StateSettings = field(init=False, repr=False, compare=False)
    index: IndexSettings = field(init=False, repr=False, compare=False)
    ocr: OcrSettings = field(init=False, repr=False, compare=False)
    limits: LimitsSettings = field(init=False, repr=False, compare=False)
    retention: RetentionSettings = field(init=False, repr=False, compare=False)
    audit: AuditSettings = field(init=False, repr=False, compare=False)
    disposal: DisposalSettings = field(init=False, repr=False, compare=False)
    transfer: TransferSettings = field(init=False, repr=False, compare=False)
    web: WebSettings = field(init=False, repr=False, compare=False)
    catalogue: CatalogueSettings = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        user = _migrate(copy.deepcopy(dict(self.sections)), self.source)
        _check_known(user, _packaged_defaults(), self.source)
        merged = _merge(defaults(), user)
        object.__setattr__(self, "sections", merged)
        for name, cls in SECTIONS.items():
            try:
                typed = cls.from_section(merged[name])
            except SettingsError as exc:
                raise SettingsError(f"{name}.{exc}{_in(self.source)}") from None
            object.__setattr__(self, name, typed)

    def section(self, name: str) -> dict[str, Any]:
        """A section as a dict (a copy): for keys that have no typed field (yet)."""
        return copy.deepcopy(self.sections.get(name, {}))

    @property
    def spool_dir(self) -> Path:
        shared = str(self.sections.get("staging", {}).get("path") or "")
        return Path(shared).resolve() if shared else self.data_dir / "spool"

    @property
    def state_db(self) -> Path:
        return self.data_dir / "state.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "archive"


# The typed sections are listed on the class for readers and type checkers; keep them in step.
assert {f.name for f in fields(Settings) if not f.init} == set(SECTIONS), "Settings fields != SECTIONS"


def load_settings(data_dir: str | Path | None = None, settings_file: str | Path | None = None) -> Settings:
    """Merge the packaged defaults, the settings file and the few environment overrides.

    Raises ``SettingsError`` naming the key when the file holds an unknown key or a wrong value."""
    settings_file = settings_file or os.environ.get("SOHOA_SETTINGS")
    user: dict[str, Any] = {}
    if settings_file:
        try:
            with open(settings_file, "rb") as fh:
                user = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{settings_file}: not valid TOML: {exc}") from None
    data = Path(data_dir or os.environ.get("SOHOA_DATA_DIR") or "./data").resolve()
    return Settings(data_dir=data, sections=user, source=str(settings_file or ""))
