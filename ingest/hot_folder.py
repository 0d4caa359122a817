"""The scanners' shared folder: ``<root>/<dossier code>/<file>``.

A file is taken only once it has stopped changing (same size and mtime for ``settle`` seconds),
found by polling, which works on network shares where file events do not arrive. Accepted files
move to ``<root>/.done/<dossier>/``; refused ones to ``<root>/.rejected/<dossier>/`` beside a
``.reason.txt`` in Vietnamese. The dossier must have been opened at the counter (it carries the
applicant).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.context import IngestContext
from ingest.intake import IntakeRequest, submit_files
from ingest.pipeline import Outcome

DONE, REJECTED = ".done", ".rejected"


@dataclass
class HotFolder:
    root: Path
    ctx: IngestContext
    settle: float = 2.0
    actor: str = "hot-folder"
    _seen: dict[Path, tuple[int, int, float]] = field(default_factory=dict)

    def _candidates(self) -> Iterator[Path]:
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    yield path
        for path in sorted(self.root.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                yield path

    def has_files(self) -> bool:
        """Whether anything waits in the folder (stable or not)."""
        return any(True for _ in self._candidates())

    def stable_files(self, now: float | None = None) -> list[Path]:
        """Files whose size and mtime have not changed for ``settle`` seconds."""
        now = time.monotonic() if now is None else now
        ready = []
        current = set()
        for path in self._candidates():
            current.add(path)
            st = path.stat()
            sig = (st.st_size, st.st_mtime_ns)
            seen = self._seen.get(path)
            if seen is None or seen[:2] != sig:
                self._seen[path] = (*sig, now)
            elif now - seen[2] >= self.settle:
                ready.append(path)
        for gone in set(self._seen) - current:
            del self._seen[gone]
        return ready

    def move(self, path: Path, bucket: str, reason: str = "") -> None:
        """Move a taken file to ``bucket`` (``.done`` or ``.rejected``), under its folder's name,
        with the reason beside it when one is given."""
        dossier = path.parent.name if path.parent != self.root else "_"
        target_dir = self.root / bucket / dossier
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / path.name
        if target.exists():
            target = target_dir / f"{int(time.time())}-{path.name}"
        shutil.move(str(path), target)
        if reason:
            target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
        self._seen.pop(path, None)

    def take(self, path: Path) -> Outcome | None:
        """Submit one stable file; returns the refusal, or None once it is accepted as a job."""
        if path.parent == self.root:
            outcome = Outcome(
                str(path),
                "rejected",
                reason_code="no_dossier_folder",
                message="Tệp phải nằm trong thư mục mang mã hồ sơ.",
            )
        elif (dossier := self.ctx.catalogue.dossier(path.parent.name)) is None:
            outcome = Outcome(
                str(path),
                "rejected",
                reason_code="unknown_dossier",
                message=f"Chưa có hồ sơ {path.parent.name}: hãy tiếp nhận hồ sơ trước.",
            )
        else:
            req = IntakeRequest(
                dossier_code=dossier["code"],
                applicant_id=dossier["applicant_id"],
                procedure_code=dossier["procedure_code"],
                department=dossier["department"],
                actor=self.actor,
                applicant_name=dossier["applicant_name"],
            )
            result = submit_files(self.ctx, req, [path])[0]
            if not isinstance(result, Outcome):
                self.move(path, DONE)
                return None
            outcome = result
        self.move(path, REJECTED, f"{outcome.reason_code}: {outcome.message}")
        return outcome

    def scan(self, on_refusal: Callable[[Outcome], None] | None = None) -> int:
        """One polling pass; returns how many files were taken."""
        taken = 0
        for path in self.stable_files():
            if not path.exists():
                continue
            outcome = self.take(path)
            taken += 1
            if outcome and on_refusal:
                on_refusal(outcome)
        return taken


def ensure_layout(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for bucket in (DONE, REJECTED):
        os.makedirs(root / bucket, exist_ok=True)
