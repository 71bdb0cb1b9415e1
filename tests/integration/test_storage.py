"""Migrations, storage and the SQL views, on SQLite and on a real PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

import migrations
from extractor.result import (
    ErrorRecord,
    ExtractionResult,
    FieldRecord,
    Method,
    Routing,
    RunInfo,
    Status,
)
from extractor.store.engine import make_engine, upgrade
from extractor.store.retention import purge_page_texts
from extractor.store.runs import load_result, save_result, stored_run

INVOICE_COLUMNS = {
    "run_id", "document_id", "sha256", "original_name", "status", "schema_version",
    "extracted_at", "invoice_number", "issue_date", "due_date", "currency", "purchase_order",
    "seller_name", "seller_vat_id", "seller_address", "buyer_name", "buyer_vat_id",
    "buyer_address", "iban", "total_net", "total_tax", "total_gross", "amount_due",
    "reviewed_by", "reviewed_at",
}  # fmt: skip
LINE_COLUMNS = {
    "run_id", "document_id", "line_number", "description", "quantity", "unit_price",
    "net_amount", "reviewed_by", "reviewed_at",
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
                "page_texts",
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
    assert version == "0014"


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


CLINICAL_VIEWS = ("lab_results", "clinical_letters", "claims", "claim_lines")


def _clinical(sha256: str, schema: str, fields: list[FieldRecord]) -> ExtractionResult:
    return ExtractionResult(
        path=Path(f"/in/{schema}.pdf"),
        sha256=sha256,
        size=2048,
        schema=schema,
        schema_version=1,
        status=Status.SUCCEEDED,
        pages=1,
        fields=fields,
    )


def _leaf(path: str, value: str | date | Decimal | None) -> FieldRecord:
    return FieldRecord(path, value, Method.RULES, 0.9, 1)


def _assert_rows(engine: Engine, sql: str, expected: list[tuple[Any, ...]]) -> None:
    """The view's rows, values and Python types: PostgreSQL gives DATE and NUMERIC columns
    as date and Decimal; SQLite has neither, so it gives ISO text and int or float."""
    if engine.dialect.name == "sqlite":
        expected = [tuple(_as_sqlite(value) for value in row) for row in expected]
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(sql))]
    assert rows == expected
    assert [[type(value) for value in row] for row in rows] == [
        [type(value) for value in row] for row in expected
    ]


def _as_sqlite(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def test_lab_results_view_has_one_typed_row_per_result(engine: Engine) -> None:
    header = [
        _leaf("patient.name", "Jane Roe"),
        _leaf("patient.birth_date", date(1980, 5, 17)),
        _leaf("patient.sex", "female"),
        _leaf("patient.identifier", "MRN-0042"),
        _leaf("ordering_provider", "Dr. Ada Stone"),
        _leaf("lab_name", "Central Lab"),
        _leaf("collected_at", date(2024, 3, 1)),
        _leaf("reported_at", date(2024, 3, 2)),
    ]
    results = [
        _leaf("results.1.test_name", "Sodium"),
        _leaf("results.1.value", "150"),
        _leaf("results.1.unit", "mmol/L"),
        _leaf("results.1.flag", "H"),
        _leaf("results.0.test_name", "Glucose"),
        _leaf("results.0.code", "2345-7"),
        _leaf("results.0.value", "5.4"),
        _leaf("results.0.unit", "mmol/L"),
        _leaf("results.0.reference_range", "3.9-5.5"),
        _leaf("results.0.flag", None),
    ]
    with Session(engine) as session, session.begin():
        save_result(session, _clinical("6" * 64, "lab_report", header + results))
        save_result(
            session, _clinical("7" * 64, "lab_report", [_leaf("patient.name", "No Results")])
        )
        save_result(session, _result("8" * 64))  # an invoice is in no clinical view
    patient = ("Jane Roe", date(1980, 5, 17), "female", "MRN-0042")
    report = ("Dr. Ada Stone", "Central Lab", date(2024, 3, 1), date(2024, 3, 2))
    _assert_rows(
        engine,
        "SELECT original_name, status, patient_name, patient_birth_date, patient_sex, "
        "patient_identifier, ordering_provider, lab_name, collected_at, reported_at, "
        "result_number, test_name, code, value, unit, reference_range, flag FROM lab_results "
        "ORDER BY patient_name, result_number",
        [
            ("lab_report.pdf", "succeeded", *patient, *report,
             0, "Glucose", "2345-7", "5.4", "mmol/L", "3.9-5.5", None),
            ("lab_report.pdf", "succeeded", *patient, *report,
             1, "Sodium", None, "150", "mmol/L", None, "H"),
            ("lab_report.pdf", "succeeded", "No Results", *[None] * 14),
        ],
    )  # fmt: skip


def test_clinical_letters_view_lists_diagnosis_codes_in_document_order(engine: Engine) -> None:
    fields = [
        _leaf("kind", "discharge"),
        _leaf("patient.name", "John Doe"),
        _leaf("patient.birth_date", date(1955, 1, 31)),
        _leaf("patient.sex", "male"),
        _leaf("patient.identifier", "H-77"),
        _leaf("author", "Dr. Lee"),
        _leaf("date", date(2024, 4, 10)),
        _leaf("admission_date", date(2024, 4, 1)),
        _leaf("discharge_date", date(2024, 4, 9)),
        _leaf("follow_up", "GP review in 2 weeks"),
        _leaf("diagnoses.2.icd10", "I10"),
        _leaf("diagnoses.0.text", "Type 2 diabetes"),
        _leaf("diagnoses.0.icd10", "E11.9"),
        _leaf("diagnoses.1.text", "Fall, no code given"),
        _leaf("diagnoses.1.icd10", None),
        _leaf("medications.0.name", "Metformin"),
    ]
    with Session(engine) as session, session.begin():
        save_result(session, _clinical("9" * 64, "clinical_letter", fields))
    _assert_rows(
        engine,
        "SELECT kind, patient_name, patient_birth_date, patient_sex, patient_identifier, "
        "author, letter_date, admission_date, discharge_date, follow_up, diagnosis_codes "
        "FROM clinical_letters",
        [("discharge", "John Doe", date(1955, 1, 31), "male", "H-77", "Dr. Lee",
          date(2024, 4, 10), date(2024, 4, 1), date(2024, 4, 9), "GP review in 2 weeks",
          "E11.9, I10")],
    )  # fmt: skip


def test_claims_and_claim_lines_views_are_typed(engine: Engine) -> None:
    fields = [
        _leaf("patient.name", "Sam Poe"),
        _leaf("patient.birth_date", date(1990, 12, 1)),
        _leaf("patient.sex", "male"),
        _leaf("insured.name", "Pat Poe"),
        _leaf("insured.id", "XYZ123456"),
        _leaf("diagnosis_codes.0.code", "J20.9"),
        _leaf("diagnosis_codes.1.code", "R05.9"),
        _leaf("total_charge", Decimal("250.50")),
        _leaf("billing_provider.name", "Main Street Clinic"),
        _leaf("billing_provider.npi", "1234567893"),
        _leaf("billing_provider.tax_id", "12-3456789"),
        _leaf("service_lines.0.date_from", date(2024, 1, 5)),
        _leaf("service_lines.0.date_to", date(2024, 1, 5)),
        _leaf("service_lines.0.place_of_service", "11"),
        _leaf("service_lines.0.cpt", "99213"),
        _leaf("service_lines.0.modifiers", "25"),
        _leaf("service_lines.0.diagnosis_pointer", "AB"),
        _leaf("service_lines.0.charge", Decimal("150.50")),
        _leaf("service_lines.0.units", Decimal("1")),
        _leaf("service_lines.0.rendering_npi", "1234567893"),
        _leaf("service_lines.1.cpt", "87880"),
        _leaf("service_lines.1.charge", Decimal("100.00")),
        _leaf("service_lines.1.units", Decimal("2")),
    ]
    with Session(engine) as session, session.begin():
        save_result(session, _clinical("a" * 64, "claim_form", fields))
    _assert_rows(
        engine,
        "SELECT patient_name, patient_birth_date, patient_sex, insured_name, insured_id, "
        "diagnosis_codes, total_charge, billing_provider_name, billing_provider_npi, "
        "billing_provider_tax_id FROM claims",
        [("Sam Poe", date(1990, 12, 1), "male", "Pat Poe", "XYZ123456", "J20.9, R05.9",
          Decimal("250.50"), "Main Street Clinic", "1234567893", "12-3456789")],
    )  # fmt: skip
    _assert_rows(
        engine,
        "SELECT line_number, date_from, date_to, place_of_service, cpt, modifiers, "
        "diagnosis_pointer, charge, units, rendering_npi FROM claim_lines ORDER BY line_number",
        [(0, date(2024, 1, 5), date(2024, 1, 5), "11", "99213", "25", "AB", Decimal("150.50"),
          Decimal("1"), "1234567893"),
         (1, None, None, None, "87880", None, None, Decimal("100.00"), Decimal("2"), None)],
    )  # fmt: skip


def test_clinical_views_show_the_latest_successful_run_only(engine: Engine) -> None:
    claim = [_leaf("total_charge", Decimal("10.00")), _leaf("service_lines.0.cpt", "99213")]
    newer = [_leaf("total_charge", Decimal("20.00")), _leaf("service_lines.0.cpt", "99214")]
    failed = _clinical("b" * 64, "claim_form", [])
    failed.status = Status.FAILED
    with Session(engine) as session, session.begin():
        save_result(session, _clinical("b" * 64, "claim_form", claim))
        save_result(session, _clinical("b" * 64, "claim_form", newer))
        save_result(session, failed)
    _assert_rows(engine, "SELECT total_charge FROM claims", [(Decimal("20.00"),)])
    _assert_rows(engine, "SELECT cpt FROM claim_lines", [("99214",)])


def test_routing_round_trips(engine: Engine) -> None:
    routed = _clinical("c" * 64, "lab_report", [_leaf("patient.name", "Jane Roe")])
    routed.routing = Routing("lab_report", 0.875, Method.MODEL)
    with Session(engine) as session, session.begin():
        save_result(session, routed)
        save_result(session, _result("d" * 64))
    with Session(engine) as session:
        loaded = [
            load_result(session, run, Path("x.pdf"))
            for run in (
                stored_run(session, "c" * 64, "lab_report", 1),
                stored_run(session, "d" * 64, "invoice", 1),
            )
            if run is not None
        ]
    assert [result.routing for result in loaded] == [
        Routing("lab_report", 0.875, Method.MODEL),
        None,
    ]
    with Session(engine) as session:  # auto finds routed runs only, whatever their schema
        found = stored_run(session, "c" * 64, "auto", 1)
        assert found is not None and found.schema_name == "lab_report"
        assert stored_run(session, "d" * 64, "auto", 1) is None


def _page_texts(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT d.sha256, p.page, p.text FROM page_texts p "
                "JOIN extraction_runs r ON r.id = p.run_id "
                "JOIN documents d ON d.id = r.document_id ORDER BY d.sha256, p.page"
            )
        )
        return [tuple(row) for row in rows]


def test_page_texts_are_stored_cleaned_unless_switched_off(engine: Engine) -> None:
    kept, dropped = _result("e" * 64), _result("f" * 64)
    kept.page_texts = ("Invoice A-1\x00 total 119.00", "page two")
    dropped.page_texts = ("not to be kept",)
    with Session(engine) as session, session.begin():
        save_result(session, kept)
        save_result(session, dropped, keep_page_text=False)
    assert _page_texts(engine) == [
        ("e" * 64, 1, "Invoice A-1 total 119.00"),
        ("e" * 64, 2, "page two"),
    ]


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("page_texts", "field_values", "extraction_runs", "invoices")
        }


def test_purge_deletes_old_page_texts_and_keeps_the_fields(engine: Engine) -> None:
    old, recent = _result("1" * 64), _result("2" * 64)
    old.page_texts, recent.page_texts = ("old page",), ("recent page",)
    with Session(engine) as session, session.begin():
        save_result(session, old)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE page_texts SET stored_at = :at"),
            {"at": datetime.now(UTC) - timedelta(days=10)},
        )
    with Session(engine) as session, session.begin():
        save_result(session, recent)
    before = _counts(engine)
    in_25_days = datetime.now(UTC) + timedelta(days=25)
    with Session(engine) as session, session.begin():
        purged = purge_page_texts(session, older_than_days=30, now=in_25_days)
    assert purged == 1
    assert _page_texts(engine) == [("2" * 64, 1, "recent page")]
    assert _counts(engine) == {**before, "page_texts": 1}
    with Session(engine) as session, session.begin():
        assert purge_page_texts(session, older_than_days=30, now=in_25_days) == 0


def _alembic(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_downgrade_to_0005_and_upgrade_again_keep_the_data(engine: Engine) -> None:
    letter = _clinical("3" * 64, "clinical_letter", [_leaf("diagnoses.0.icd10", "E11.9")])
    letter.page_texts = ("a letter",)
    with Session(engine) as session, session.begin():
        save_result(session, letter)
    _alembic(engine, "0005")
    schema = inspect(engine)
    assert not set(CLINICAL_VIEWS) & set(schema.get_view_names())
    assert "page_texts" not in schema.get_table_names()
    assert {"routing_method", "routed_schema_confidence"}.isdisjoint(
        column["name"] for column in schema.get_columns("extraction_runs")
    )
    upgrade(engine)
    assert set(CLINICAL_VIEWS) <= set(inspect(engine).get_view_names())
    _assert_rows(engine, "SELECT diagnosis_codes FROM clinical_letters", [("E11.9",)])


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)  # roles are PostgreSQL's
def test_analysts_read_the_clinical_views_but_not_the_page_text(engine: Engine) -> None:
    with engine.connect() as connection:
        readable = {
            name: connection.execute(
                text("SELECT has_table_privilege('extractor_reader', :name, 'SELECT')"),
                {"name": name},
            ).scalar_one()
            for name in (*CLINICAL_VIEWS, "page_texts", "document_contents")
        }
    assert readable == {
        **dict.fromkeys(CLINICAL_VIEWS, True),
        "page_texts": False,
        "document_contents": False,
    }


def test_document_kind_and_advisory_errors_round_trip(engine: Engine) -> None:
    result = _result("e" * 64)
    result.kind = "receipt"
    result.errors = [
        ErrorRecord("check:due_not_before_issue", "due before issue", ("due_date",), True),
        ErrorRecord("missing_required", "receipt: no seller.name", ("seller.name",)),
    ]
    with Session(engine) as session, session.begin():
        save_result(session, result)
    with Session(engine) as session:
        run = stored_run(session, "e" * 64, "invoice", 1)
        assert run is not None and run.document_kind == "receipt"
        loaded = load_result(session, run, Path("x.pdf"))
    assert loaded.kind == "receipt"
    assert loaded.errors == result.errors


def test_downgrade_to_0007_and_upgrade_again_keep_the_views_and_runs(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        save_result(session, _result("6" * 64))
    _alembic(engine, "0007")
    schema = inspect(engine)
    assert {"review_users", "supplier_memories"}.isdisjoint(schema.get_table_names())
    assert "reviewed_by" not in {c["name"] for c in schema.get_columns("invoices")}
    upgrade(engine)
    assert {"reviewed_by", "reviewed_at"} <= {
        c["name"] for c in inspect(engine).get_columns("lab_results")
    }
    _assert_rows(engine, "SELECT invoice_number, reviewed_by FROM invoices", [("A-1", None)])
