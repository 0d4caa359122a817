"""A real test PKI on 127.0.0.1: root CA, the agency's certificates (good, revoked, expired,
without the signing key usage), a time-stamp authority, OCSP and CRL, built by certomancer from
keys generated here and served over HTTP by its WSGI "animator" in a thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, PKIArchitecture
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from werkzeug.serving import make_server

ARCH = "sohoa"
KEYS = ("root", "tsa", "ocsp", "agency", "revoked", "expired", "nosign", "other-root")
AGENCY_NAME = "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai"


def _signer_cert(valid_to: str = "2045-01-01T00:00:00+0000", usage: list[str] | None = None) -> dict:
    return {
        "issuer": "root",
        "validity": {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": valid_to},
        "extensions": [
            {
                "id": "key_usage",
                "critical": True,
                "smart-value": {
                    "schema": "key-usage",
                    "params": usage or ["digital_signature", "non_repudiation"],
                },
            },
            {
                "id": "crl_distribution_points",
                "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
            },
            {
                "id": "authority_information_access",
                "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["root"]}},
            },
        ],
    }


def _config(key_dir: Path, url: str) -> dict[str, Any]:
    ca_usage = {"schema": "key-usage", "params": ["digital_signature", "key_cert_sign", "crl_sign"]}
    ca_ext = [
        {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
        {"id": "key_usage", "critical": True, "smart-value": ca_usage},
    ]
    long = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2050-01-01T00:00:00+0000"}
    tsa_ext = [
        {
            "id": "key_usage",
            "critical": True,
            "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
        },
        {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
        {
            "id": "crl_distribution_points",
            "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
        },
    ]
    revoked = _signer_cert()
    revoked["revocation"] = {"revoked-since": "2025-06-01T00:00:00+0000", "reason": "key_compromise"}
    return {
        "external-url-prefix": url,
        "keysets": {ARCH: {"path-prefix": str(key_dir), "keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organization-name": "Sohoa Test PKI"},
                "entities": {
                    "root": {"common-name": "Sohoa Test Root CA"},
                    "other-root": {"common-name": "Somebody Else Root CA"},
                    "tsa": {"common-name": "Sohoa Test TSA"},
                    "ocsp": {"common-name": "Sohoa Test OCSP"},
                    "agency": {"common-name": AGENCY_NAME},
                    "revoked": {"common-name": AGENCY_NAME + " (revoked)"},
                    "expired": {"common-name": AGENCY_NAME + " (expired)"},
                    "nosign": {"common-name": AGENCY_NAME + " (encryption only)"},
                },
                "certs": {
                    "root": {"subject": "root", "issuer": "root", "validity": long, "extensions": ca_ext},
                    "other-root": {
                        "subject": "other-root",
                        "issuer": "other-root",
                        "validity": long,
                        "extensions": ca_ext,
                    },
                    "tsa": {"issuer": "root", "validity": long, "extensions": tsa_ext},
                    "ocsp": {
                        "issuer": "root",
                        "validity": long,
                        "extensions": [
                            {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                            {"id": "ocsp_no_check"},
                        ],
                    },
                    "agency": _signer_cert(),
                    "revoked": revoked,
                    "expired": _signer_cert(valid_to="2022-01-01T00:00:00+0000"),
                    "nosign": _signer_cert(usage=["key_encipherment"]),
                    "stranger": {
                        **_signer_cert(),
                        "subject": "agency",
                        "subject-key": "nosign",
                        "issuer": "other-root",
                    },
                },
                "services": {
                    "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P7D",
                        }
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


@dataclass
class ServedPki:
    """The served PKI and the files a center would be handed."""

    folder: Path
    url: str
    arch: PKIArchitecture
    server: Any

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"

    def root_pem(self, label: str = "root") -> Path:
        path = self.folder / f"{label}.crt.pem"
        cert = self.arch.get_cert(CertLabel(label))
        path.write_bytes(_pem(cert.dump()))
        return path

    def pkcs12(self, label: str, password: str, key_label: str | None = None) -> Path:
        """The agency's key and chain (certificate ``label``) as a PKCS#12 file."""
        from cryptography import x509

        key = serialization.load_pem_private_key(
            (self.folder / f"{key_label or label}.key.pem").read_bytes(), None
        )
        cert = x509.load_der_x509_certificate(self.arch.get_cert(CertLabel(label)).dump())
        issuer = self.arch.get_cert(CertLabel("other-root" if label == "stranger" else "root"))
        chain = [x509.load_der_x509_certificate(issuer.dump())]
        data = pkcs12.serialize_key_and_certificates(
            label.encode(),
            key,
            cert,
            chain,
            serialization.BestAvailableEncryption(password.encode()),  # type: ignore[arg-type]
        )
        path = self.folder / f"{label}.p12"
        path.write_bytes(data)
        return path

    def key_pem(self, label: str) -> Path:
        return self.folder / f"{label}.key.pem"

    def cert_der(self, label: str) -> bytes:
        return self.arch.get_cert(CertLabel(label)).dump()

    def stop(self) -> None:
        self.server.shutdown()


def _pem(der: bytes) -> bytes:
    import base64

    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def start_pki(folder: Path) -> ServedPki:
    """Generate keys, build the PKI and serve TSA, OCSP and CRL on a free port of 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    for label in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (folder / f"{label}.key.pem").write_bytes(pem)
    holder: dict[str, Any] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(_config(folder, url), key_search_dir=str(folder))
    arch = config.get_pki_arch(ArchLabel(ARCH))
    holder["app"] = Animator(AnimatorArchStore({ArchLabel(ARCH): arch}), with_web_ui=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return ServedPki(folder, url, arch, server)
