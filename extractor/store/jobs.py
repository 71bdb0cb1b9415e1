"""Jobs in the database: the source of truth for batch work. The queue only carries ids.

Every state change is one atomic UPDATE guarded by the state it expects, so a message that
is delivered twice, a worker that died, or two dispatchers racing can never produce a
second result.
"""

import hashlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from extractor.errors import InputError
from extractor.result import ExtractionResult, Status
from extractor.store.models import Document, DocumentContent, Job
from extractor.store.runs import save_result
from extractor.store.safe_text import db_text
from schemas import SchemaSpec

T = TypeVar("T")


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"
    OTHER_KIND = "other_kind"


FINAL_STATUSES = frozenset(
    {JobStatus.SUCCEEDED, JobStatus.NEEDS_REVIEW, JobStatus.FAILED, JobStatus.OTHER_KIND}
)


class Claim(StrEnum):
    CLAIMED = "claimed"  # this worker now owns the job
    BUSY = "busy"  # another live worker owns it
    DONE = "done"  # already finished: a duplicate message
    GAVE_UP = "gave_up"  # too many attempts; the job is now failed
    MISSING = "missing"


def now() -> datetime:
    return datetime.now(UTC)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def register(
    session: Session, path: Path, schema: SchemaSpec, source: str, *, max_bytes: int
) -> Job:
    """The job for this file and schema version: created, or the existing one (same bytes).

    A file over `max_bytes` is not stored: its job is recorded as failed with the reason.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        content = path.read_bytes() if size <= max_bytes else None
    except OSError as error:
        raise InputError(f"cannot read file ({error.strerror})") from error
    document = session.scalars(select(Document).where(Document.sha256 == sha256)).first()
    if document is None:
        document = _insert_once(
            session,
            Document(sha256=sha256, size=size, original_name=db_text(path.name)),
            lambda: session.scalars(select(Document).where(Document.sha256 == sha256)).one(),
        )
    if content is not None and session.get(DocumentContent, document.id) is None:
        _insert_once(session, DocumentContent(document_id=document.id, content=content), None)
    query = select(Job).where(
        Job.document_id == document.id,
        Job.schema_name == schema.name,
        Job.schema_version == schema.version,
    )
    job = session.scalars(query).first()
    if job is None:
        job = _insert_once(
            session,
            Job(
                document_id=document.id,
                schema_name=schema.name,
                schema_version=schema.version,
                status=JobStatus.QUEUED if content is not None else JobStatus.FAILED,
                attempts=0,
                source=source,
                original_path=db_text(str(path)),
                last_error=None
                if content is not None
                else f"file has {size} bytes, limit is {max_bytes}",
                finished_at=None if content is not None else now(),
            ),
            lambda: session.scalars(query).one(),
        )
    return job


def _insert_once(session: Session, row: T, existing: Callable[[], T] | None) -> T:
    """Insert in a savepoint; if a concurrent submitter won the race, return its row."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        if existing is None:
            return row
        return existing()
    return row


def claim(
    session: Session, job_id: int, worker: str, *, stale_after: float, max_attempts: int
) -> Claim:
    moment = now()
    claimed = session.execute(  # type: ignore[attr-defined]
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.status == JobStatus.QUEUED,
                (Job.status == JobStatus.RUNNING)
                & (Job.heartbeat_at < moment - timedelta(seconds=stale_after)),
            ),
        )
        .values(_running(worker, moment))
    ).rowcount
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        return Claim.MISSING
    if not claimed:
        return Claim.DONE if job.status in FINAL_STATUSES else Claim.BUSY
    return _within_attempts(job, max_attempts, moment)


def claim_next(
    session: Session, worker: str, schema: SchemaSpec, *, max_attempts: int
) -> tuple[int, Claim] | None:
    """Claim the oldest queued job for this schema version, if there is one, without
    waiting for its message.

    Concurrent workers skip each other's candidate row (PostgreSQL), so two never take the
    same job; the job's own message, when it arrives, finds it running or done.
    """
    moment = now()
    candidate = (
        select(Job.id)
        .where(
            Job.status == JobStatus.QUEUED,
            Job.schema_name == schema.name,
            Job.schema_version == schema.version,
        )
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    job_id = session.scalar(
        update(Job)
        .where(Job.id == candidate, Job.status == JobStatus.QUEUED)
        .values(_running(worker, moment))
        .returning(Job.id)
    )
    if job_id is None:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    return job_id, _within_attempts(job, max_attempts, moment)


def _running(worker: str, moment: datetime) -> dict[str, Any]:
    return {
        "status": JobStatus.RUNNING,
        "attempts": Job.attempts + 1,
        "started_at": moment,
        "heartbeat_at": moment,
        "worker_id": worker,
    }


def _within_attempts(job: Job, max_attempts: int, moment: datetime) -> Claim:
    if job.attempts > max_attempts:
        job.status, job.finished_at = JobStatus.FAILED, moment
        job.last_error = (
            f"gave up after {max_attempts} attempts; last: {job.last_error or 'worker lost'}"
        )
        return Claim.GAVE_UP
    return Claim.CLAIMED


def heartbeat(session: Session, job_id: int, worker: str) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker_id == worker, Job.status == JobStatus.RUNNING)
        .values(heartbeat_at=now())
    )


def complete(
    session: Session,
    job_id: int,
    worker: str,
    result: ExtractionResult,
    *,
    keep_page_text: bool = True,
) -> bool:
    """Store the result and finish the job, only if this worker still owns it."""
    job = session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None or job.status != JobStatus.RUNNING or job.worker_id != worker:
        return False
    run = save_result(session, result, keep_page_text=keep_page_text)
    session.flush()
    job.status = JobStatus(result.status.value)
    job.run_id, job.finished_at = run.id, now()
    job.last_error = result.errors[0].message if result.status == Status.FAILED else None
    return True


def release(session: Session, job_id: int, worker: str, error: str, *, final: bool) -> None:
    """A failed attempt: back to the queue, or failed for good."""
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker_id == worker, Job.status == JobStatus.RUNNING)
        .values(
            status=JobStatus.FAILED if final else JobStatus.QUEUED,
            last_error=error,
            enqueued_at=None,
            finished_at=now() if final else None,
        )
    )


def due_for_dispatch(
    session: Session, *, requeue_after: float, stale_after: float, limit: int = 100
) -> list[int]:
    """Jobs to (re)send to the queue: new, lost from the broker, or owned by a dead worker.

    Marks them as sent; concurrent dispatchers skip each other's rows on PostgreSQL.
    """
    moment = now()
    query = (
        select(Job)
        .where(
            or_(
                (Job.status == JobStatus.QUEUED)
                & (
                    Job.enqueued_at.is_(None)
                    | (Job.enqueued_at < moment - timedelta(seconds=requeue_after))
                ),
                (Job.status == JobStatus.RUNNING)
                & (Job.heartbeat_at < moment - timedelta(seconds=stale_after))
                & (
                    Job.enqueued_at.is_(None)
                    | (Job.enqueued_at < moment - timedelta(seconds=stale_after))
                ),
            )
        )
        .order_by(Job.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    jobs = list(session.scalars(query))
    for job in jobs:
        job.enqueued_at = moment
    return [job.id for job in jobs]


@dataclass(frozen=True)
class QueueSummary:
    counts: dict[str, int]
    oldest_queued_at: datetime | None
    finished_last_hour: int


def summary(session: Session) -> QueueSummary:
    counts = {status.value: 0 for status in JobStatus}
    for status, count in session.execute(select(Job.status, func.count()).group_by(Job.status)):
        counts[status] = count
    oldest = session.scalar(select(func.min(Job.queued_at)).where(Job.status == JobStatus.QUEUED))
    finished = session.scalar(
        select(func.count()).where(Job.finished_at >= now() - timedelta(hours=1))
    )
    return QueueSummary(counts, oldest, int(finished or 0))
