"""The one Celery task: extract the document of a job, given the job's id.

After its own job the task keeps claiming the oldest queued job of the same schema itself,
for up to `worker_chain_seconds`, so the worker's reader processes read the next documents
while one is extracted and no job waits for a queue round trip. The messages of jobs taken
this way find them done (or running) and end at once.

Page text retention is applied when the worker starts and at most hourly in each worker
process that takes jobs (`extractor.store.retention`).
"""

import logging
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready

from extractor.errors import DatabaseUnavailableError, InputError
from extractor.read.passwords import password_for
from extractor.result import ExtractionResult
from extractor.settings import load_settings
from extractor.store.jobs import Claim
from extractor.store.retention import RetentionSchedule
from extractor.store.worker_queue import WorkerQueue
from schemas import SchemaSpec, get_schema
from workers.celery_app import TASK_NAME, WorkerContext, app, worker_context

logger = logging.getLogger(__name__)
_retention = RetentionSchedule()  # per worker process


@worker_ready.connect
def _apply_retention_at_start(**_: Any) -> None:
    settings = load_settings()
    queue = WorkerQueue(settings.database_url)
    queue.apply_retention(settings.page_text_retention_days)
    queue.close()


@app.task(name=TASK_NAME, bind=True, max_retries=None)
def extract_job(self: Task, job_id: int) -> str:
    context = worker_context()
    settings = context.settings
    context.queue.apply_retention_if_due(_retention, settings.page_text_retention_days)
    claim = context.queue.claim(
        job_id,
        context.worker,
        stale_after=settings.stale_after_seconds,
        max_attempts=settings.max_attempts,
    )
    logger.info("job %d: %s by %s", job_id, claim, context.worker)
    if claim == Claim.BUSY:  # a duplicate message, or the owner died: look again once stale
        raise self.retry(countdown=settings.stale_after_seconds)
    if claim != Claim.CLAIMED:
        return claim.value
    chain = JobChain(context, job_id)
    try:
        return chain.run()
    except SoftTimeLimitExceeded:
        chain.release_all("time limit exceeded")
        return "time_limit"
    except DatabaseUnavailableError as error:  # the database went away: retry with backoff
        chain.release_all(f"database error ({type(error).__name__})")
        raise self.retry(countdown=min(60, 2**self.request.retries)) from error
    finally:
        chain.stop_heartbeat()


@dataclass(frozen=True)
class HeldJob:
    job_id: int
    original_name: str
    path: Path  # the document's bytes, written for the reader
    password: str | None


class JobChain:
    """The jobs one task holds: its own, then those it claimed after it. One heartbeat
    thread keeps every held job alive until its result is stored."""

    def __init__(self, context: WorkerContext, first: int) -> None:
        self.context = context
        self.first = first
        self._held: list[int] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._beat, name="extractor-heartbeat", daemon=True).start()

    def run(self) -> str:
        """Extract the held jobs in order, reading ahead; returns the first job's status."""
        schema = get_schema(self.context.queue.schema_name(self.first))
        statuses = []
        with tempfile.TemporaryDirectory(prefix="extractor-") as folder:
            held: deque[HeldJob] = deque()  # extract_many answers in this order
            documents = self._documents(schema, Path(folder), held)
            files = ((job.path, job.password) for job in documents)
            memories = self.context.queue.supplier_memories
            extracted = self.context.extractor.extract_many(files, schema, memories=memories)
            for outcome in extracted:
                statuses.append(self._store(held.popleft(), outcome))
        return statuses[0]

    def release_all(self, error: str) -> None:
        for job_id in self._held_ids():
            self.context.queue.release(
                job_id, self.context.worker, error, max_attempts=self.context.settings.max_attempts
            )

    def stop_heartbeat(self) -> None:
        self._stop.set()

    def _job_ids(self, schema: SchemaSpec) -> Iterator[int]:
        """The first job, then queued jobs claimed one by one until the chain time is up."""
        settings = self.context.settings
        deadline = time.monotonic() + settings.worker_chain_seconds
        yield self.first
        while time.monotonic() < deadline:
            taken = self.context.queue.claim_next(
                self.context.worker, schema, max_attempts=settings.max_attempts
            )
            if taken is None:
                return
            job_id, claim = taken
            logger.info("job %d: %s by %s (chained)", job_id, claim, self.context.worker)
            if claim == Claim.CLAIMED:
                yield job_id

    def _documents(
        self, schema: SchemaSpec, folder: Path, held: deque[HeldJob]
    ) -> Iterator[HeldJob]:
        for job_id in self._job_ids(schema):
            with self._lock:
                self._held.append(job_id)
            stored = self.context.queue.document(job_id)
            path = folder / f"{job_id}.pdf"
            path.write_bytes(stored.content)
            document = HeldJob(
                job_id,
                stored.original_name,
                path,
                password_for(stored.original_path, self.context.settings),
            )
            held.append(document)
            yield document

    def _store(self, job: HeldJob, outcome: ExtractionResult | InputError) -> str:
        job.path.unlink(missing_ok=True)
        if isinstance(outcome, InputError):
            self.context.queue.fail(job.job_id, self.context.worker, str(outcome))
            status = "failed"
        else:
            outcome.path = Path(job.original_name)
            self.context.queue.complete(
                job.job_id,
                self.context.worker,
                outcome,
                keep_page_text=self.context.settings.keep_page_text,
            )
            status = outcome.status.value
        with self._lock:
            self._held.remove(job.job_id)
        logger.info("job %d: %s", job.job_id, status)
        return status

    def _held_ids(self) -> list[int]:
        with self._lock:
            return list(self._held)

    def _beat(self) -> None:
        while not self._stop.wait(self.context.settings.heartbeat_seconds):
            for job_id in self._held_ids():
                try:
                    self.context.queue.heartbeat(job_id, self.context.worker)
                except DatabaseUnavailableError:
                    logger.warning("job %d: heartbeat failed", job_id)
