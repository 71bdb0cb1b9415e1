"""Fixtures for tests against real servers: a fresh PostgreSQL schema and a private Redis."""

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from extractor.store.engine import make_engine, upgrade
from tests.conftest import require
from tests.integration.batch_support import RedisServer, free_port


@pytest.fixture
def database(postgres_url: str) -> str:
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    engine = make_engine(postgres_url)
    upgrade(engine)
    engine.dispose()
    return postgres_url


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    server = RedisServer(free_port())
    try:
        server.start()
    except (AssertionError, RuntimeError) as error:
        require(False, f"cannot start a Redis server: {error}")
    yield server
    server.stop()
