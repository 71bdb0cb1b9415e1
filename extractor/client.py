"""The batch API: submit files as jobs, follow them, and fetch their results.

Jobs live in the database; workers (`extractor worker`) move them through Redis and
process them. These functions only talk to the database.
"""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from extractor import jobs
from extractor.db.engine import make_engine
from extractor.db.models import ExtractionRun, Job
from extractor.errors import ExtractorError
from extractor.jobs import FINAL_STATUSES, JobStatus

__all__ = [
    "JobInfo",
    "JobNotFinishedError",
    "JobStatus",
    "UnknownJobError",
    "results",
    "status",
    "submit",
    "wait",
]
from extractor.result import ErrorRecord, ExtractionResult, Status
from extractor.service import find_pdfs
from extractor.settings import ExtractorSettings, load_settings
from extractor.store import load_result
from schemas import get_schema

_engines: dict[str, Engine] = {}


class JobNotFinishedError(ExtractorError):
    code = "job_not_finished"


class UnknownJobError(ExtractorError):
    code = "unknown_job"


@dataclass(frozen=True)
class JobInfo:
    id: int
    status: JobStatus
    attempts: int
    source: str
    file: str
    last_error: str | None
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker_id: str | None

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


def _engine(settings: ExtractorSettings) -> Engine:
    if settings.database_url not in _engines:
        _engines[settings.database_url] = make_engine(settings.database_url)
    return _engines[settings.database_url]


def submit(
    paths: str | Path | Iterable[str | Path],
    schema: str = "invoice",
    *,
    source: str = "api",
    settings: ExtractorSettings | None = None,
) -> list[int]:
    """Register files (folders are searched for PDFs) as jobs; returns their job ids.

    Submitting the same bytes again returns the existing job instead of a new one.
    """
    spec = get_schema(schema)
    settings = settings or load_settings()
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    ids = []
    for path in find_pdfs(Path(item) for item in items):
        with Session(_engine(settings)) as session, session.begin():
            job = jobs.register(session, path, spec, source, max_bytes=settings.max_file_bytes)
            ids.append(job.id)
    return ids


def status(job_id: int, *, settings: ExtractorSettings | None = None) -> JobInfo:
    with Session(_engine(settings or load_settings())) as session:
        job = session.get(Job, job_id)
        if job is None:
            raise UnknownJobError(f"no job {job_id}")
        return _info(job)


def wait(
    job_ids: Sequence[int],
    timeout: float | None = None,
    *,
    poll_seconds: float = 0.5,
    settings: ExtractorSettings | None = None,
) -> dict[int, JobInfo]:
    """Block until every job has finished; raises TimeoutError with the ones still open."""
    deadline = None if timeout is None else time.monotonic() + timeout
    engine = _engine(settings or load_settings())
    while True:
        with Session(engine) as session:
            found = {job.id: _info(job) for job in session.scalars(_jobs(job_ids))}
        missing = set(job_ids) - found.keys()
        if missing:
            raise UnknownJobError(f"no jobs {sorted(missing)}")
        open_jobs = [job_id for job_id, info in found.items() if not info.finished]
        if not open_jobs:
            return found
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"{len(open_jobs)} jobs still open: {sorted(open_jobs)[:20]}")
        time.sleep(poll_seconds)


def results(
    job_ids: Sequence[int], *, settings: ExtractorSettings | None = None
) -> list[ExtractionResult]:
    """The results of finished jobs, the same objects `extractor.extract` returns."""
    with Session(_engine(settings or load_settings())) as session:
        by_id = {job.id: job for job in session.scalars(_jobs(job_ids))}
        found = []
        for job_id in job_ids:
            job = by_id.get(job_id)
            if job is None:
                raise UnknownJobError(f"no job {job_id}")
            if job.status not in FINAL_STATUSES:
                raise JobNotFinishedError(f"job {job_id} is {job.status}")
            found.append(_result(session, job))
        return found


def _jobs(job_ids: Sequence[int]):  # type: ignore[no-untyped-def]
    return select(Job).where(Job.id.in_(list(job_ids))).options(selectinload(Job.document))


def _result(session: Session, job: Job) -> ExtractionResult:
    if job.run_id is not None:
        run = session.scalars(
            select(ExtractionRun)
            .where(ExtractionRun.id == job.run_id)
            .options(selectinload(ExtractionRun.fields), selectinload(ExtractionRun.document))
        ).one()
        return load_result(session, run, Path(job.original_path))
    # Failed before any extraction ran (a worker lost too often, a time limit).
    return ExtractionResult(
        path=Path(job.original_path),
        sha256=job.document.sha256,
        size=job.document.size,
        schema=job.schema_name,
        schema_version=job.schema_version,
        status=Status.FAILED,
        pages=job.document.pages,
        errors=[ErrorRecord("job_failed", job.last_error or "job failed")],
    )


def _info(job: Job) -> JobInfo:
    return JobInfo(
        id=job.id,
        status=JobStatus(job.status),
        attempts=job.attempts,
        source=job.source,
        file=job.original_path,
        last_error=job.last_error,
        queued_at=job.queued_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        worker_id=job.worker_id,
    )
