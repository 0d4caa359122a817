"""Packages for the historical archive and the handover record (biên bản giao nộp).

1. ``build`` packages a due dossier (an E-ARK CSIP SIP, ``archive.packages``) into the center's
   transfer folder, with a small JSON beside it (dossier, SHA-256, size, who built it and when).
   A package is a working file: it can be built again; the record is what counts.
2. ``record`` writes the handover record of one or more built packages: the handover number and
   date, the receiving archive, who handed over and who received, and per package its dossier,
   documents, pages, identifier (OBJID), size and SHA-256 (re-computed from the file first, so the
   record names the bytes that were handed over). It is a write-once object
   ``transfer/<record>/record.json`` kept ``retain_years`` (as a destruction record is), and an
   audit entry. A dossier is in at most one record; once recorded it leaves the due list.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from archive.audit import TRANSFER_HANDOVER, TRANSFER_PACKAGE, AuditFn, retain_until_for
from archive.catalogue import Catalogue
from archive.object_store import ObjectMissing
from archive.packages.export import CHUNK, PackageError, export_dossier
from archive.packages.history import History
from archive.packages.profile import PLAIN, Profile
from archive.repository import Repository
from archive.transfer.due import DueDossier, due_dossiers

PREFIX = "transfer/"
PACKAGE_NAME = re.compile(r"uuid-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
RECORD = "record.json"


class TransferError(Exception):
    """A handover step refused; the message is Vietnamese (a records officer reads it)."""


@dataclass(frozen=True)
class Handover:
    """What the officer enters on the handover record."""

    number: str  # số biên bản
    handed_on: date
    archive_name: str  # the receiving historical archive
    deliverer: str  # người giao (name, position)
    receiver: str  # người nhận (name, position)
    notes: str = ""

    def check(self) -> None:
        """Refuse a record with a required field empty."""
        for name, label in (
            ("number", "số biên bản"),
            ("archive_name", "lưu trữ lịch sử nhận"),
            ("deliverer", "người giao"),
            ("receiver", "người nhận"),
        ):
            if not str(getattr(self, name)).strip():
                raise TransferError(f"Thiếu {label} trong biên bản giao nộp.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Transfers:
    """The handover workflow over one archive; packages are kept under ``work_dir``."""

    def __init__(
        self,
        repository: Repository,
        catalogue: Catalogue,
        work_dir: Path,
        *,
        years: Mapping[str, int],
        zone: ZoneInfo,
        audit: AuditFn | None = None,
        retain_years: int = 70,
        today: Callable[[], date] = date.today,
        history: Callable[[], History] | None = None,
        profile: Profile = PLAIN,
    ) -> None:
        self.repository = repository
        self.store = repository.store
        self.catalogue = catalogue
        self.work_dir = work_dir
        self.years = years
        self.zone = zone
        self.audit = audit
        self.retain_years = retain_years
        self.today = today
        self.history = history
        self.profile = profile

    # -- the due list and the packages ----------------------------------------------------------
    def due(self) -> list[DueDossier]:
        """Dossiers due for handover today and not in a handover record yet."""
        return due_dossiers(self.catalogue, self.years, self.today(), self.zone, self.handed_over())

    def _line(self, code: str) -> DueDossier:
        for line in self.due():
            if line.code == code:
                return line
        raise TransferError(f"Hồ sơ {code} chưa đến hạn giao nộp hoặc đã được giao nộp.")

    def build(self, code: str, actor: str) -> dict[str, Any]:
        """Package a due dossier (SIP); returns the package's description (also kept beside it)."""
        line = self._line(code)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        part = self.work_dir / f"building-{secrets.token_hex(6)}.zip"
        try:
            history = self.history() if self.history else None
            result = export_dossier(self.repository, self.catalogue, code, part, "SIP", history, self.profile)
        except PackageError as exc:
            part.unlink(missing_ok=True)
            raise TransferError(f"Không đóng gói được hồ sơ {code}: {exc}") from exc
        part.replace(self.work_dir / f"{result.folder}.zip")
        info = {
            **asdict(line),
            "objid": result.objid,
            "package": result.folder,
            "sha256": result.sha256,
            "size": result.size,
            "built_by": actor,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (self.work_dir / f"{result.folder}.json").write_text(json.dumps(info, ensure_ascii=False, indent=1))
        self._log(TRANSFER_PACKAGE, actor, code, {"objid": result.objid, "sha256": result.sha256})
        return info

    def packages(self) -> list[dict[str, Any]]:
        """Packages built and not handed over yet, newest first."""
        done = self.handed_over()
        found = []
        for path in self.work_dir.glob("uuid-*.json") if self.work_dir.exists() else []:
            info = json.loads(path.read_text(encoding="utf-8"))
            if info["code"] not in done and (self.work_dir / f"{info['package']}.zip").exists():
                found.append(info)
        return sorted(found, key=lambda i: i["built_at"], reverse=True)

    def package_file(self, package: str) -> tuple[dict[str, Any], Path]:
        """A built package's description and zip; ``LookupError`` for an unknown one."""
        if not PACKAGE_NAME.fullmatch(package):  # the folder name export gives: nothing else
            raise LookupError(package)
        info_path = self.work_dir / f"{package}.json"
        if not info_path.exists():
            raise LookupError(package)
        return json.loads(info_path.read_text(encoding="utf-8")), self.work_dir / f"{package}.zip"

    # -- the handover record --------------------------------------------------------------------
    def records(self) -> list[str]:
        """Handover record ids, oldest first."""
        return sorted({k[len(PREFIX) :].split("/")[0] for k in self.store.list(PREFIX)})

    def show(self, record_id: str) -> dict[str, Any] | None:
        if not re.fullmatch(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}", record_id):
            return None
        try:
            return json.loads(self.store.get_bytes(f"{PREFIX}{record_id}/{RECORD}"))
        except ObjectMissing:
            return None

    def handed_over(self) -> dict[str, str]:
        """Dossier code -> the handover record that lists it."""
        out: dict[str, str] = {}
        for record_id in self.records():
            for item in (self.show(record_id) or {}).get("items", []):
                out[item["code"]] = record_id
        return out

    def _item(self, package: str, done: Mapping[str, str]) -> dict[str, Any]:
        try:
            info, path = self.package_file(package)
        except LookupError:
            raise TransferError(f"Không có gói {package}.") from None
        if info["code"] in done:
            raise TransferError(f"Hồ sơ {info['code']} đã được giao nộp theo biên bản {done[info['code']]}.")
        if not path.exists() or _sha256(path) != info["sha256"]:
            raise TransferError(f"Gói {package} đã bị thay đổi sau khi đóng gói; hãy đóng gói lại.")
        return info

    def record(self, packages: list[str], handover: Handover, actor: str) -> dict[str, Any]:
        """Write the handover record of ``packages`` (write-once, kept ``retain_years``)."""
        handover.check()
        if not packages:
            raise TransferError("Chưa chọn gói nào để giao nộp.")
        if handover.handed_on > self.today():
            raise TransferError("Ngày giao nộp không được sau ngày hôm nay.")
        done = self.handed_over()
        items = [self._item(p, done) for p in dict.fromkeys(packages)]
        if len({i["code"] for i in items}) != len(items):
            raise TransferError("Hai gói của cùng một hồ sơ; chỉ chọn một gói cho mỗi hồ sơ.")
        record_id = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        body = {
            "record": record_id,
            **{k: v for k, v in asdict(handover).items() if k != "handed_on"},
            "handed_on": handover.handed_on.isoformat(),
            "items": items,
            "dossiers": len(items),
            "documents": sum(i["documents"] for i in items),
            "pages": sum(i["pages"] for i in items),
            "recorded_by": actor,
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.store.put_bytes(
            f"{PREFIX}{record_id}/{RECORD}",
            json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode(),
            content_type="application/json",
            retain_until=retain_until_for(self.retain_years, self.today()),
        )
        details = {"number": handover.number, "dossiers": [i["code"] for i in items]}
        self._log(TRANSFER_HANDOVER, actor, record_id, details)
        return body

    def _log(self, action: str, actor: str, subject: str, details: dict) -> None:
        if self.audit is not None:
            self.audit(action, actor, subject, details)
