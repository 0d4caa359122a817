"""Certified electronic copies (bản sao điện tử): the agency's PAdES signature on the archival
PDF/A with a visible stamp (Decree 30/2020 Annex I), and offline verification of signed copies.

Knows nothing of dossiers or the web: it signs and verifies PDF files with the keys and trust
roots handed to it by the composition root."""

from archive.signing.config import SigningConfig, SigningError, SigningNotConfigured
from archive.signing.sign import SignedCopy, sign_pdf
from archive.signing.verify import Verification, verify_pdf

__all__ = [
    "SignedCopy",
    "SigningConfig",
    "SigningError",
    "SigningNotConfigured",
    "Verification",
    "sign_pdf",
    "verify_pdf",
]
