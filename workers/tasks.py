"""The one Celery task: extract the document of a job, given the job's id."""

import logging
import tempfile
import threading
from pathlib import Path

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from extractor import jobs
from extractor.db.models import DocumentContent, Job
from extractor.jobs import Claim
from extractor.passwords import password_for
from extractor.result import ExtractionResult
from schemas import get_schema
from workers.celery_app import TASK_NAME, WorkerContext, app, worker_context

logger = logging.getLogger(__name__)


@app.task(name=TASK_NAME, bind=True, max_retries=None)
def extract_job(self: Task, job_id: int) -> str:
    context = worker_context()
    settings = context.settings
    with Session(context.engine) as session, session.begin():
        claim = jobs.claim(
            session,
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
    stop_heartbeat = threading.Event()
    heartbeat = threading.Thread(target=_beat, args=(context, job_id, stop_heartbeat), daemon=True)
    heartbeat.start()
    try:
        result = _extract(context, job_id)
        with Session(context.engine) as session, session.begin():
            jobs.complete(session, job_id, context.worker, result)
        logger.info("job %d: %s", job_id, result.status)
        return result.status.value
    except SoftTimeLimitExceeded:
        _release(context, job_id, "time limit exceeded")
        return "time_limit"
    except OperationalError as error:  # the database went away: retry with backoff
        _release(context, job_id, f"database error ({type(error).__name__})")
        raise self.retry(countdown=min(60, 2**self.request.retries)) from error
    finally:
        stop_heartbeat.set()


def _extract(context: WorkerContext, job_id: int) -> ExtractionResult:
    with Session(context.engine) as session:
        job = session.get(Job, job_id)
        content = session.get(DocumentContent, job.document_id) if job else None
        if job is None or content is None:
            raise OperationalError("job or content vanished", None, Exception())
        schema, name, data = (
            get_schema(job.schema_name),
            job.document.original_name,
            content.content,
        )
        password = password_for(job.original_path, context.settings)
    with tempfile.TemporaryDirectory(prefix="extractor-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        result = context.extractor.extract(path, schema, password=password)
    result.path = Path(name)
    return result


def _release(context: WorkerContext, job_id: int, error: str) -> None:
    with Session(context.engine) as session, session.begin():
        job = session.get(Job, job_id)
        final = job is None or job.attempts >= context.settings.max_attempts
        jobs.release(session, job_id, context.worker, error, final=final)


def _beat(context: WorkerContext, job_id: int, stop: threading.Event) -> None:
    while not stop.wait(context.settings.heartbeat_seconds):
        try:
            with Session(context.engine) as session, session.begin():
                jobs.heartbeat(session, job_id, context.worker)
        except OperationalError:
            logger.warning("job %d: heartbeat failed", job_id)
