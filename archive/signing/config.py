"""The ``[signing]`` settings as one value, with the secrets (password, PIN) already looked up by
the composition root: this package never reads the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_STAMP_TEXT = "BẢN SAO ĐIỆN TỬ"
DEFAULT_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


class SigningError(Exception):
    """Signing or verification could not be done; ``message`` is Vietnamese for the official,
    ``code`` a stable reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SigningNotConfigured(SigningError):
    """A setting that signing needs is missing; the message names it."""

    def __init__(self, setting: str, detail: str = "") -> None:
        text = f"Chưa cấu hình ký số: thiếu [signing] {setting}"
        super().__init__("signing_not_configured", text + (f" ({detail})" if detail else ""))
        self.setting = setting


@dataclass(frozen=True)
class SigningConfig:
    """What signing and verification need; built by ``from_settings``."""

    agency: str = ""
    pkcs12: str = ""
    password: str | None = None  # from the environment variable named by password_env
    password_env: str = ""
    pkcs11_module: str = ""
    pkcs11_token: str = ""
    pkcs11_key: str = ""
    pin: str | None = None  # from the environment variable named by pin_env
    pin_env: str = ""
    trust_roots: tuple[str, ...] = ()
    tsa_url: str = ""
    level: str = "auto"
    stamp_text: str = DEFAULT_STAMP_TEXT
    stamp_font: str = DEFAULT_FONT
    renew_days: int = 90
    fetch_revocation: bool = True
    work_dir: Path = field(default_factory=lambda: Path("."))

    @classmethod
    def from_settings(cls, section: dict[str, Any], env: dict[str, str], work_dir: Path) -> SigningConfig:
        """``section`` is ``[signing]``; ``env`` the process environment (read by the caller)."""
        password_env = str(section.get("password_env", ""))
        pin_env = str(section.get("pin_env", ""))
        return cls(
            agency=str(section.get("agency", "")),
            pkcs12=str(section.get("pkcs12", "")),
            password=env.get(password_env) if password_env else None,
            password_env=password_env,
            pkcs11_module=str(section.get("pkcs11_module", "")),
            pkcs11_token=str(section.get("pkcs11_token", "")),
            pkcs11_key=str(section.get("pkcs11_key", "")),
            pin=env.get(pin_env) if pin_env else None,
            pin_env=pin_env,
            trust_roots=tuple(str(p) for p in section.get("trust_roots", []) or []),
            tsa_url=str(section.get("tsa_url", "")),
            level=str(section.get("level", "auto") or "auto"),
            stamp_text=str(section.get("stamp_text", DEFAULT_STAMP_TEXT)),
            stamp_font=str(section.get("stamp_font", "") or DEFAULT_FONT),
            renew_days=int(section.get("renew_days", 90)),
            fetch_revocation=bool(section.get("fetch_revocation", True)),
            work_dir=work_dir,
        )

    @property
    def uses_token(self) -> bool:
        return bool(self.pkcs11_module)

    def check_ready(self) -> None:
        """Raise ``SigningNotConfigured`` naming the first missing setting."""
        if not self.agency:
            raise SigningNotConfigured("agency")
        if not self.trust_roots:
            raise SigningNotConfigured("trust_roots")
        if self.uses_token:
            for name in ("pkcs11_token", "pkcs11_key", "pin_env"):
                if not getattr(self, name):
                    raise SigningNotConfigured(name)
            if self.pin is None:
                raise SigningNotConfigured("pin_env", f"biến môi trường {self.pin_env} chưa đặt")
            return
        if not self.pkcs12:
            raise SigningNotConfigured("pkcs12", "hoặc pkcs11_module")
        if not self.password_env:
            raise SigningNotConfigured("password_env")
        if self.password is None:
            raise SigningNotConfigured("password_env", f"biến môi trường {self.password_env} chưa đặt")
