"""A worker task goes on with the next queued jobs itself (claim_next), on real PostgreSQL.

The task runs in this process (Celery runs a task synchronously when it is called), with the
fixed-latency stand-in as model: what is tested is who claims which job and what ends stored.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

import workers.celery_app
from extractor.store.engine import make_engine
from extractor.store.jobs import Claim, JobStatus, claim_next, register
from extractor.store.models import Job
from schemas import get_schema
from tests.integration.batch_support import FAST_SETTINGS, ONE_RESULT_PER_JOB, distinct_pdfs, scalar
from workers.tasks import extract_job

INVOICE = get_schema("invoice")


@pytest.fixture
def engine(database: str) -> Iterator[Engine]:
    engine = make_engine(database)
    yield engine
    engine.dispose()


def _register(engine: Engine, pdfs: list[Path]) -> list[int]:
    with Session(engine) as session, session.begin():
        return [register(session, pdf, INVOICE, "test", max_bytes=10**8).id for pdf in pdfs]


@pytest.fixture
def in_process_worker(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key, value in FAST_SETTINGS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("EXTRACTOR_DATABASE_URL", database)
    monkeypatch.setattr(workers.celery_app, "_context", None)
    yield
    context = workers.celery_app._context
    if context is not None:
        context.queue.close()


def test_claim_next_takes_the_oldest_queued_job_of_the_schema_once(
    engine: Engine, samples: list[Path], tmp_path: Path
) -> None:
    first, second, third = _register(engine, distinct_pdfs(samples, tmp_path, 3, "next"))
    with Session(engine) as session, session.begin():
        session.execute(update(Job).where(Job.id == first).values(status=JobStatus.RUNNING))
        assert claim_next(session, "w1", INVOICE, max_attempts=3) == (second, Claim.CLAIMED)
        assert claim_next(session, "w2", INVOICE, max_attempts=3) == (third, Claim.CLAIMED)
        assert claim_next(session, "w1", INVOICE, max_attempts=3) is None
        owners = {job.id: job.worker_id for job in session.scalars(select(Job))}
    assert owners[second] == "w1" and owners[third] == "w2"


def test_claim_next_gives_up_a_job_past_its_attempts(
    engine: Engine, samples: list[Path], tmp_path: Path
) -> None:
    (job_id,) = _register(engine, distinct_pdfs(samples, tmp_path, 1, "tired"))
    with Session(engine) as session, session.begin():
        session.execute(update(Job).where(Job.id == job_id).values(attempts=3))
        assert claim_next(session, "w1", INVOICE, max_attempts=3) == (job_id, Claim.GAVE_UP)
        job = session.get(Job, job_id)
        assert job is not None and job.status == JobStatus.FAILED
        assert job.last_error is not None and "gave up after 3 attempts" in job.last_error


def test_one_task_extracts_the_queued_jobs_after_its_own(
    database: str, engine: Engine, in_process_worker: None, samples: list[Path], tmp_path: Path
) -> None:
    ids = _register(engine, distinct_pdfs(samples, tmp_path, 5, "chain"))
    assert extract_job(ids[0]) in {"succeeded", "needs_review"}
    with Session(engine) as session:
        jobs = session.scalars(select(Job).order_by(Job.id)).all()
    assert all(job.finished_at is not None and job.attempts == 1 for job in jobs)
    assert scalar(database, ONE_RESULT_PER_JOB) == 0
    # The messages of the chained jobs, when they come, find them done.
    assert {extract_job(job_id) for job_id in ids[1:]} == {Claim.DONE.value}


def test_without_chain_time_a_task_extracts_its_own_job_only(
    engine: Engine,
    in_process_worker: None,
    monkeypatch: pytest.MonkeyPatch,
    samples: list[Path],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("EXTRACTOR_WORKER_CHAIN_SECONDS", "0")
    ids = _register(engine, distinct_pdfs(samples, tmp_path, 3, "single"))
    extract_job(ids[0])
    with Session(engine) as session:
        statuses = session.scalars(select(Job.status).order_by(Job.id)).all()
    assert statuses[1:] == [JobStatus.QUEUED, JobStatus.QUEUED]


def test_a_chain_takes_only_jobs_of_its_own_schema_version(
    engine: Engine, in_process_worker: None, samples: list[Path], tmp_path: Path
) -> None:
    own, other = _register(engine, distinct_pdfs(samples, tmp_path, 2, "own"))
    with Session(engine) as session, session.begin():
        session.execute(
            update(Job).where(Job.id == other).values(schema_version=INVOICE.version + 1)
        )
    extract_job(own)
    with Session(engine) as session:
        job = session.get(Job, other)
        assert job is not None and job.status == JobStatus.QUEUED
