"""Migrations, storage and the SQL views, on SQLite and on a real PostgreSQL."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from extractor.db.engine import make_engine, upgrade
from extractor.result import ErrorRecord, ExtractionResult, FieldRecord, Method, RunInfo, Status
from extractor.store import load_result, save_result, stored_run

INVOICE_COLUMNS = {
    "run_id", "document_id", "sha256", "original_name", "status", "schema_version",
    "extracted_at", "invoice_number", "issue_date", "due_date", "currency", "purchase_order",
    "seller_name", "seller_vat_id", "seller_address", "buyer_name", "buyer_vat_id",
    "buyer_address", "iban", "total_net", "total_tax", "total_gross", "amount_due",
}  # fmt: skip
LINE_COLUMNS = {
    "run_id", "document_id", "line_number", "description", "quantity", "unit_price",
    "net_amount",
}  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'nested' / 'extractor.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    if request.param == "postgresql":
        with engine.begin() as connection:
            for table in (
                "jobs",
                "document_contents",
                "field_values",
                "extraction_runs",
                "documents",
            ):
                connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def _result(sha256: str, status: Status = Status.SUCCEEDED, gross: str = "119.00"):  # type: ignore[no-untyped-def]
    fields = [
        FieldRecord("invoice_number", "A-1", Method.MODEL, 0.9, 1, 10, 13, raw="A-1"),
        FieldRecord("issue_date", date(2024, 3, 12), Method.MODEL, 0.8, 1, 20, 30),
        FieldRecord("total_gross", Decimal(gross), Method.MODEL, 0.7, 1, 40, 46),
        FieldRecord("seller.name", 'O\'Brien "Quotes" Ltd', Method.MODEL, 0.9),
        FieldRecord("lines.0.description", "Widget", Method.MODEL, 0.6, 1, 50, 56),
        FieldRecord("lines.0.net_amount", Decimal("100.00"), Method.MODEL, 0.6),
        FieldRecord("lines.1.description", "Gadget", Method.MODEL, 0.6),
        FieldRecord("lines.1.quantity", None, Method.MODEL, 0.2),
    ]
    return ExtractionResult(
        path=Path("/in/invoice.pdf"),
        sha256=sha256,
        size=1234,
        schema="invoice",
        schema_version=1,
        status=status,
        pages=1,
        fields=fields if status != Status.FAILED else [],
        errors=[ErrorRecord("damaged", "damaged PDF")] if status == Status.FAILED else [],
        run=RunInfo(model_sha256="a" * 64, grammar_sha256="b" * 64, prompt_sha256="c" * 64),
    )


def test_views_have_the_contracted_columns(engine: Engine) -> None:
    columns = {view: {c["name"] for c in inspect(engine).get_columns(view)} for view in
               ("invoices", "invoice_lines")}  # fmt: skip
    assert columns["invoices"] == INVOICE_COLUMNS
    assert columns["invoice_lines"] == LINE_COLUMNS


def test_results_are_queryable_with_typed_columns(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        save_result(session, _result("1" * 64))
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT invoice_number, issue_date, total_gross, seller_name FROM invoices")
        ).one()
        lines = connection.execute(
            text("SELECT line_number, description, net_amount FROM invoice_lines ORDER BY 1")
        ).all()
    assert row.invoice_number == "A-1"
    assert str(row.issue_date) == "2024-03-12"
    assert Decimal(str(row.total_gross)) == Decimal("119.00")
    assert row.seller_name == 'O\'Brien "Quotes" Ltd'
    assert [(line.line_number, line.description) for line in lines] == [
        (0, "Widget"),
        (1, "Gadget"),
    ]
    assert Decimal(str(lines[0].net_amount)) == Decimal("100.00")


def test_view_shows_the_latest_successful_run_only(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        save_result(session, _result("2" * 64, gross="100.00"))
    with Session(engine) as session, session.begin():
        save_result(session, _result("2" * 64, gross="119.00"))
        save_result(session, _result("2" * 64, Status.FAILED))
    with engine.connect() as connection:
        grosses = connection.execute(text("SELECT total_gross FROM invoices")).scalars().all()
        runs = connection.execute(text("SELECT COUNT(*) FROM extraction_runs")).scalar_one()
        documents = connection.execute(text("SELECT COUNT(*) FROM documents")).scalar_one()
    assert [Decimal(str(value)) for value in grosses] == [Decimal("119.00")]
    assert runs == 3 and documents == 1


def test_failed_runs_are_recorded_but_not_counted_as_stored(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        save_result(session, _result("3" * 64, Status.FAILED))
    with Session(engine) as session:
        assert stored_run(session, "3" * 64, "invoice", 1) is None
        error = session.execute(text("SELECT error_code FROM extraction_runs")).scalar_one()
    assert error == "damaged"


def test_stored_run_is_per_schema_version(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        save_result(session, _result("4" * 64))
    with Session(engine) as session:
        assert stored_run(session, "4" * 64, "invoice", 1) is not None
        assert stored_run(session, "4" * 64, "invoice", 2) is None


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0005"


def test_ocr_pages_and_word_boxes_round_trip(engine: Engine) -> None:
    result = _result("5" * 64)
    box = (72.5, 101.25, 130.0, 112.75)
    result.fields[0] = FieldRecord("invoice_number", "A-1", Method.RULES, 0.8, 1, 10, 13, box=box)
    result.run = RunInfo(ocr_pages=(1, 3))
    with Session(engine) as session, session.begin():
        save_result(session, result)
    with Session(engine) as session:
        run = stored_run(session, "5" * 64, "invoice", 1)
        assert run is not None
        loaded = load_result(session, run, Path("x.pdf"))
    assert loaded.run.ocr_pages == (1, 3)
    number = loaded.field("invoice_number")
    assert number is not None and number.box == box
    assert loaded.field("issue_date") is not None and loaded.field("issue_date").box is None
