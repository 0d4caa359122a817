"""The typed sections of the settings: frozen dataclasses built from the merged settings (whose
defaults are in ``sohoa/defaults/settings.toml``, nowhere else), with their values validated.

Each section is built by ``from_section(dict)``: the dataclass's fields are taken from the dict
(keys the defaults file holds but a section has no field for are left to ``Settings.section``), and
``__post_init__`` refuses a wrong value with ``SettingsError("<key>: why")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.dossier_code import DossierCodeError, check_pattern


class SettingsError(ValueError):
    """A wrong key or value in the settings; the message names the key."""


def _fail(key: str, why: str) -> SettingsError:
    return SettingsError(f"{key}: {why}")


def _one_of(key: str, value: Any, allowed: tuple[Any, ...]) -> None:
    if value not in allowed:
        raise _fail(key, f"must be one of {', '.join(map(repr, allowed))}, not {value!r}")


def _positive(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _fail(name, f"must be a whole number above 0, not {value!r}")


def _iso_day(key: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _fail(key, f"must be a date YYYY-MM-DD, not {value!r}") from None


def _strings(key: str, values: Any) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in values):
        raise _fail(key, "must be a list of strings")
    return tuple(values)


class Section:
    """Base of a typed section: ``from_section`` takes the fields out of the section's dict."""

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Self:
        values = {}
        for f in fields(cls):  # type: ignore[arg-type]  # every subclass is a dataclass
            if f.name not in section:
                raise _fail(f.name, "missing (and not in the defaults file)")
            value = section[f.name]
            values[f.name] = _strings(f.name, value) if isinstance(value, list) else value
        return cls(**values)


@dataclass(frozen=True)
class CenterSettings(Section):
    """``[center]``: who the center is, how its dossier codes look, its clock."""

    agency_code: str
    dossier_code_pattern: str
    province: str
    timezone: str
    organ_lines: tuple[str, ...]
    phone: str

    def __post_init__(self) -> None:
        if not self.agency_code.strip():
            raise _fail("agency_code", "must not be empty (it starts every dossier code)")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise _fail("timezone", f"unknown time zone {self.timezone!r}") from None
        try:
            check_pattern(self.dossier_code_pattern)
        except (DossierCodeError, ValueError) as exc:
            raise _fail("dossier_code_pattern", str(exc)) from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        """The current time in the center's zone (a UTC server clock is a day behind after 17:00)."""
        return datetime.now(self.zone)

    def notice_header(self) -> dict[str, Any]:
        """What the printed notices take from the center: header lines, place, phone, zone."""
        return {
            "organ_lines": list(self.organ_lines),
            "place": self.province,
            "phone": self.phone,
            "timezone": self.timezone,
        }


@dataclass(frozen=True)
class CalendarSettings(Section):
    """``[calendar]``: the government's swaps of working days, the afternoon cut-off."""

    extra_days_off: tuple[str, ...]
    makeup_working_days: tuple[str, ...]
    afternoon_cutoff: str

    def __post_init__(self) -> None:
        for key in ("extra_days_off", "makeup_working_days"):
            for day in getattr(self, key):
                _iso_day(key, day)
        if self.afternoon_cutoff:
            try:
                datetime.strptime(self.afternoon_cutoff, "%H:%M")
            except ValueError:
                raise _fail(
                    "afternoon_cutoff", f"must be HH:MM or empty, not {self.afternoon_cutoff!r}"
                ) from None


@dataclass(frozen=True)
class TaggingSettings(Section):
    """``[tagging]``."""

    digit_check: bool


@dataclass(frozen=True)
class StoreSettings(Section):
    """``[store]``: which object store; the S3 keys are handed to the S3 store as they are."""

    backend: str
    path: str
    endpoint: str
    bucket: str
    retention_mode: str
    permanent_until: str

    BACKENDS: ClassVar = ("local", "s3")

    def __post_init__(self) -> None:
        _one_of("backend", self.backend, self.BACKENDS)
        _one_of("retention_mode", self.retention_mode, ("COMPLIANCE", "GOVERNANCE"))
        _iso_day("permanent_until", self.permanent_until)
        if self.backend == "s3" and not (self.endpoint and self.bucket):
            raise _fail("endpoint", 'backend "s3" needs endpoint and bucket')


@dataclass(frozen=True)
class ReplicaSettings(Section):
    """``[replica]``: a second S3 copy (same keys as ``[store]``); no endpoint means none."""

    endpoint: str
    bucket: str
    retention_mode: str
    permanent_until: str

    def __post_init__(self) -> None:
        _one_of("retention_mode", self.retention_mode, ("COMPLIANCE", "GOVERNANCE"))
        _iso_day("permanent_until", self.permanent_until)
        if self.endpoint and not self.bucket:
            raise _fail("bucket", "a replica needs a bucket")

    @property
    def enabled(self) -> bool:
        return bool(self.endpoint)


@dataclass(frozen=True)
class JobsSettings(Section):
    """``[jobs]``: how a job waits after an outage (doubling from the first wait up to the max)."""

    retry_first_seconds: float
    retry_max_seconds: float

    def __post_init__(self) -> None:
        if not 0 < self.retry_first_seconds <= self.retry_max_seconds:
            raise _fail("retry_first_seconds", "must be above 0 and at most retry_max_seconds")


@dataclass(frozen=True)
class StateSettings(Section):
    """``[state]``: where jobs, sequences, users, sessions and the catalogue live. The password
    is never in the file: ``password_env`` names the environment variable holding it."""

    backend: str
    url: str
    password_env: str
    pool_size: int
    lease_seconds: int

    def __post_init__(self) -> None:
        _one_of("backend", self.backend, ("sqlite", "postgresql"))
        _positive(self, "pool_size", "lease_seconds")
        if self.backend == "postgresql" and not self.url.startswith(("postgresql://", "postgres://")):
            raise _fail("url", 'backend "postgresql" needs url = "postgresql://USER@HOST:PORT/DB"')
        if ":" in self.url.split("://", 1)[-1].split("@", 1)[0] and "@" in self.url:
            raise _fail("url", "holds a password: put it in the environment variable password_env names")


@dataclass(frozen=True)
class IndexSettings(Section):
    """``[index]``: which search index."""

    backend: str
    es_url: str
    es_index: str
    restore_min_documents: int  # unaccented queries: fewer documents never suggest a word

    def __post_init__(self) -> None:
        _one_of("backend", self.backend, ("tantivy", "elasticsearch"))
        _positive(self, "restore_min_documents")
        if self.backend == "elasticsearch" and not self.es_url:
            raise _fail("es_url", 'backend "elasticsearch" needs es_url')


@dataclass(frozen=True)
class OcrSettings(Section):
    """``[ocr]``."""

    language: str
    jobs: int
    timeout_seconds: int

    def __post_init__(self) -> None:
        if not self.language:
            raise _fail("language", "must name a Tesseract language, e.g. 'vie'")
        _positive(self, "jobs", "timeout_seconds")


@dataclass(frozen=True)
class LimitsSettings(Section):
    """``[limits]``: bounds on one file."""

    max_file_bytes: int
    max_pages: int
    max_pixels: int
    max_decoded_bytes: int
    memory_mb: int
    cpu_seconds: int
    wall_seconds: int

    def __post_init__(self) -> None:
        _positive(self, *(f.name for f in fields(self)))


@dataclass(frozen=True)
class RetentionSettings(Section):
    """``[retention]``: classes and the rules mapping procedures and document types to them.
    The cross-checks (rules naming classes that exist) are the policy's own, run at start."""

    classes: tuple[str, ...]
    default_class: str
    counts_from: str
    by_procedure: Mapping[str, str]
    by_doc_type: Mapping[str, str]

    def __post_init__(self) -> None:
        from archive.retention import RetentionPolicy, RetentionSettingsError

        try:
            RetentionPolicy.from_settings(self.as_dict())
        except RetentionSettingsError as exc:
            raise _fail("rules", str(exc)) from None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class AuditSettings(Section):
    """``[audit]``."""

    retain_years: int

    def __post_init__(self) -> None:
        _positive(self, "retain_years")


@dataclass(frozen=True)
class DisposalSettings(Section):
    """``[disposal]``."""

    record_retain_years: int

    def __post_init__(self) -> None:
        _positive(self, "record_retain_years")


@dataclass(frozen=True)
class TransferSettings(Section):
    """``[transfer]``: when a dossier is due for handover (``years`` per retention class), how long
    the handover record is kept, the bounds on a package zip brought in (``import_max_*``)."""

    record_retain_years: int
    mode: str
    physical_condition: str
    import_max_entries: int
    import_max_entry_bytes: int
    import_max_bytes: int
    import_max_ratio: int
    years: Mapping[str, int]

    def __post_init__(self) -> None:
        from archive.packages.profile import CONDITIONS, MODES

        _positive(
            self, *(f.name for f in fields(self) if f.name not in ("years", "mode", "physical_condition"))
        )
        _one_of("mode", self.mode, MODES)
        _one_of("physical_condition", self.physical_condition, CONDITIONS)
        for cls_, n in self.years.items():
            if cls_ != "permanent" and not cls_.isdigit():
                raise _fail(f"years.{cls_}", 'a retention class is "permanent" or a number of years')
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise _fail(f"years.{cls_}", f"must be a whole number of years (0 or more), not {n!r}")


@dataclass(frozen=True)
class WebSettings(Section):
    """``[web]``."""

    secure_cookies: bool | str  # true | false | "auto"
    session_minutes: int  # absolute lifetime of a session
    session_idle_minutes: int
    behind_proxy: bool
    max_upload_bytes: int  # body limit of the upload routes
    max_form_bytes: int  # body limit of every other route
    read_timeout_seconds: int  # the WSGI server closes connections idle this long
    max_header_bytes: int
    threads: int

    def __post_init__(self) -> None:
        _one_of("secure_cookies", self.secure_cookies, (True, False, "auto"))
        _positive(
            self,
            "session_minutes",
            "session_idle_minutes",
            "max_upload_bytes",
            "max_form_bytes",
            "read_timeout_seconds",
            "max_header_bytes",
            "threads",
        )


@dataclass(frozen=True)
class ProcedureEntry:
    """One procedure of ``[catalogue.procedures]``."""

    name: str
    department: str
    days: int  # processing time in working days


@dataclass(frozen=True)
class CatalogueSettings(Section):
    """``[catalogue]``: the departments and the procedures offered at the counter (the CLI checks
    ``--department`` against them too)."""

    departments: Mapping[str, str]
    procedures: Mapping[str, ProcedureEntry]

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Self:
        departments = {str(k): v for k, v in section.get("departments", {}).items()}
        for code, name in departments.items():
            if not isinstance(name, str) or not name:
                raise _fail(f"departments.{code}", "must be the department's name")
        procedures = {}
        for code, item in section.get("procedures", {}).items():
            procedures[str(code)] = cls._procedure(str(code), item, departments)
        return cls(departments, procedures)

    @staticmethod
    def _procedure(code: str, item: Any, departments: Mapping[str, str]) -> ProcedureEntry:
        key = f"procedures.{code}"
        if not isinstance(item, dict) or set(item) - {"name", "department", "days"}:
            raise _fail(key, "must be {name = ..., department = ..., days = ...}")
        name, department, days = item.get("name"), item.get("department"), item.get("days", 5)
        if not isinstance(name, str) or not name:
            raise _fail(key, "needs a name")
        if department not in departments:
            raise _fail(key, f"department {department!r} is not in [catalogue.departments]")
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise _fail(key, "days must be a whole number above 0")
        return ProcedureEntry(name, str(department), days)


# Section name -> its typed class; ``Settings`` builds every one of them at start.
SECTIONS: dict[str, type[Section]] = {
    "center": CenterSettings,
    "calendar": CalendarSettings,
    "tagging": TaggingSettings,
    "store": StoreSettings,
    "replica": ReplicaSettings,
    "jobs": JobsSettings,
    "state": StateSettings,
    "index": IndexSettings,
    "ocr": OcrSettings,
    "limits": LimitsSettings,
    "retention": RetentionSettings,
    "audit": AuditSettings,
    "disposal": DisposalSettings,
    "transfer": TransferSettings,
    "web": WebSettings,
    "catalogue": CatalogueSettings,
}
