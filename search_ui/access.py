"""Who may see what: the department scope of the signed-in official.

Reviewers and intake officers see only their department's documents (plus departments granted
to them); records officers and administrators see every department. The rule is checked on the
catalogue row of a document before anything of it is read, and search results are both filtered
in the index query and checked hit by hit (defence in depth).
"""

from __future__ import annotations

from dataclasses import dataclass

from search_ui.accounts import Role

ALL_DEPARTMENT_ROLES = frozenset({Role.RECORDS, Role.ADMIN})
# Who may use which pages and API calls.
INTAKE_ROLES = (Role.INTAKE, Role.ADMIN)
RECORDS_ROLES = (Role.RECORDS, Role.ADMIN)
# Counter staff must see what an applicant already has in every department to reuse it (Art.
# 21a); they see the list (titles, validity), while reading a document still needs its department.
LIST_ALL_ROLES = (Role.INTAKE, Role.RECORDS, Role.ADMIN)


@dataclass(frozen=True)
class Scope:
    """The departments an official may read; ``None`` means every department."""

    departments: frozenset[str] | None

    @property
    def everything(self) -> bool:
        return self.departments is None

    def allows(self, department: str) -> bool:
        return self.departments is None or department in self.departments

    def can_see(self, row: dict | None) -> bool:
        """True for a catalogue row of a document (or a dossier row) inside the scope."""
        if row is None:
            return False
        return self.allows(row.get("department", ""))


EVERYTHING = Scope(None)


def scope_for(role: Role, department: str, granted: tuple[str, ...] = ()) -> Scope:
    """The scope of an official with ``role`` in ``department`` and extra ``granted`` departments."""
    if role in ALL_DEPARTMENT_ROLES:
        return EVERYTHING
    return Scope(frozenset({department, *granted}) - {""})
