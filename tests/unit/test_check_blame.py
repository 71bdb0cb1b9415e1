"""A failed check between a value a reviewer's memory or a till's payment vouches for and
values nobody confirmed blames the unconfirmed ones; with nothing vouched for, it blames every
field it ties."""

from decimal import Decimal

from extractor.pipeline import apply_checks
from extractor.result import ErrorRecord, FieldRecord, Method
from extractor.values.validate import CheckResult

TAX_NOT_BELOW_GROSS = CheckResult(
    "tax_below_gross", False, ("total_tax", "total_gross"), "the tax is not below the gross"
)


def _checked(
    gross: FieldRecord, settled: tuple[str, ...] = ()
) -> tuple[dict[str, float], list[ErrorRecord]]:
    tax = FieldRecord("total_tax", Decimal("9.90"), Method.RULES, 0.9)
    errors: list[ErrorRecord] = []
    records = apply_checks([gross, tax], [TAX_NOT_BELOW_GROSS], errors, settled=settled)
    return {record.path: record.confidence for record in records}, errors


def test_a_total_read_beside_its_remembered_label_leaves_the_blame_to_the_rules_tax() -> None:
    gross = FieldRecord("total_gross", Decimal("9.90"), Method.MEMORY, 0.8, confirmed=True)
    confidence, errors = _checked(gross)
    assert [error.fields for error in errors] == [("total_tax",)]
    assert confidence["total_gross"] == 0.8 and confidence["total_tax"] < 0.9


def test_a_total_found_only_at_its_old_place_shares_the_blame() -> None:
    gross = FieldRecord("total_gross", Decimal("0.00"), Method.MEMORY, 0.8, confirmed=False)
    confidence, errors = _checked(gross)
    assert [error.fields for error in errors] == [("total_tax", "total_gross")]
    assert confidence["total_gross"] < 0.8 and confidence["total_tax"] < 0.9


def test_a_total_the_payment_settles_leaves_the_blame_to_the_tax() -> None:
    gross = FieldRecord("total_gross", Decimal("7.70"), Method.RULES, 0.85)
    confidence, errors = _checked(gross, settled=("total_gross",))
    assert [error.fields for error in errors] == [("total_tax",)]
    assert confidence["total_gross"] == 0.85 and confidence["total_tax"] < 0.9
    confidence, errors = _checked(gross)  # nothing settles it: both share the blame
    assert [error.fields for error in errors] == [("total_tax", "total_gross")]
