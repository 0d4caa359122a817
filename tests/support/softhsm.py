"""A real PKCS#11 token: SoftHSM2 with its token folder in a temporary directory, holding the
agency's key (imported with softhsm2-util) and certificate (written through PKCS#11)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "sohoa-token"
KEY_LABEL = "agency"
PIN = "246810"
SO_PIN = "135791"


@dataclass
class SoftToken:
    conf: Path
    module: str = MODULE
    token: str = TOKEN
    key: str = KEY_LABEL
    pin: str = PIN

    @property
    def env(self) -> dict[str, str]:
        return {"SOFTHSM2_CONF": str(self.conf)}


def _util(conf: Path, *args: str) -> None:
    subprocess.run(
        ["softhsm2-util", *args],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )


def make_token(folder: Path, key_pem: Path, cert_der: bytes) -> SoftToken:
    """Initialise a token in ``folder`` and put the key and its certificate on it."""
    if not Path(MODULE).is_file():
        raise AssertionError(f"SoftHSM2 is not installed ({MODULE}): run scripts/install-system.sh --test")
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    _util(conf, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    _util(conf, "--import", str(key_pem), "--token", TOKEN, "--label", KEY_LABEL, "--id", "01", "--pin", PIN)
    _store_cert(conf, cert_der)
    return SoftToken(conf=conf)


def _store_cert(conf: Path, cert_der: bytes) -> None:
    """Write the certificate object in a child process (SoftHSM reads SOFTHSM2_CONF at load)."""
    code = (
        "import sys, pkcs11\n"
        "from pkcs11 import Attribute, ObjectClass, CertificateType\n"
        "from asn1crypto import x509\n"
        "der = open(sys.argv[1], 'rb').read()\n"
        "cert = x509.Certificate.load(der)\n"
        f"tok = pkcs11.lib({MODULE!r}).get_token(token_label={TOKEN!r})\n"
        f"with tok.open(rw=True, user_pin={PIN!r}) as s:\n"
        "    s.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,\n"
        "        Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,\n"
        f"        Attribute.LABEL: {KEY_LABEL!r}, Attribute.ID: b'\\x01', Attribute.VALUE: der,\n"
        "        Attribute.SUBJECT: cert.subject.dump(), Attribute.ISSUER: cert.issuer.dump(),\n"
        "        Attribute.SERIAL_NUMBER: cert['tbs_certificate']['serial_number'].dump()})\n"
    )
    der_path = conf.with_name("agency.der")
    der_path.write_bytes(cert_der)
    import sys

    subprocess.run(
        [sys.executable, "-c", code, str(der_path)],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )
