"""The catalogue of administrative procedures and departments offered at the counter.

Its content is a setting (``[catalogue]`` in ``sohoa/defaults/settings.toml``, where the defaults
are, overridden by a deployment's own file); the composition root builds one ``ProcedureCatalogue``
from it and hands it to the web pages, the API and the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ingest.refusal import Refusal


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    department: str
    days: int  # processing time in working days

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


@dataclass(frozen=True)
class ProcedureCatalogue:
    """Departments by code and procedures by code."""

    departments: Mapping[str, str] = field(default_factory=dict)
    procedures: Mapping[str, Procedure] = field(default_factory=dict)

    def find(self, text: str) -> Procedure | None:
        """The procedure picked in a form: its code, or the "code — name" label of the list."""
        return self.procedures.get(text.split("—")[0].strip())

    def department_name(self, code: str) -> str:
        """The department's name for its code, else ''."""
        return self.departments.get(code, "")

    def check_department(self, code: str) -> None:
        """Refuse a department code the catalogue does not know: its documents would be filed
        where no reviewer can see them."""
        if code and code not in self.departments:
            raise Refusal(
                "unknown_department",
                f"Mã cơ quan/phòng ban không có trong danh mục: {code} "
                f"(có: {', '.join(sorted(self.departments))}).",
            )
