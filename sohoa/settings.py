"""Settings: one place that reads the settings file and the environment.

Backends receive the sections they need; nothing else reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULTS = "defaults/settings.toml"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Settings:
    """Resolved settings: the data directory plus the merged settings-file sections."""

    data_dir: Path
    sections: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.sections.get(name, {}))

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def state_db(self) -> Path:
        return self.data_dir / "state.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "archive"


def load_settings(data_dir: str | Path | None = None, settings_file: str | Path | None = None) -> Settings:
    """Merge the packaged defaults, the settings file and the few environment overrides."""
    text = resources.files("sohoa").joinpath(DEFAULTS).read_text(encoding="utf-8")
    sections = tomllib.loads(text)
    settings_file = settings_file or os.environ.get("SOHOA_SETTINGS")
    if settings_file:
        with open(settings_file, "rb") as fh:
            sections = _merge(sections, tomllib.load(fh))
    data = Path(data_dir or os.environ.get("SOHOA_DATA_DIR") or "./data").resolve()
    return Settings(data_dir=data, sections=sections)
