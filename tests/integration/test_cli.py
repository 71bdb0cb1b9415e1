"""`extractor run` and `extractor db upgrade` as a user runs them: the installed console
script, the real model, SQLite and PostgreSQL."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import require

EXTRACTOR = shutil.which("extractor", path=str(Path(sys.executable).parent))


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    require(EXTRACTOR is not None, "the extractor console script is not installed")
    environment = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [str(EXTRACTOR), *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'results.db'}"
    url: str = request.getfixturevalue("database")  # a fresh, migrated PostgreSQL schema
    return url


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = int(connection.execute(text(sql)).scalar_one())
    engine.dispose()
    return value


def test_db_upgrade(database_url: str, tmp_path: Path) -> None:
    done = _cli("db", "upgrade", "--database-url", database_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _count(database_url, "SELECT COUNT(*) FROM invoices") == 0


def test_run_stores_results_skips_known_files_and_records_failures(
    database_url: str, tmp_path: Path, samples: list[Path]
) -> None:
    inbox = tmp_path / "inbox" / "nested"
    inbox.mkdir(parents=True)
    shutil.copy(samples[0], inbox / samples[0].name)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really")
    (inbox / ".hidden.pdf").write_bytes(b"ignored")

    first = _cli("run", str(tmp_path / "inbox"), "--database-url", database_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "failed: 1" in first.stdout
    assert "needs_review: 1" in first.stdout or "succeeded: 1" in first.stdout
    assert _count(database_url, "SELECT COUNT(*) FROM invoices") == 1
    assert _count(database_url, "SELECT COUNT(*) FROM extraction_runs") == 2
    assert _count(database_url, "SELECT COUNT(*) FROM field_values") > 10

    second = _cli("run", str(tmp_path / "inbox"), "--database-url", database_url, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "skipped: 1" in second.stdout
    assert _count(database_url, "SELECT COUNT(*) FROM extraction_runs") == 3  # the failure again


def test_run_with_nothing_to_do_exits_non_zero(tmp_path: Path) -> None:
    done = _cli("run", str(tmp_path), "--database-url", f"sqlite:///{tmp_path}/x.db", cwd=tmp_path)
    assert done.returncode != 0
    assert "No PDF files found" in done.stdout


def test_eval_scores_a_labelled_folder_with_and_without_the_model(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "bench" / "samples" / "invoices"
    figures = tmp_path / "figures.json"
    done = _cli("eval", str(samples), "--no-use-model", "--json-out", str(figures), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "invoice_number" in done.stdout and "hallucinated values" in done.stdout
    result = json.loads(figures.read_text())
    assert result["documents"] == 6 and result["failed"] == 0
    assert result["hallucinated"][0] == 0
    correct, total = result["fields"]["total_gross"]["files"]
    assert total == 6 and correct >= 5
    assert result["model"]["prompt_format"].startswith("chat-template:")  # SmolLM2's own
    assert 0 < result["model"]["peak_rss_mib"] < 2048
    refused = _cli("eval", str(samples), "--model", "https://example.org/m.gguf", cwd=tmp_path)
    assert refused.returncode != 0
