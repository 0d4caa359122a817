"""Bytes handed in before: tell the officer what is true of the earlier file (archived, waiting,
being processed), never "archived" for a file that is still on its way and may yet be refused.

A file whose earlier upload was refused is no duplicate: it is taken in again and gets its own
answer (the earlier refusal used up no document number, see ``JobStore.finish``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ingest.context import IngestContext
from ingest.jobs import Job, JobState
from ingest.refusal import Refusal

# What the earlier upload's job is doing, as the officer is told (after "Tệp này đã được tải lên
# lúc HH:MM dd/mm/yyyy và ...").
OPEN_WORDS = {
    JobState.QUEUED: "đang chờ xử lý",
    JobState.RUNNING: "đang được xử lý",
    JobState.WAITING: "đang chờ thử lại sau một sự cố lưu trữ",
}
# The same for a file of another department's dossier, whose document id is not named.
FOREIGN_ARCHIVED = (
    "Tệp này đã có trong kho lưu trữ, thuộc hồ sơ của đơn vị khác. Hãy hỏi bộ phận lưu trữ"
    " hoặc quản trị hệ thống nếu cần dùng lại tài liệu đó."
)
FOREIGN_OPEN = (
    "Tệp này đã được tải lên cho một hồ sơ của đơn vị khác và {state}; chưa được lưu trữ."
    " Hãy hỏi bộ phận lưu trữ hoặc quản trị hệ thống nếu cần."
)


def _local(ctx: IngestContext, iso: str) -> str:
    """An instant of the state DB (UTC ISO) as the center's clock shows it."""
    try:
        moment = datetime.fromisoformat(iso).astimezone(ZoneInfo(ctx.timezone))
    except ValueError:
        return ""
    return moment.strftime("%H:%M %d/%m/%Y")


def archived_message(doc_id: str, dossier_code: str) -> str:
    """The duplicate of a document the archive holds."""
    return f"Tệp này đã được lưu trữ: tài liệu {doc_id} của hồ sơ {dossier_code}."


def open_message(ctx: IngestContext, job: Job, dossier_code: str = "") -> str:
    """The duplicate of a file still on its way (queued, being processed, waiting); ``dossier_code``
    is the dossier the file was handed in for now."""
    state = OPEN_WORDS.get(job.state, "đang chờ xử lý")
    where = "hồ sơ này" if job.dossier_code == dossier_code else f"hồ sơ {job.dossier_code}"
    return (
        f"Tệp này đã được tải lên lúc {_local(ctx, job.created_at)} và {state}"
        f" (tài liệu {job.doc_id}, {where}); chưa được lưu trữ."
        f" Kết quả sẽ hiện ở bảng Tiến độ xử lý của {where}."
    )


def foreign_message(state: str) -> str:
    """A duplicate in another department's dossier: its state, no document id."""
    if state in OPEN_WORDS:
        return FOREIGN_OPEN.format(state=OPEN_WORDS[JobState(state)])
    return FOREIGN_ARCHIVED


def earlier_upload(
    ctx: IngestContext, sha: str, idempotency_key: str | None, dossier_code: str = ""
) -> Job | None:
    """The earlier job of an idempotent replay; raises ``duplicate`` for the same bytes archived
    or on their way, saying which."""
    existing = ctx.catalogue.find_by_sha256(sha)
    earlier = ctx.jobs.open_with_sha256(sha)
    if earlier and idempotency_key and earlier.idempotency_key == idempotency_key:
        return earlier
    if existing:
        message = archived_message(existing["id"], existing["dossier_code"])
        raise Refusal("duplicate", message, document_id=existing["id"])
    if earlier and earlier.state == JobState.DONE:  # stored; the catalogue row is on its way
        message = archived_message(earlier.doc_id, earlier.dossier_code)
        raise Refusal("duplicate", message, document_id=earlier.doc_id)
    if earlier:
        raise Refusal("duplicate", open_message(ctx, earlier, dossier_code), document_id=earlier.doc_id)
    return None
