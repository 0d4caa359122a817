"""Vietnamese first, English available: message catalogues in ``translations/<lang>.json``.

The language comes from ``?lang=`` (remembered in the session), else Vietnamese. A key missing
from a catalogue falls back to Vietnamese, then to the key itself, so a page never breaks.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import request, session

LANGUAGES = ("vi", "en")
DEFAULT = "vi"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    # A plain path, not importlib.resources: the editable install may expose the package as a
    # namespace, which resources cannot read from.
    text = (Path(__file__).parent / "translations" / f"{lang}.json").read_text(encoding="utf-8")
    return json.loads(text)


def current_language() -> str:
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    lang = session.get("lang", DEFAULT)
    return lang if lang in LANGUAGES else DEFAULT


def translate(key: str, **values: object) -> str:
    """The message for ``key`` in the current language, formatted with ``values``."""
    lang = current_language()
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


def label(prefix: str, value: str) -> str:
    """The word for a code (``label("status_", "received")``), or the code itself when the
    catalogues have no word for it (codes other modules add later still show)."""
    key = prefix + str(value)
    lang = current_language()
    return catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or str(value)
