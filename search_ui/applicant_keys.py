"""Opaque keys for applicant pages: ``/applicants/<key>`` never carries a citizen ID.

The key is the ID encrypted deterministically (AES-SIV) with a key derived from the installation's
web secret, so the same applicant always has the same address, nothing needs storing, and
neither browser history nor a server log reveals the ID."""

from __future__ import annotations

import base64
import hashlib
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from flask import current_app

# A bookmark of the old ``/applicants/<ID>`` form: an ID of 9-13 digits (dashes allowed).
OLD_ID = re.compile(r"^[0-9][0-9-]{7,15}[0-9]$")
_CONTEXT = b"sohoa applicant key\x00"


def _cipher() -> AESSIV:
    secret = current_app.config["SECRET_KEY"]
    raw = secret if isinstance(secret, bytes) else str(secret).encode()
    return AESSIV(hashlib.sha512(_CONTEXT + raw).digest())


def applicant_key(applicant_id: str) -> str:
    """The opaque key of ``applicant_id`` (URL-safe, stable for this installation)."""
    sealed = _cipher().encrypt(applicant_id.encode(), None)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def applicant_id_of(key: str) -> str | None:
    """The applicant ID behind ``key``, or None when it is not a key of this installation."""
    try:
        sealed = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        return _cipher().decrypt(sealed, None).decode()
    except (ValueError, InvalidTag, UnicodeDecodeError):
        return None


def is_old_id(text: str) -> bool:
    """Whether ``text`` is a raw applicant ID (a bookmark from before opaque keys)."""
    digits = text.replace("-", "")
    return bool(OLD_ID.match(text)) and 9 <= len(digits) <= 13
