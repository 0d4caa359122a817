"""Certified electronic copies (bản sao điện tử): the agency's PAdES signature on the archival
PDF/A with a visible stamp (Decree 30/2020 Annex I), and offline verification of signed copies.

Knows nothing of dossiers or the web: it signs and verifies PDF files with the keys and trust
roots handed to it by the composition root. Only the settings are imported here: pyHanko takes
seconds to import, so ``archive.signing.sign`` / ``.verify`` / ``.certify`` are imported where used."""

from archive.signing.config import SigningConfig, SigningError, SigningNotConfigured

__all__ = ["SigningConfig", "SigningError", "SigningNotConfigured"]
