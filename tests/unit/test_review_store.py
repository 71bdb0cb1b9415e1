"""The review app's queries and what a review stores, on SQLite with runs stored by the real
pipeline (rules only) and by the store API."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from extractor.result import Status
from extractor.store.models import ExtractionRun
from extractor.store.review_queue import LOW_CONFIDENCE, QueueFilters, run_reasons
from extractor.store.review_runs import HumanValue, ReviewConflictError
from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role
from extractor.store.supplier_memory import FieldPosition, supplier_key
from schemas.kinds import FieldKind
from tests.conftest import SAMPLES
from tests.review_support import NEEDS_REVIEW_SAMPLE, prepared_database, store_run, text_pdf


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, list[int]]:
    folder = tmp_path_factory.mktemp("review")
    files = [NEEDS_REVIEW_SAMPLE, SAMPLES / "de_equipment.pdf"]
    return prepared_database(f"sqlite:///{folder / 'review.db'}", files)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine, _ = prepared_database(f"sqlite:///{tmp_path / 'review.db'}", [NEEDS_REVIEW_SAMPLE])
    return engine


def test_reasons_are_the_holding_errors_and_unnamed_low_confidence_fields() -> None:
    errors = [
        {"code": "missing_required", "fields": ["total_gross"], "advisory": False},
        {"code": "check:due_after_issue", "fields": ["due_date"], "advisory": True},
        {"code": "missing_required", "fields": ["currency"], "advisory": False},
    ]
    assert run_reasons(errors, ["total_gross"]) == ("missing_required",)
    assert run_reasons(errors, ["total_gross", "iban"]) == ("missing_required", LOW_CONFIDENCE)
    assert run_reasons([], []) == ()


def test_the_queue_lists_what_needs_review_with_reasons_supplier_and_counts(
    extracted: tuple[Engine, list[int]],
) -> None:
    engine, (needs_review, succeeded) = extracted
    store = ReviewStore(engine)
    items, counts = store.queue(QueueFilters())
    assert [item.run_id for item in items] == [needs_review]
    assert items[0].original_name == "nl_prepaid.pdf"
    assert "missing_required" in items[0].reasons
    assert "Van Dijk Vertaalbureau" in (items[0].supplier or "")
    assert counts.statuses == {"needs_review": 1, "succeeded": 1}
    assert counts.schemas == {"invoice": 1}
    assert counts.reasons["missing_required"] == 1

    everything, _ = store.queue(QueueFilters(status=None))
    assert [item.run_id for item in everything] == [needs_review, succeeded]  # oldest first
    by_supplier, _ = store.queue(QueueFilters(status=None, supplier="müller"))
    assert [item.run_id for item in by_supplier] == [succeeded]
    by_vat, _ = store.queue(QueueFilters(status=None, supplier="de2947"))
    assert [item.run_id for item in by_vat] == [succeeded]
    assert store.queue(QueueFilters(reason="routing_uncertain"))[0] == []
    assert store.queue(QueueFilters(schema="lab_report"))[0] == []


def test_the_review_view_lists_every_field_and_marks_what_needs_review(
    extracted: tuple[Engine, list[int]],
) -> None:
    engine, (needs_review, _) = extracted
    run = ReviewStore(engine).run(needs_review)
    assert run is not None and run.is_latest and run.pages == 1
    fields = {field.path: field for field in run.fields}
    assert fields["total_gross"].needs_review and "missing_required" in fields["total_gross"].errors
    assert fields["lines.0.description"].method == "rules"
    paths = [field.path for field in run.fields]
    assert paths.index("lines.0.description") < paths.index("lines.0.quantity")
    assert ReviewStore(engine).run(10_000) is None


def test_confirming_stores_a_new_run_with_human_values_and_keeps_the_machine_run(
    engine: Engine,
) -> None:
    store = ReviewStore(engine)
    (item,), _ = store.queue(QueueFilters())
    values = {
        "total_gross": HumanValue("1350.36", 1, (10.0, 20.0, 30.0, 40.0)),
        "invoice_number": HumanValue("2024-047"),  # as extracted: stays `rules`
    }
    new_id = store.save_review(item.run_id, values, reviewer="alice")
    with Session(engine) as session:
        machine, reviewed = (session.get(ExtractionRun, i) for i in (item.run_id, new_id))
        assert machine is not None and reviewed is not None
        assert machine.status == "needs_review" and machine.reviewed_by is None
        assert (reviewed.status, reviewed.reviewed_by) == ("succeeded", "alice")
        assert reviewed.reviewed_run_id == item.run_id and reviewed.errors == []
        fields = {row.path: row for row in reviewed.fields}
        assert len(fields) == len(machine.fields)  # a missing value is a row with null
        total = fields["total_gross"]
        assert (total.value, total.method, total.confidence) == ("1350.36", "human", 1.0)
        assert (total.page, total.box) == (1, [10.0, 20.0, 30.0, 40.0])
        assert fields["invoice_number"].method == "rules"
        view = session.execute(
            text("SELECT run_id, status, reviewed_by, reviewed_at, total_gross FROM invoices")
        ).one()
    assert (view.run_id, view.status, view.reviewed_by) == (new_id, "succeeded", "alice")
    assert view.reviewed_at is not None and float(view.total_gross) == 1350.36
    assert store.queue(QueueFilters())[0] == []
    with pytest.raises(ReviewConflictError):  # the machine run is not the latest any more
        store.save_review(item.run_id, {}, reviewer="bob")


def test_rejecting_stores_the_reason_and_status_rejected(engine: Engine) -> None:
    store = ReviewStore(engine)
    (item,), _ = store.queue(QueueFilters())
    new_id = store.save_review(item.run_id, {}, reviewer="alice", rejected_because="a duplicate")
    with Session(engine) as session:
        run = session.get(ExtractionRun, new_id)
        assert run is not None and run.status == Status.REJECTED.value
        assert run.errors == [
            {"code": "rejected", "message": "a duplicate", "fields": [], "advisory": False}
        ]
    rejected, counts = store.queue(QueueFilters(status="rejected"))
    assert [entry.run_id for entry in rejected] == [new_id] and counts.statuses["rejected"] == 1


def test_a_cleared_value_is_stored_as_a_human_null(engine: Engine, tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "one.pdf", ["Seller: Someone"])
    run_id = store_run(engine, pdf, {"seller.name": "Someone"}, Status.NEEDS_REVIEW)
    store = ReviewStore(engine)
    new_id = store.save_review(run_id, {"seller.name": HumanValue(None)}, reviewer="alice")
    with Session(engine) as session:
        row = session.scalars(select(ExtractionRun).where(ExtractionRun.id == new_id)).one()
        (field,) = row.fields
    assert (field.path, field.value, field.method) == ("seller.name", None, "human")
    assert store.pdf(row.document_id) == pdf.read_bytes()


def test_users_are_saved_found_and_updated(engine: Engine) -> None:
    store = ReviewStore(engine)
    assert store.user("alice") is None
    store.save_user("alice", "hash-1", Role.READONLY)
    store.save_user("alice", "hash-2", Role.REVIEWER)
    user = store.user("alice")
    assert user is not None and (user.password_hash, user.role) == ("hash-2", Role.REVIEWER)


def test_a_supplier_is_known_by_vat_id_then_iban_then_normalised_name() -> None:
    assert supplier_key({"seller.vat_id": "nl 8545", "seller.name": "X"}) == "vat:NL8545"
    assert supplier_key({"iban": "NL36 INGB 0007", "seller.name": "X"}) == "iban:NL36INGB0007"
    assert supplier_key({"seller.name": "  Müller & Söhne GmbH "}) == "name:muller sohne gmbh"
    assert supplier_key({"seller.name": None, "seller.vat_id": " "}) is None


def test_a_confirmation_teaches_the_supplier_memory_and_rows_can_be_forgotten(
    engine: Engine,
) -> None:
    store = ReviewStore(engine)
    (item,), _ = store.queue(QueueFilters())
    position = FieldPosition(
        "invoice_number", 1, (0.1, 0.3, 0.2, 0.32), ("Nr.",), (0.05, 0.3, 0.09, 0.32)
    )
    first = store.save_review(item.run_id, {}, reviewer="alice", positions=[position])
    (row,) = store.supplier_memories()
    assert (row.supplier_key, row.field, row.label_words) == (
        "vat:NL854502130B01",  # its VAT number, read by its check digits
        "invoice_number",
        ("Nr.",),
    )
    moved = FieldPosition("invoice_number", 1, (0.5, 0.5, 0.6, 0.52), ("No",), None)
    store.save_review(first, {}, reviewer="bob", positions=[moved])
    (again,) = store.supplier_memories()  # the later confirmation replaced the row
    assert (again.label_words, again.created_by) == (("No",), "bob")
    with Session(engine) as session:
        stored = session.execute(
            text("SELECT value_box, label_offset FROM supplier_memories")
        ).one()
    assert stored.label_offset is None  # SQL NULL, not JSON null
    assert json.loads(stored.value_box) == [0.5, 0.5, 0.6, 0.52]
    assert store.forget_supplier_memory(again.id) is True
    assert store.supplier_memories() == [] and store.forget_supplier_memory(again.id) is False


def test_a_rejection_teaches_nothing(engine: Engine) -> None:
    store = ReviewStore(engine)
    (item,), _ = store.queue(QueueFilters())
    position = FieldPosition("invoice_number", 1, (0.1, 0.3, 0.2, 0.32), (), None)
    store.save_review(item.run_id, {}, reviewer="a", rejected_because="no", positions=[position])
    assert store.supplier_memories() == []


def test_list_rows_can_be_removed_and_added_and_are_numbered_from_zero(
    engine: Engine, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "lines.pdf", ["Lines"])
    lines = {f"lines.{i}.description": f"line {i}" for i in range(3)}
    run_id = store_run(engine, pdf, {"invoice_number": "A-1", **lines}, Status.NEEDS_REVIEW)
    store = ReviewStore(engine)
    run = store.run(run_id)
    assert run is not None
    (invoice_lines,) = run.lists
    assert invoice_lines.name == "lines" and invoice_lines.next_index == 3
    assert ("net_amount", FieldKind.AMOUNT) in invoice_lines.leaves
    starts = [field.path for field in run.fields if field.starts_item]
    assert starts == ["lines.0.description", "lines.1.description", "lines.2.description"]
    values = {"lines.3.description": HumanValue("added"), "lines.3.net_amount": HumanValue("5")}
    new_id = store.save_review(
        run_id, values, reviewer="alice", removed_items=frozenset({"lines.1"})
    )
    with Session(engine) as session:
        reviewed = session.get(ExtractionRun, new_id)
        assert reviewed is not None
        stored = sorted(
            (row.path, row.item_index, row.value, row.method) for row in reviewed.fields
        )
    assert stored == [
        ("invoice_number", None, "A-1", "rules"),
        ("lines.0.description", 0, "line 0", "rules"),
        ("lines.1.description", 1, "line 2", "rules"),
        ("lines.2.description", 2, "added", "human"),
        ("lines.2.net_amount", 2, "5", "human"),
    ]
