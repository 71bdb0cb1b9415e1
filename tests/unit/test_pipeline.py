"""The pipeline and the API contract, with a scripted model (the real one: tests/model)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.pdf import read_pdf
from extractor.pipeline import Extractor
from extractor.result import Method, Status
from extractor.settings import load_settings
from schemas import get_schema
from tests.conftest import SAMPLES
from tests.fakes import ScriptedBackend

DE = SAMPLES / "de_equipment.pdf"
GOOD = {
    "invoice_number": "RE-2024-00815",
    "issue_date": "12.03.2024",
    "due_date": "11.04.2024",
    "currency": "€",
    "purchase_order": None,
    "seller": {
        "name": "Müller & Söhne GmbH",
        "vat_id": "DE294718365",
        "address": "Industriestraße 42, 70565 Stuttgart, Deutschland",
    },
    "buyer": {"name": "Bäckerei Weißhaupt KG", "vat_id": None, "address": None},
    "iban": "DE30 6005 0101 7405 5512 34",
    "total_net": "5.274,50 €",
    "total_tax": "1.002,16 €",
    "total_gross": "6.276,66 €",
    "amount_due": "6.276,66 €",
    "lines": [
        {
            "description": "Anfahrtspauschale",
            "quantity": "1",
            "unit_price": "95,00",
            "net_amount": "95,00",
        },
    ],
}


def _extract(answers: dict[str, object], path: Path = DE, **settings: object):  # type: ignore[no-untyped-def]
    extractor = Extractor(ScriptedBackend(answers), load_settings(**settings))
    return extractor.extract(path, get_schema("invoice"))


def test_values_are_normalised_with_provenance() -> None:
    result = _extract(GOOD, review_threshold=0.0)
    assert result.data["invoice_number"] == "RE-2024-00815"
    assert result.data["issue_date"] == date(2024, 3, 12)
    assert result.data["total_gross"] == Decimal("6276.66")
    assert result.data["currency"] == "EUR"
    assert result.data["iban"] == "DE30600501017405551234"
    assert result.data["seller"]["address"] == "Industriestraße 42, 70565 Stuttgart, Deutschland"
    number = result.field("invoice_number")
    assert number is not None and number.method == Method.MODEL
    assert number.page == 1 and number.start is not None and number.end is not None
    page_text = read_pdf(DE, max_pages=5, max_bytes=10**7).pages[0]
    assert page_text[number.start : number.end] == "RE-2024-00815"
    assert 0.0 <= number.confidence <= 1.0
    assert result.field("purchase_order") is not None
    assert result.data["purchase_order"] is None


def test_consistent_invoice_with_one_line_fails_only_the_line_sum() -> None:
    result = _extract(GOOD, review_threshold=0.0)
    assert result.status == Status.NEEDS_REVIEW
    assert [error.code for error in result.errors] == ["check:lines_sum_to_net"]
    assert "total_net" in result.review_fields
    assert result.run.model_sha256 == "f" * 64 and result.run.grammar_sha256
    assert result.run.prompt_sha256 and result.run.completion_tokens > 0


def test_all_checks_pass_is_succeeded() -> None:
    answers = dict(GOOD, lines=[], total_net="5.274,50 €")
    result = _extract(answers, review_threshold=0.0)
    assert result.errors == []
    assert result.status == Status.SUCCEEDED


def test_arithmetic_failure_lowers_confidence_and_routes_to_review() -> None:
    answers = dict(GOOD, lines=[], total_tax="95,00")
    result = _extract(answers, review_threshold=0.0)
    passing = _extract(dict(GOOD, lines=[]), review_threshold=0.0)
    assert result.status == Status.NEEDS_REVIEW
    assert "check:totals_add_up" in [error.code for error in result.errors]
    tax, good_tax = result.field("total_tax"), passing.field("total_gross")
    assert tax is not None and good_tax is not None
    gross = result.field("total_gross")
    assert gross is not None and gross.confidence < good_tax.confidence


def test_low_confidence_goes_to_review() -> None:
    result = _extract(dict(GOOD, lines=[]), review_threshold=1.0)
    assert result.status == Status.NEEDS_REVIEW
    assert "invoice_number" in result.review_fields


def test_invented_value_cannot_appear() -> None:
    result = _extract(dict(GOOD, invoice_number="INV-FAKE-1"), review_threshold=0.0)
    value = result.data["invoice_number"]
    assert value != "INV-FAKE-1"
    assert value is None or value in read_pdf(DE, max_pages=5, max_bytes=10**7).full


def test_typed_field_can_only_take_a_candidate_of_its_kind() -> None:
    result = _extract(dict(GOOD, lines=[], issue_date="Rechnungsdatum"), review_threshold=0.0)
    assert result.data["issue_date"] in {None, date(2024, 3, 12), date(2024, 4, 11)}
    assert not any(error.code == "normalization" for error in result.errors)


def test_typed_field_without_candidates_is_null() -> None:
    result = _extract(dict(GOOD, lines=[], purchase_order=None, currency="€"), review_threshold=0.0)
    assert result.data["currency"] == "EUR"
    no_iban = _extract(dict(GOOD, lines=[], iban="RE-2024-00815"), review_threshold=0.0)
    assert no_iban.data["iban"] in {None, "DE30600501017405551234"}


def test_truncated_field_is_an_error() -> None:
    result = _extract(dict(GOOD, lines=[]), max_tokens=16, review_threshold=0.0)
    assert result.status == Status.NEEDS_REVIEW
    truncated = [error for error in result.errors if error.code == "generation"]
    assert {field for error in truncated for field in error.fields} >= {"seller"}


def test_bad_input_is_a_failed_result(tmp_path: Path) -> None:
    path = tmp_path / "not.pdf"
    path.write_text("hello")
    result = _extract(GOOD, path)
    assert result.status == Status.FAILED
    assert result.errors[0].code == "not_pdf"
    assert result.data == {} and result.fields == []


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        _extract(GOOD, tmp_path / "missing.pdf")
