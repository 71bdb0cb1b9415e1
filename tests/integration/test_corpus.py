"""The shared hostile corpus (about 300 truncated, looping, fuzzed and encrypted files):
every file ends as a result or a typed error within the limits, nothing is lost, and the
process that runs them keeps serving. The model is the 0 s stand-in: the PDF stage is what
is tested here."""

from pathlib import Path

import extractor
from extractor.model.standin import FixedLatencyBackend
from extractor.pipeline import Extractor
from extractor.read import isolation
from extractor.settings import ExtractorSettings, load_settings
from extractor.store.batch import BatchRunner
from extractor.store.engine import make_engine, upgrade
from schemas import get_schema
from tests.conftest import require
from tests.corpus import BAD_PDFS, corpus_files, corpus_passwords, passwords_setting
from tests.integration.batch_support import FAST_SETTINGS, RedisServer, running_workers, scalar

READ_TIME_LIMIT = 20.0
TYPED_FAILURES = {"not_pdf", "encrypted", "damaged", "limit_exceeded", "reader_crashed", "no_text"}


def _require_corpus() -> list[Path]:
    require((BAD_PDFS / "INDEX.tsv").is_file(), f"the hostile corpus is missing: {BAD_PDFS}")
    return corpus_files()


def test_every_corpus_file_through_the_embedded_pipeline(tmp_path: Path) -> None:
    files = _require_corpus()
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'corpus.db'}",
        model_backend="fixed-latency",
        fixed_latency_seconds=0.0,
        read_time_limit=READ_TIME_LIMIT,
        passwords=corpus_passwords(),
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    pipeline = Extractor(FixedLatencyBackend(0.0), settings)
    runner = BatchRunner(engine, lambda: pipeline, get_schema("invoice"))

    outcomes = list(runner.run_files(files, force=True))

    assert sorted(outcome.path for outcome in outcomes) == sorted(files)  # every file, once
    statuses = {outcome.status for outcome in outcomes}
    assert statuses <= {"needs_review", "failed", "other_kind"}  # none of them is an invoice
    assert all(outcome.run_id is not None for outcome in outcomes)  # each one stored
    assert all(outcome.error for outcome in outcomes if outcome.status == "failed")
    assert max(outcome.seconds for outcome in outcomes) < READ_TIME_LIMIT
    codes = _failure_codes(engine.url.render_as_string(hide_password=False))
    assert codes <= TYPED_FAILURES, codes
    assert isolation.readers(settings).restarts == 0  # no hang, no crash of the reader
    by_name = {outcome.path: outcome for outcome in outcomes}
    for name in corpus_passwords():  # passwords.tsv proves the passwords work
        assert by_name[BAD_PDFS / name].status != "failed", name
    engine.dispose()


def _failure_codes(database_url: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT DISTINCT error_code FROM extraction_runs "
                                       "WHERE status = 'failed'"))  # fmt: skip
        codes = {row[0] for row in rows}
    engine.dispose()
    return codes


def _settings(database: str, redis: RedisServer) -> ExtractorSettings:
    values = {key.removeprefix("EXTRACTOR_").lower(): value for key, value in FAST_SETTINGS.items()}
    return load_settings(**{**values, "database_url": database, "broker_url": redis.url})


def test_every_corpus_file_through_a_real_worker(database: str, redis: RedisServer) -> None:
    files = _require_corpus()
    settings = _settings(database, redis)
    with running_workers(
        database,
        redis.url,
        EXTRACTOR_FIXED_LATENCY_SECONDS="0",
        EXTRACTOR_READ_TIME_LIMIT=str(READ_TIME_LIMIT),
        EXTRACTOR_PASSWORDS=passwords_setting(),
    ) as worker:
        ids = extractor.submit(files, settings=settings)
        infos = extractor.wait(sorted(set(ids)), timeout=600, settings=settings)
        assert worker.poll() is None  # the worker is still up

    assert len(ids) == len(files)  # every file has a job (identical bytes share one)
    assert all(info.finished for info in infos.values())
    assert all(info.last_error for info in infos.values() if info.status == "failed")
    ran = [info for info in infos.values() if info.attempts]
    assert {info.attempts for info in ran} == {1}  # no job was retried: no worker died
    assert all(
        info.started_at and info.finished_at
        and (info.finished_at - info.started_at).total_seconds() < READ_TIME_LIMIT
        for info in ran
    )  # fmt: skip
    assert len({info.worker_id for info in ran}) == 1  # one worker process served them all
    typed = ", ".join(f"'{code}'" for code in sorted(TYPED_FAILURES))
    failed_codes = (
        "SELECT COUNT(*) FROM extraction_runs WHERE status = 'failed' AND NOT "
        f"error_code IN ({typed})"
    )
    assert scalar(database, failed_codes) == 0
    assert scalar(database, "SELECT COUNT(*) FROM extraction_runs") == len(infos)
    by_file = dict(zip(files, ids, strict=True))
    for name in corpus_passwords():
        assert infos[by_file[BAD_PDFS / name]].status != "failed", name
