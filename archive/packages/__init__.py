"""E-ARK CSIP 2.x packages of a dossier (Circular 05/2025/TT-BNV profile): export, validation, import."""
