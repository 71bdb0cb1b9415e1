"""Business checks on a typed invoice: arithmetic, dates, identifiers, and the shape of
values (`plausible.py`).

Each rule runs only when all its inputs are present; a rule with missing inputs is not
reported at all. Results name the fields involved by dotted path and describe failures
generically: no value from the document ever appears in a result (results may be logged).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from extractor.values.identifiers import iban_is_valid, vat_id_is_valid
from extractor.values.plausible import (
    is_plausible_document_number,
    is_plausible_issue_date,
    is_plausible_name,
    is_plausible_term,
)
from schemas.invoice import Invoice

TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one rule on one invoice (or on one line, for per-line rules)."""

    rule: str
    passed: bool
    fields: tuple[str, ...]
    detail: str


# A check yields (passed, fields) once per subject it could evaluate, nothing when skipped.
_Outcomes: TypeAlias = Iterator[tuple[bool, tuple[str, ...]]]


def _totals_add_up(invoice: Invoice) -> _Outcomes:
    net, tax, gross = invoice.total_net, invoice.total_tax, invoice.total_gross
    if net is not None and tax is not None and gross is not None:
        yield abs(net + tax - gross) <= TOLERANCE, ("total_net", "total_tax", "total_gross")


def _tax_below_gross(invoice: Invoice) -> _Outcomes:
    """By size, as for a credit note's negative amounts: the tax is a part of the gross."""
    tax, gross = invoice.total_tax, invoice.total_gross
    if tax is not None and gross is not None and gross != 0:
        yield abs(tax) < abs(gross), ("total_tax", "total_gross")


def _lines_sum_to_net(invoice: Invoice) -> _Outcomes:
    nets = [line.net_amount for line in invoice.lines]
    if invoice.total_net is None or not nets or None in nets:
        return
    total = sum((n for n in nets if n is not None), Decimal(0))
    # lines that do not add up are a list with rows missing or extra: every row's place in
    # it is in doubt, not only its net amount
    parts = ("description", "quantity", "unit_price", "net_amount")
    paths = tuple(f"lines.{i}.{part}" for i in range(len(nets)) for part in parts)
    # a net total that net + tax = gross confirms is not the one in doubt: the lines are
    confirmed = any(passed for passed, _ in _totals_add_up(invoice))
    yield abs(total - invoice.total_net) <= TOLERANCE, paths if confirmed else ("total_net", *paths)


def _line_arithmetic(invoice: Invoice) -> _Outcomes:
    for i, line in enumerate(invoice.lines):
        qty, price, net = line.quantity, line.unit_price, line.net_amount
        if qty is not None and price is not None and net is not None:
            paths = (f"lines.{i}.quantity", f"lines.{i}.unit_price", f"lines.{i}.net_amount")
            yield abs(qty * price - net) <= TOLERANCE, paths


def _due_not_before_issue(invoice: Invoice) -> _Outcomes:
    if invoice.issue_date is not None and invoice.due_date is not None:
        yield invoice.due_date >= invoice.issue_date, ("issue_date", "due_date")


def _iban_checksum(invoice: Invoice) -> _Outcomes:
    if invoice.iban is not None:
        yield iban_is_valid(invoice.iban), ("iban",)


def _vat_ids_check(invoice: Invoice) -> _Outcomes:
    for role, party in (("seller", invoice.seller), ("buyer", invoice.buyer)):
        if party is not None and party.vat_id is not None:
            valid = vat_id_is_valid(party.vat_id)
            if valid is not None:  # a country python-stdnum knows
                yield valid, (f"{role}.vat_id",)


def _party_names_plausible(invoice: Invoice) -> _Outcomes:
    for role, party in (("seller", invoice.seller), ("buyer", invoice.buyer)):
        if party is not None and party.name is not None:
            yield is_plausible_name(party.name), (f"{role}.name",)


def _seller_not_buyer(invoice: Invoice) -> _Outcomes:
    seller = invoice.seller.name if invoice.seller else None
    buyer = invoice.buyer.name if invoice.buyer else None
    if seller is not None and buyer is not None:
        yield seller.casefold() != buyer.casefold(), ("seller.name", "buyer.name")


def _invoice_number_plausible(invoice: Invoice) -> _Outcomes:
    if invoice.invoice_number is not None:
        yield is_plausible_document_number(invoice.invoice_number), ("invoice_number",)


def _dates_plausible(invoice: Invoice) -> _Outcomes:
    if invoice.issue_date is not None:
        yield is_plausible_issue_date(invoice.issue_date), ("issue_date",)
        if invoice.due_date is not None and invoice.due_date >= invoice.issue_date:
            yield is_plausible_term(invoice.issue_date, invoice.due_date), ("due_date",)


def _amount_due_not_above_gross(invoice: Invoice) -> _Outcomes:
    """By size: a credit note's amounts are negative, and -90 due of -100 is not above it."""
    due, gross = invoice.amount_due, invoice.total_gross
    if due is not None and gross is not None:
        yield abs(due) <= abs(gross) + TOLERANCE, ("amount_due", "total_gross")


@dataclass(frozen=True)
class _Rule:
    name: str
    check: Callable[[Invoice], _Outcomes]
    ok: str
    failed: str


_RULES = (
    _Rule(
        "totals_add_up",
        _totals_add_up,
        "net + tax equals gross within 0.01",
        "net + tax differs from gross by more than 0.01",
    ),
    _Rule(
        "tax_below_gross",
        _tax_below_gross,
        "the tax total is smaller than the gross total",
        "the tax total is not smaller than the gross total",
    ),
    _Rule(
        "lines_sum_to_net",
        _lines_sum_to_net,
        "line net amounts sum to the net total within 0.01",
        "line net amounts differ from the net total by more than 0.01",
    ),
    _Rule(
        "line_arithmetic",
        _line_arithmetic,
        "quantity x unit price equals the line net amount within 0.01",
        "quantity x unit price differs from the line net amount by more than 0.01",
    ),
    _Rule(
        "due_not_before_issue",
        _due_not_before_issue,
        "due date is on or after the issue date",
        "due date is before the issue date",
    ),
    _Rule(
        "iban_checksum",
        _iban_checksum,
        "IBAN length and mod-97 checksum are valid",
        "IBAN length or mod-97 checksum is invalid",
    ),
    _Rule(
        "vat_id_checksum",
        _vat_ids_check,
        "the VAT number passes its country's check",
        "the VAT number fails its country's format or check digits",
    ),
    _Rule(
        "amount_due_not_above_gross",
        _amount_due_not_above_gross,
        "amount due does not exceed the gross total",
        "amount due exceeds the gross total by more than 0.01",
    ),
    _Rule(
        "party_name_shape",
        _party_names_plausible,
        "the party name has the shape of a name",
        "the party name looks like a sentence, disclaimer, banner or address, not a name",
    ),
    _Rule(
        "seller_not_buyer",
        _seller_not_buyer,
        "seller and buyer differ",
        "seller and buyer are the same name",
    ),
    _Rule(
        "invoice_number_shape",
        _invoice_number_plausible,
        "the invoice number has the shape of a document number",
        "the invoice number looks like a version, page, phone number, date, amount or year",
    ),
    _Rule(
        "dates_plausible",
        _dates_plausible,
        "the dates lie in a plausible range",
        "a date lies before 1990, over a year ahead, or due over three years after issue",
    ),
)


def validate_invoice(invoice: Invoice) -> list[CheckResult]:
    """Run every rule whose inputs are present, in a fixed order."""
    return [
        CheckResult(rule.name, passed, fields, rule.ok if passed else rule.failed)
        for rule in _RULES
        for passed, fields in rule.check(invoice)
    ]
