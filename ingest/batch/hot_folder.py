"""``sohoa watch DIR --batch``: the folder the department's network scanner writes whole stacks
into. Every file, once it has stopped changing (the hot folder's rule), is one stack: split at its
QR separators and handed to intake like ``sohoa ingest --batch``. A taken stack moves to
``DIR/.done/``; an unreadable one to ``DIR/.rejected/`` with its reason (nothing of it was stored)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.batch.book import BatchBook
from ingest.batch.intake import ingest_batch
from ingest.batch.pages import UnreadableStack
from ingest.dossiers.desk import DossierDesk
from ingest.hot_folder import DONE, REJECTED, HotFolder
from ingest.pipeline import Outcome
from ingest.reasons import Reason, message_vi


@dataclass
class BatchFolder:
    """The hot folder in batch mode: ``folder`` finds stable files, ``desk`` takes the stacks."""

    folder: HotFolder
    desk: DossierDesk
    book: BatchBook

    def has_files(self) -> bool:
        """Whether anything waits in the folder (stable or not)."""
        return self.folder.has_files()

    def take(self, path: Path) -> list[dict]:
        """Take one stable stack; returns one JSON line per part (or the stack's refusal)."""
        try:
            batch = ingest_batch(self.desk, [path], self.folder.actor, self.book)
        except UnreadableStack:
            reason = Reason.UNREADABLE
            refused = Outcome(str(path), "rejected", reason_code=reason, message=message_vi(reason))
            self.folder.move(path, REJECTED, f"{reason.value}: {refused.message}")
            return [{**refused.to_dict(), "dossier_code": ""}]
        self.folder.move(path, DONE)
        return [item.line(item.submitted()) for item in batch.items]

    def scan(self, report: Callable[[dict], None]) -> int:
        """One polling pass; ``report`` gets every part's line. Returns how many stacks were taken."""
        taken = 0
        for path in self.folder.stable_files():
            if path.exists():
                for line in self.take(path):
                    report(line)
                taken += 1
        return taken
