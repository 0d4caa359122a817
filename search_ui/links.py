"""Links built from what the user sent: only known parameters reach ``url_for``.

``url_for`` reads keyword arguments such as ``_method``, ``_anchor``, ``_external``, ``_scheme``
and ``endpoint`` itself; passing a request's arguments through unfiltered turns a crafted query
string (``/search?q=x&_method=POST``) into a server error. Every link that carries the user's
own parameters goes through ``known_args``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from search_ui.queries import USER_FILTERS

SEARCH_PARAMS = ("q", "sort", "from", "to", *USER_FILTERS)


def known_args(args: Mapping[str, str], allowed: Iterable[str]) -> dict[str, str]:
    """The ``allowed`` parameters of ``args`` (first value each, as strings), in that order."""
    return {name: str(args[name]) for name in allowed if name in args and args[name] != ""}


def search_params() -> dict[str, str]:
    """The current request's search parameters (without the page), safe for ``url_for``."""
    from flask import request

    return known_args(request.args, SEARCH_PARAMS)
