"""Officials' roles: a module of its own so the command line can name them without loading the
accounts' web session store (Flask)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """An official's role; the values are what the state DB and the JSON output hold."""

    INTAKE = "intake"  # counter staff
    REVIEWER = "reviewer"  # department reviewers
    RECORDS = "records"  # the records unit
    ADMIN = "admin"


ROLES = tuple(Role)
# Roles whose officials belong to one department (the others see every department).
DEPARTMENT_ROLES = frozenset({Role.INTAKE, Role.REVIEWER})
