"""docs/review-role.sql gives the review app every right it needs and no more: the app's
store runs under a login in that role on PostgreSQL."""

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from extractor.store.review_queue import QueueFilters
from extractor.store.review_runs import HumanValue
from extractor.store.review_store import ReviewStore
from extractor.store.supplier_memory import FieldPosition
from tests.conftest import ROOT
from tests.review_support import NEEDS_REVIEW_SAMPLE, add_user, prepared_database

SCRIPT = ROOT / "docs" / "review-role.sql"


@pytest.fixture
def review_login(database: str) -> Iterator[tuple[str, str]]:
    """(the owner's URL, the URL of a new login in the extractor_review role)."""
    owner, _ = prepared_database(database, [NEEDS_REVIEW_SAMPLE])
    add_user(owner, "alice")
    name = f"review_app_{uuid.uuid4().hex[:8]}"
    with owner.begin() as connection:
        connection.exec_driver_sql(SCRIPT.read_text())
        connection.execute(text(f"CREATE ROLE {name} LOGIN IN ROLE extractor_review"))
    yield database, make_url(database).set(username=name).render_as_string(hide_password=False)
    owner.dispose()
    admin = create_engine(database, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE {name}"))
    admin.dispose()


def test_the_review_role_can_do_what_the_app_does(review_login: tuple[str, str]) -> None:
    _, url = review_login
    store = ReviewStore.from_url(url)
    (item,), _ = store.queue(QueueFilters())
    run = store.run(item.run_id)
    assert run is not None and store.pdf(run.document_id) is not None
    assert store.ocr_words(run.document_id) == []  # a text-layer page: read, none stored
    assert store.user("alice") is not None
    position = FieldPosition("invoice_number", 1, (0.1, 0.3, 0.2, 0.32), ("Nr",), None)
    values = {"total_gross": HumanValue("1350.36")}
    new_id = store.save_review(item.run_id, values, reviewer="alice", positions=[position])
    store.save_review(new_id, {}, reviewer="alice", positions=[position])  # moves the row
    (memory,) = store.supplier_memories()
    assert store.forget_supplier_memory(memory.id)
    store.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE extraction_runs SET status = 'succeeded'",
        "DELETE FROM field_values",
        "SELECT text FROM page_texts",
        "SELECT * FROM jobs",
        "UPDATE review_users SET role = 'reviewer'",
        "INSERT INTO review_users (name, password_hash, role, created_at) "
        "VALUES ('eve', 'x', 'reviewer', now())",
    ],
)
def test_the_review_role_cannot_do_more(review_login: tuple[str, str], statement: str) -> None:
    _, url = review_login
    engine = create_engine(url)
    with pytest.raises(ProgrammingError, match="permission denied"), engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_analysts_read_the_recreated_views_and_the_memory_but_not_the_users(
    review_login: tuple[str, str],
) -> None:
    owner = create_engine(review_login[0])
    names = ("invoices", "invoices_with_jobs", "lab_results", "supplier_memories", "review_users")
    with owner.connect() as connection:
        readable = {
            name: connection.execute(
                text("SELECT has_table_privilege('extractor_reader', :name, 'SELECT')"),
                {"name": name},
            ).scalar_one()
            for name in names
        }
    owner.dispose()
    assert readable == {**dict.fromkeys(names, True), "review_users": False}
