"""Trust roots: the PEM (or DER) files named by ``[signing] trust_roots``."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import pem, x509

from archive.signing.config import SigningError


def load_certs(path: str | Path) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle or a DER file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(
            "trust_root_unreadable", f"Không đọc được chứng thư gốc {path}: {exc.strerror}"
        ) from exc
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def load_roots(paths: tuple[str, ...] | list[str]) -> list[x509.Certificate]:
    """The certificates of all ``trust_roots`` files."""
    return [cert for path in paths for cert in load_certs(path)]
