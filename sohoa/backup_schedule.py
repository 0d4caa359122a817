"""The worker's state backups: one every ``[backup] state_every_hours``, counted from the newest
backup in the archive (so a restarted worker does not back up again at once)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from archive.state_backup import backup_state, backup_time, list_backups
from archive.state_files import backup_files
from ingest.batch.book import FOLDERS as STATE_FOLDERS
from ingest.storage_errors import log_failure

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=10)  # a failed backup (storage down) is tried again this soon


class BackupSchedule:
    """Call ``tick`` from the worker loop; it backs up when one is due."""

    def __init__(self, services) -> None:
        self.services = services
        hours = float(services.settings.section("backup").get("state_every_hours", 24) or 0)
        # PostgreSQL state is backed up by PostgreSQL's own means (pg_dump, base backups + WAL).
        local = services.settings.state.backend == "sqlite"
        self.every = timedelta(hours=hours) if hours > 0 and local else None
        self.next: datetime | None = None

    def _first_due(self, now: datetime) -> datetime:
        backups = list_backups(self.services.store)
        return backup_time(backups[-1]) + self.every if backups and self.every else now

    def tick(self, now: datetime | None = None) -> str:
        """Back up when due; returns the new backup's key, or ''."""
        if self.every is None:
            return ""
        now = now or datetime.now(UTC)
        try:
            if self.next is None:
                self.next = self._first_due(now)
            if now < self.next:
                return ""
            key = backup_state(self.services.settings.state_db, self.services.store, now)
            backup_files(self.services.store, key, self.services.settings.data_dir, STATE_FOLDERS)
        except Exception as exc:  # noqa: BLE001 - the worker keeps running; the backup is tried again
            log_failure(log, f"state backup failed; trying again in {RETRY_AFTER}", exc)
            self.next = now + RETRY_AFTER
            return ""
        self.next = now + self.every
        return key
