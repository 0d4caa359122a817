"""The agency's signing key: a PKCS#12 file, or a USB token / HSM through PKCS#11.

Both give a pyHanko ``Signer``; the token's session stays open only while signing. A certificate
that may not sign (no digitalSignature / nonRepudiation key usage) is refused before any use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asn1crypto import x509
from pyhanko.sign import signers

from archive.signing.config import SigningConfig, SigningError

SIGNING_USAGES = {"digital_signature", "non_repudiation"}


def check_signing_usage(cert: x509.Certificate) -> None:
    """Refuse a certificate whose key usage does not allow signing documents."""
    usage = cert.key_usage_value
    if usage is not None and not SIGNING_USAGES & set(usage.native):
        raise SigningError(
            "certificate_not_for_signing",
            "Chứng thư số không có mục đích ký số (key usage thiếu digitalSignature/nonRepudiation): "
            f"{cert.subject.human_friendly}",
        )


def load_pkcs12(path: str, password: str | None) -> signers.SimpleSigner:
    """The key and chain of a PKCS#12 file; a wrong password is a clear refusal."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError("key_unreadable", f"Không đọc được tệp khóa ký số {path}: {exc.strerror}") from exc
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=[], passphrase=password.encode() if password is not None else None
        )
    except (ValueError, TypeError) as exc:
        raise SigningError(
            "key_password_wrong",
            f"Không mở được tệp khóa ký số {Path(path).name}: sai mật khẩu hoặc tệp hỏng.",
        ) from exc
    assert signer.signing_cert is not None
    check_signing_usage(signer.signing_cert)
    return signer


@contextmanager
def pkcs11_signer(config: SigningConfig) -> Iterator[signers.Signer]:
    """A signer on the token named by ``pkcs11_token``, key ``pkcs11_key``; the session closes
    afterwards. Token absent and wrong PIN are clear refusals."""
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            config.pkcs11_module, token_criteria=TokenCriteria(label=config.pkcs11_token), user_pin=config.pin
        )
    except pkcs11.exceptions.PinIncorrect as exc:
        raise SigningError(
            "token_pin_wrong", f"Sai mã PIN của thiết bị ký số {config.pkcs11_token}."
        ) from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise SigningError("token_locked", f"Thiết bị ký số {config.pkcs11_token} đã bị khóa PIN.") from exc
    except (pkcs11.exceptions.PKCS11Error, RuntimeError, OSError) as exc:
        raise SigningError(
            "token_absent",
            f"Không tìm thấy thiết bị ký số {config.pkcs11_token!r}: {exc or type(exc).__name__}",
        ) from exc
    try:
        signer = PKCS11Signer(session, key_label=config.pkcs11_key, cert_label=config.pkcs11_key)
        try:
            cert = signer.signing_cert
        except Exception as exc:  # pyHanko raises its own errors for objects not found on the token
            raise SigningError(
                "token_key_missing",
                f"Không tìm thấy khóa/chứng thư {config.pkcs11_key!r} trên thiết bị {config.pkcs11_token}.",
            ) from exc
        check_signing_usage(cert)
        yield signer
    finally:
        session.close()


@contextmanager
def open_signer(config: SigningConfig) -> Iterator[signers.Signer]:
    """The configured signer (token when ``pkcs11_module`` is set, else the PKCS#12 file)."""
    config.check_ready()
    if config.uses_token:
        with pkcs11_signer(config) as signer:
            yield signer
    else:
        yield load_pkcs12(config.pkcs12, config.password)
