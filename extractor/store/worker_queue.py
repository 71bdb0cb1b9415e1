"""The job queue as the processes see it: what a worker, the dispatcher and the command line
do with jobs, one transaction per call, so that no caller outside this package handles a
session or a driver's exception.

A database that cannot be reached, or a row that vanished under a worker, raises
`DatabaseUnavailableError` (retryable); any other database error raises `DatabaseError`.
Their messages name only the error's type: a driver's message could quote stored values.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from extractor.errors import DatabaseError, DatabaseUnavailableError
from extractor.memory.memory import Memory
from extractor.result import ExtractionResult
from extractor.store import jobs
from extractor.store.engine import make_engine
from extractor.store.fhir_export import export_fhir
from extractor.store.jobs import Claim, QueueSummary
from extractor.store.models import DocumentContent, Job
from extractor.store.retention import RetentionSchedule, try_apply_retention
from extractor.store.supplier_memory import memories_for
from schemas import SchemaSpec


@dataclass(frozen=True)
class JobDocument:
    """What a worker needs to extract a held job: the bytes, and where the file came from."""

    original_name: str
    original_path: str
    content: bytes


class WorkerQueue:
    """One database's jobs, through one engine made here (after any fork)."""

    def __init__(self, database_url: str) -> None:
        self._engine = make_engine(database_url)

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        try:
            with Session(self._engine) as session, session.begin():
                yield session
        except OperationalError as error:
            raise DatabaseUnavailableError(f"database error ({type(error).__name__})") from error
        except SQLAlchemyError as error:
            raise DatabaseError(f"database error ({type(error).__name__})") from error

    def supplier_memories(self, schema: str) -> list[Memory]:
        """A schema's supplier memories, read afresh for each document."""
        with self._transaction() as session:
            return memories_for(session, schema)

    def claim(self, job_id: int, worker: str, *, stale_after: float, max_attempts: int) -> Claim:
        with self._transaction() as session:
            return jobs.claim(
                session, job_id, worker, stale_after=stale_after, max_attempts=max_attempts
            )

    def claim_next(
        self, worker: str, schema: SchemaSpec, *, max_attempts: int
    ) -> tuple[int, Claim] | None:
        with self._transaction() as session:
            return jobs.claim_next(session, worker, schema, max_attempts=max_attempts)

    def schema_name(self, job_id: int) -> str:
        with self._transaction() as session:
            return self._job(session, job_id).schema_name

    def document(self, job_id: int) -> JobDocument:
        with self._transaction() as session:
            job = self._job(session, job_id)
            content = session.get(DocumentContent, job.document_id)
            if content is None:
                raise DatabaseUnavailableError(f"the content of job {job_id} vanished")
            return JobDocument(job.document.original_name, job.original_path, content.content)

    def heartbeat(self, job_id: int, worker: str) -> None:
        with self._transaction() as session:
            jobs.heartbeat(session, job_id, worker)

    def complete(
        self, job_id: int, worker: str, result: ExtractionResult, *, keep_page_text: bool
    ) -> None:
        with self._transaction() as session:
            jobs.complete(session, job_id, worker, result, keep_page_text=keep_page_text)

    def fail(self, job_id: int, worker: str, error: str) -> None:
        """The job failed for good (its input cannot be read)."""
        with self._transaction() as session:
            jobs.release(session, job_id, worker, error, final=True)

    def release(self, job_id: int, worker: str, error: str, *, max_attempts: int) -> None:
        """An attempt ended without a result: back to the queue, or failed when it was the
        last attempt allowed (or the job is gone)."""
        with self._transaction() as session:
            job = session.get(Job, job_id)
            final = job is None or job.attempts >= max_attempts
            jobs.release(session, job_id, worker, error, final=final)

    def dispatch(
        self, send: Callable[[int], object], *, requeue_after: float, stale_after: float
    ) -> int:
        """Send the jobs due for (re)sending; marked as sent only when every send worked."""
        with self._transaction() as session:
            due = jobs.due_for_dispatch(
                session, requeue_after=requeue_after, stale_after=stale_after
            )
            for job_id in due:
                send(job_id)
            return len(due)

    def summary(self) -> QueueSummary:
        with self._transaction() as session:
            return jobs.summary(session)

    def export_fhir(self, out_dir: Path, *, schema: str | None = None) -> list[Path]:
        with self._transaction() as session:
            return export_fhir(session, out_dir, schema=schema)

    def apply_retention(self, retention_days: int | None) -> None:
        """Purge page texts past retention now; a failure is logged, not raised."""
        try_apply_retention(self._engine, retention_days)

    def apply_retention_if_due(self, schedule: RetentionSchedule, days: int | None) -> None:
        schedule.apply_if_due(self._engine, days)

    @staticmethod
    def _job(session: Session, job_id: int) -> Job:
        job = session.get(Job, job_id)
        if job is None:
            raise DatabaseUnavailableError(f"job {job_id} vanished")
        return job
