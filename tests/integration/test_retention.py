"""Page text retention where it runs by itself: at the start of a batch, when a worker
starts, hourly in a worker process; and `extractor retention apply` (SQLite; the SQL of the
purge on both databases is in test_storage)."""

import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from extractor.result import ExtractionResult, FieldRecord, Method, Status
from extractor.settings import ExtractorSettings, load_settings
from extractor.store.batch import BatchRunner
from extractor.store.engine import make_engine, upgrade
from extractor.store.retention import RetentionSchedule, apply_retention
from extractor.store.runs import save_result
from schemas import SchemaSpec, get_schema
from workers.retention_cli import retention_app


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EXTRACTOR_SETTINGS_FILE", str(tmp_path / "absent.toml"))
    return f"sqlite:///{tmp_path / 'retention.db'}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _result(sha256: str, name: str = "old.pdf") -> ExtractionResult:
    return ExtractionResult(
        path=Path(name),
        sha256=sha256,
        size=3,
        schema="invoice",
        schema_version=1,
        status=Status.SUCCEEDED,
        pages=1,
        fields=[FieldRecord("invoice_number", "A-1", Method.RULES, 0.9, 1, 0, 3)],
        page_texts=("page text",),
    )


def _store_aged(engine: Engine, sha256: str, days: int) -> None:
    """A stored result whose page text was stored `days` days ago."""
    with Session(engine) as session, session.begin():
        run = save_result(session, _result(sha256))
        session.flush()
        session.execute(
            text("UPDATE page_texts SET stored_at = :at WHERE run_id = :run"),
            {"at": datetime.now(UTC) - timedelta(days=days), "run": run.id},
        )


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


class _Extractor:
    """Stands in for the pipeline: the batch wiring is under test, not extraction."""

    def __init__(self, settings: ExtractorSettings) -> None:
        self.settings = settings

    def extract_many(
        self, files: Iterable[tuple[Path, str | None]], schema: SchemaSpec, **_: object
    ) -> Iterator[ExtractionResult]:
        for path, _ in files:
            yield _result(hashlib.sha256(path.read_bytes()).hexdigest(), path.name)


@pytest.mark.parametrize("keep", [True, False])
def test_a_batch_purges_old_page_text_first_and_keeps_new_as_set(
    engine: Engine, database_url: str, tmp_path: Path, keep: bool
) -> None:
    _store_aged(engine, "0" * 64, days=31)
    _store_aged(engine, "1" * 64, days=29)
    pdf = tmp_path / "new.pdf"
    pdf.write_bytes(b"new")
    settings = load_settings(
        database_url=database_url, page_text_retention_days=30, keep_page_text=keep
    )
    runner = BatchRunner(engine, lambda: _Extractor(settings), get_schema("invoice"))  # type: ignore[arg-type, return-value]

    outcomes = list(runner.run_files([pdf]))

    assert [outcome.status for outcome in outcomes] == ["succeeded"]
    assert _count(engine, "page_texts") == (2 if keep else 1)  # the 29-day-old one stays
    assert _count(engine, "field_values") == 3


@pytest.mark.parametrize("days", [None, 0])
def test_no_retention_period_keeps_everything(engine: Engine, days: int | None) -> None:
    _store_aged(engine, "0" * 64, days=3650)
    assert apply_retention(engine, days) is None
    assert _count(engine, "page_texts") == 1


def test_a_worker_process_applies_retention_first_then_hourly(engine: Engine) -> None:
    now = [1000.0]
    schedule = RetentionSchedule(interval_seconds=3600, clock=lambda: now[0])
    remaining = []
    for sha256, later in (("0" * 64, 0.0), ("1" * 64, 3599.0), ("2" * 64, 1.0)):
        now[0] += later
        _store_aged(engine, sha256, days=31)
        schedule.apply_if_due(engine, 30)
        remaining.append(_count(engine, "page_texts"))
    assert remaining == [0, 1, 0]


def test_a_worker_applies_retention_when_it_starts(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.tasks import _apply_retention_at_start

    _store_aged(engine, "0" * 64, days=31)
    monkeypatch.setenv("EXTRACTOR_DATABASE_URL", database_url)
    _apply_retention_at_start()
    assert _count(engine, "page_texts") == 0


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    app = typer.Typer()
    app.add_typer(retention_app, name="retention")  # as workers/cli.py registers it
    result = CliRunner().invoke(app, ["retention", "apply", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_retention_apply_prints_the_count_only(engine: Engine, database_url: str) -> None:
    _store_aged(engine, "0" * 64, days=31)
    _store_aged(engine, "1" * 64, days=1)

    output = _cli("--database-url", database_url)

    assert output.strip() == "deleted the text of 1 page older than 30 days"
    assert _count(engine, "page_texts") == 1
    assert _count(engine, "field_values") == 2


def test_retention_apply_without_a_period_deletes_nothing(
    engine: Engine, database_url: str
) -> None:
    _store_aged(engine, "0" * 64, days=31)
    output = _cli(
        env={"EXTRACTOR_DATABASE_URL": database_url, "EXTRACTOR_PAGE_TEXT_RETENTION_DAYS": "0"}
    )
    assert "kept" in output
    assert _count(engine, "page_texts") == 1
