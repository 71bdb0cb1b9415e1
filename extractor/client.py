"""The batch API: submit files as jobs, follow them, and fetch their results.

Jobs live in the database; workers (`extractor worker`) move them through Redis and
process them. These functions only talk to the database (`extractor.store.queue`).
"""

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from extractor.result import ExtractionResult
from extractor.settings import ExtractorSettings, load_settings
from extractor.store.batch import find_pdfs
from extractor.store.jobs import JobStatus
from extractor.store.queue import (
    JobInfo,
    JobNotFinishedError,
    UnknownJobError,
    job_info,
    job_infos,
    job_results,
    register_job,
)
from schemas import get_schema

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
    return [
        register_job(settings.database_url, path, spec, source, max_bytes=settings.max_file_bytes)
        for path in find_pdfs(Path(item) for item in items)
    ]


def status(job_id: int, *, settings: ExtractorSettings | None = None) -> JobInfo:
    return job_info((settings or load_settings()).database_url, job_id)


def wait(
    job_ids: Sequence[int],
    timeout: float | None = None,
    *,
    poll_seconds: float = 0.5,
    settings: ExtractorSettings | None = None,
) -> dict[int, JobInfo]:
    """Block until every job has finished; raises TimeoutError with the ones still open."""
    deadline = None if timeout is None else time.monotonic() + timeout
    database_url = (settings or load_settings()).database_url
    while True:
        found = job_infos(database_url, job_ids)
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
    return job_results((settings or load_settings()).database_url, job_ids)
