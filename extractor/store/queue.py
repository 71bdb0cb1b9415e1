"""The job queue as the batch API sees it: register files as jobs, read their states, and
load the results of finished ones. Engines are made once per database URL and kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from extractor.errors import ExtractorError
from extractor.result import ErrorRecord, ExtractionResult, Status
from extractor.store import jobs
from extractor.store.engine import make_engine
from extractor.store.jobs import FINAL_STATUSES, JobStatus
from extractor.store.models import ExtractionRun, Job
from extractor.store.runs import load_result
from schemas import SchemaSpec

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


def _engine(database_url: str) -> Engine:
    if database_url not in _engines:
        _engines[database_url] = make_engine(database_url)
    return _engines[database_url]


def register_job(
    database_url: str, path: Path, spec: SchemaSpec, source: str, *, max_bytes: int
) -> int:
    """Register one file as a job (the existing job when its bytes are known); its id."""
    with Session(_engine(database_url)) as session, session.begin():
        return jobs.register(session, path, spec, source, max_bytes=max_bytes).id


def job_info(database_url: str, job_id: int) -> JobInfo:
    with Session(_engine(database_url)) as session:
        job = session.get(Job, job_id)
        if job is None:
            raise UnknownJobError(f"no job {job_id}")
        return _info(job)


def job_infos(database_url: str, job_ids: Sequence[int]) -> dict[int, JobInfo]:
    """The jobs' states; raises `UnknownJobError` naming any id that is not a job."""
    with Session(_engine(database_url)) as session:
        found = {job.id: _info(job) for job in session.scalars(_jobs(job_ids))}
    missing = set(job_ids) - found.keys()
    if missing:
        raise UnknownJobError(f"no jobs {sorted(missing)}")
    return found


def job_results(database_url: str, job_ids: Sequence[int]) -> list[ExtractionResult]:
    """The results of finished jobs, in the order asked."""
    with Session(_engine(database_url)) as session:
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
