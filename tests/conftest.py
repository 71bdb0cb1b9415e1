"""Shared fixtures. Real services are used where the suite needs them: when one is missing,
its tests skip on a developer machine and fail on CI (CI=true)."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "bench" / "samples" / "invoices"
POSTGRES_URL = os.environ.get(
    "EXTRACTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail on CI: a missing service must never pass silently there."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required for CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def samples() -> list[Path]:
    found = sorted(SAMPLES.glob("*.pdf"))
    assert found, "the repository's sample invoices are missing"
    return found


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped afterwards."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"extractor_test_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        require(False, f"PostgreSQL at {POSTGRES_URL} is not reachable ({type(error).__name__})")
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def ocr_engine() -> str:
    """The default OCR model's name, once Tesseract and it are known to be installed."""
    from extractor.read.ocr.engine import OcrUnavailableError, check_engine
    from extractor.settings import ExtractorSettings

    languages = ExtractorSettings.model_fields["ocr_languages"].default
    try:
        check_engine(languages)
    except OcrUnavailableError as error:
        require(False, f"{error}; the project's setup installs it (scripts/install-ocr)")
    return str(languages)
