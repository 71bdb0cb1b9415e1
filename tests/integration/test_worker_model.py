"""A real worker process with the real bundled model, and the SQL surface of batch mode."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

import extractor
from extractor.settings import load_settings
from tests.integration.batch_support import ONE_RESULT_PER_JOB, RedisServer, running_workers

REAL_MODEL = {"EXTRACTOR_MODEL_BACKEND": "llama", "EXTRACTOR_STALE_AFTER_SECONDS": "60"}


def test_real_model_batch_views_with_job_data_and_read_only_role(
    database: str, redis: RedisServer, samples: list[Path]
) -> None:
    settings = load_settings(database_url=database, broker_url=redis.url)
    with running_workers(database, redis.url, **REAL_MODEL):
        ids = extractor.submit(samples[:2], settings=settings)
        extractor.wait(ids, timeout=600, settings=settings)

    for result in extractor.results(ids, settings=settings):
        assert result.status in {"succeeded", "needs_review"}
        assert result.run.model_sha256 and result.run.model_sha256 != "0" * 64
        assert (result.run.prompt_format or "").startswith("chat-template:")  # stored, read back
        assert any(record.value is not None for record in result.fields)
        for record in result.fields:
            if record.value is not None:
                assert record.page is not None and record.start is not None

    engine = create_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT job_id, job_source, worker_id FROM invoices_with_jobs")
        ).all()
        assert sorted(row.job_id for row in rows) == sorted(ids)
        assert {row.job_source for row in rows} == {"api"}
        assert all(row.worker_id for row in rows)
        assert connection.execute(text(ONE_RESULT_PER_JOB)).scalar_one() == 0
    for forbidden in ("DELETE FROM jobs", "SELECT content FROM document_contents"):
        with engine.connect() as connection:
            connection.execute(text("SET ROLE extractor_reader"))
            assert connection.execute(text("SELECT COUNT(*) FROM invoice_lines")).scalar_one() >= 0
            with pytest.raises(ProgrammingError):
                connection.execute(text(forbidden))
    engine.dispose()
