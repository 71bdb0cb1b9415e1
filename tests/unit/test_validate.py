"""Unit tests for extractor.values.validate: business rules on a typed invoice."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from extractor.values.identifiers import iban_is_valid, vat_id_is_valid
from extractor.values.plausible import (
    is_plausible_document_number,
    is_plausible_issue_date,
    is_plausible_name,
)
from extractor.values.validate import CheckResult, validate_invoice
from schemas.invoice import Invoice, InvoiceLine, Party

D = Decimal
RULES = {
    "totals_add_up",
    "tax_below_gross",
    "lines_sum_to_net",
    "line_arithmetic",
    "due_not_before_issue",
    "iban_checksum",
    "vat_id_checksum",
    "amount_due_not_above_gross",
    "party_name_shape",
    "seller_not_buyer",
    "invoice_number_shape",
    "dates_plausible",
}


def _line(qty: str | None, price: str | None, net: str | None) -> InvoiceLine:
    return InvoiceLine(
        quantity=None if qty is None else D(qty),
        unit_price=None if price is None else D(price),
        net_amount=None if net is None else D(net),
    )


def _results(rule: str, **fields: Any) -> list[CheckResult]:
    return [r for r in validate_invoice(Invoice(**fields)) if r.rule == rule]


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "NO9386011117947",
        "CH9300762011623852957",
        "DE89 3704 0044 0532 0130 00",
        "de89370400440532013000",
    ],
)
def test_iban_valid(iban: str) -> None:
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013001",  # one digit changed
        "DE88370400440532013000",  # check digits changed
        "GB82WEST12345698765433",
        "FR1420041010050500013M02607",
        "DE5137040044053201300",  # checksum fine, one character short for DE
        "DE893704004405320130000",  # one character too long
        "DE01370400440532000034",  # 01 satisfies mod-97 where 98 is right, never valid
        "DE98370400440532000034X",
        "XX361234567890",  # no such country
        "XX0812345678901",
        "",
        "DE",
        "1289370400440532013000",
        "DE89-3704-0044-0532-0130-00",
    ],
)
def test_iban_invalid(iban: str) -> None:
    assert not iban_is_valid(iban)


def test_iban_98_check_digits_control() -> None:
    assert iban_is_valid("DE98370400440532000034")


# (rule, invoice fields that pass, fields that fail, expected field paths)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], tuple[str, ...]]] = [
    (
        "totals_add_up",
        {"total_net": D("100.00"), "total_tax": D("19.00"), "total_gross": D("119.01")},
        {"total_net": D("100.00"), "total_tax": D("19.00"), "total_gross": D("119.02")},
        ("total_net", "total_tax", "total_gross"),
    ),
    (
        "lines_sum_to_net",
        {"total_net": D("30.00"), "lines": [_line(None, None, "10"), _line(None, None, "20")]},
        {"total_net": D("30.02"), "lines": [_line(None, None, "10"), _line(None, None, "20")]},
        (
            "total_net",
            *(
                f"lines.{i}.{part}"
                for i in (0, 1)
                for part in ("description", "quantity", "unit_price", "net_amount")
            ),
        ),
    ),
    (
        "line_arithmetic",
        {"lines": [_line("3", "3.333", "10.00")]},
        {"lines": [_line("3", "3.32", "10.00")]},
        ("lines.0.quantity", "lines.0.unit_price", "lines.0.net_amount"),
    ),
    (
        "due_not_before_issue",
        {"issue_date": date(2024, 3, 12), "due_date": date(2024, 3, 12)},
        {"issue_date": date(2024, 3, 12), "due_date": date(2024, 3, 11)},
        ("issue_date", "due_date"),
    ),
    (
        "iban_checksum",
        {"iban": "GB82WEST12345698765432"},
        {"iban": "GB82WEST12345698765433"},
        ("iban",),
    ),
    (
        "vat_id_checksum",
        {"seller": Party(vat_id="DE136695976")},
        {"seller": Party(vat_id="DE136695977")},
        ("seller.vat_id",),
    ),
    (
        "tax_below_gross",
        {"total_tax": D("-19.00"), "total_gross": D("-119.00")},
        {"total_tax": D("119.00"), "total_gross": D("119.00")},
        ("total_tax", "total_gross"),
    ),
    (
        "amount_due_not_above_gross",
        {"amount_due": D("119.01"), "total_gross": D("119.00")},
        {"amount_due": D("119.02"), "total_gross": D("119.00")},
        ("amount_due", "total_gross"),
    ),
    (
        "party_name_shape",
        {"seller": Party(name="Brontë Interiors Ltd")},
        {"seller": Party(name="This invoice was created with our software and is valid.")},
        ("seller.name",),
    ),
    (
        "seller_not_buyer",
        {"seller": Party(name="Acme GmbH"), "buyer": Party(name="Globex SA")},
        {"seller": Party(name="Acme GmbH"), "buyer": Party(name="ACME GmbH")},
        ("seller.name", "buyer.name"),
    ),
    (
        "invoice_number_shape",
        {"invoice_number": "HF/25/9154"},
        {"invoice_number": "Page 1 of 2"},
        ("invoice_number",),
    ),
    (
        "dates_plausible",
        {"issue_date": date(2024, 3, 12)},
        {"issue_date": date(1985, 3, 12)},
        ("issue_date",),
    ),
]


def test_cases_cover_every_rule() -> None:
    assert {case[0] for case in CASES} == RULES


@pytest.mark.parametrize(("rule", "good", "bad", "paths"), CASES)
def test_rule_passes(
    rule: str, good: dict[str, Any], bad: dict[str, Any], paths: tuple[str, ...]
) -> None:
    [result] = _results(rule, **good)
    assert result.passed
    assert result.fields == paths


@pytest.mark.parametrize(("rule", "good", "bad", "paths"), CASES)
def test_rule_fails(
    rule: str, good: dict[str, Any], bad: dict[str, Any], paths: tuple[str, ...]
) -> None:
    [result] = _results(rule, **bad)
    assert not result.passed
    assert result.fields == paths
    assert result.detail


@pytest.mark.parametrize(("rule", "good", "bad", "paths"), CASES)
def test_rule_skipped_when_any_input_missing(
    rule: str, good: dict[str, Any], bad: dict[str, Any], paths: tuple[str, ...]
) -> None:
    for name in good:
        partial = {key: value for key, value in good.items() if key != name}
        assert _results(rule, **partial) == []


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        ("lines_sum_to_net", {"total_net": D("10"), "lines": []}),
        ("lines_sum_to_net", {"total_net": D("10"), "lines": [_line("1", "10", None)]}),
        (
            "lines_sum_to_net",
            {"total_net": D("10"), "lines": [_line(None, None, "10"), _line("1", "1", None)]},
        ),
        ("line_arithmetic", {"lines": [_line(None, "10", "10")]}),
        ("line_arithmetic", {"lines": [_line("1", None, "10")]}),
        ("line_arithmetic", {"lines": [_line("1", "10", None)]}),
    ],
)
def test_line_rules_skipped_when_line_inputs_missing(rule: str, fields: dict[str, Any]) -> None:
    assert _results(rule, **fields) == []


def test_line_arithmetic_reports_each_complete_line() -> None:
    lines = [_line("2", "5.00", "10.00"), _line("1", None, "3"), _line("4", "2.50", "11.00")]
    results = _results("line_arithmetic", lines=lines)
    assert [(r.passed, r.fields[0]) for r in results] == [
        (True, "lines.0.quantity"),
        (False, "lines.2.quantity"),
    ]


def test_empty_invoice_reports_nothing() -> None:
    assert validate_invoice(Invoice()) == []


def test_complete_invoice_runs_every_rule_and_passes() -> None:
    invoice = Invoice(
        invoice_number="2024-0311",
        seller=Party(name="Acme GmbH", vat_id="DE136695976"),
        buyer=Party(name="Globex SA", vat_id="FR40303265045"),
        issue_date=date(2024, 3, 12),
        due_date=date(2024, 4, 11),
        iban="DE89 3704 0044 0532 0130 00",
        total_net=D("150.00"),
        total_tax=D("28.50"),
        total_gross=D("178.50"),
        amount_due=D("178.50"),
        lines=[_line("2", "50.00", "100.00"), _line("0.5", "100.00", "50.00")],
    )
    results = validate_invoice(invoice)
    assert {r.rule for r in results} == RULES
    assert all(r.passed for r in results)
    # once per line, per party and per date: 2 lines, 2 parties (name, VAT), issue and due date
    assert len(results) == len(RULES) + 4


def test_details_never_contain_document_values() -> None:
    invoice = Invoice(
        invoice_number="4.711,13",
        seller=Party(name="Generated by Mustermann Soft 4711", vat_id="DE471147114"),
        buyer=Party(name="Generated by Mustermann Soft 4711"),
        issue_date=date(2031, 7, 19),
        due_date=date(2031, 7, 18),
        iban="GB82WEST98765432123457",
        total_net=D("4711.13"),
        total_tax=D("99815.17"),
        total_gross=D("9999.99"),
        amount_due=D("12345.67"),
        lines=[_line("7", "673.01", "4711.23")],
    )
    results = validate_invoice(invoice)
    assert {r.rule for r in results} == RULES
    assert not any(r.passed for r in results)
    values = ["2031", "4711", "99815", "9999", "12345", "673", "98765", "WEST", "Mustermann"]
    for result in results:
        assert not any(value in result.detail for value in values)


def test_check_result_is_frozen() -> None:
    result = CheckResult("totals_add_up", True, ("total_net",), "ok")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.passed = False  # type: ignore[misc]


@pytest.mark.parametrize(
    "name",
    ["Generated by InvoiceSoft 4.2", "Page 2 of 3", "www.example.com", "info@example.com",
     "All amounts are payable within thirty days of the date of this invoice.",
     "FACTURE N°", "Art-Nr.", "Käufer / Leistungsempfänger ACME GMBH",
     "SELLER TRADE NAME Adresse du Client", "TOTAL 6% SUPPLIES (INC. GST)",
     "TOTAL INCLUSIVE GST", "Total (excl. VAT)", "THANK YOU. PLEASE COME AGAIN.",
     "GOODS SOLD ARE NOT RETURNABLE.", "YOUR ORDER NUMBER IS", "ACCOUNT'S COPY",
     "**** PROMO ****", "* * * * * * THANK YOU * * * * * *", "*REDEEM VOUCHER BEFORE EXPIRY!*",
     "FOR FEEDBACK OR COMPLAINT", "Vielen Dank für Ihren Einkauf", "Merci de votre visite",
     "DUPLICATA", "Kopie", "ORIGINAL"],
)  # fmt: skip
def test_banners_and_sentences_are_no_party_names(name: str) -> None:
    assert not is_plausible_name(name)


@pytest.mark.parametrize(
    "name",
    ["Zoë Blackwood", "MR D.T.Y. (JOHOR) SDN BHD", "Bank of the West Inc.", "Au bon moulin",
     "SEGI CASH & CARRY SDN. BHD.", "Musterkunde GmbH", "Customer Solutions Ltd",
     "Lieferant GmbH", "Total S.A.", "Total Fitness Ltd", "Welcome Dental Ltd",
     "Your Move Ltd", "Copy Express Sdn Bhd", "Feedback Analytics GmbH", "Mercier SARL",
     "Original Parts GmbH"],
)  # fmt: skip
def test_names_keep_their_shape(name: str) -> None:
    assert is_plausible_name(name)


@pytest.mark.parametrize(
    "number",
    ["1.4.2", "v3", "Seite 1", "2/3", "+49 89 1234 5678", "12.03.2024", "1.234,50", "2024"],
)
def test_versions_pages_phones_dates_amounts_are_no_invoice_numbers(number: str) -> None:
    assert not is_plausible_document_number(number)


@pytest.mark.parametrize(
    "number", ["HF/25/9154", "F20200027", "01-143008", "R-2024-0001", "471102"]
)
def test_document_numbers_keep_their_shape(number: str) -> None:
    assert is_plausible_document_number(number)


def test_dates_far_ahead_or_long_ago_are_implausible() -> None:
    today = date(2026, 1, 1)
    assert is_plausible_issue_date(date(2026, 6, 1), today)
    assert not is_plausible_issue_date(date(2028, 1, 1), today)
    assert not is_plausible_issue_date(date(1989, 12, 31), today)


def test_a_credit_notes_amount_due_is_compared_by_size() -> None:
    def outcome(due: str, gross: str) -> bool:
        invoice = Invoice(amount_due=D(due), total_gross=D(gross))
        (check,) = [c for c in validate_invoice(invoice) if c.rule == "amount_due_not_above_gross"]
        return check.passed

    assert outcome("-90.00", "-100.00")
    assert not outcome("-110.00", "-100.00")


@pytest.mark.parametrize(
    ("vat_id", "valid"),
    [("DE136695976", True), ("EL094259216", True), ("GB980780684", True),
     ("NO965920358MVA", True), ("DE136695977", False), ("FR00000000000", False),
     ("US123456789", None)],
)  # fmt: skip
def test_vat_numbers_are_checked_by_their_country(vat_id: str, valid: bool | None) -> None:
    assert vat_id_is_valid(vat_id) is valid
