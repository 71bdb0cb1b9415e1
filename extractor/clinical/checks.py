"""Checks on typed clinical documents: lab flags against their reference ranges, NPI check
digits, diagnosis pointers, charges against the total, and dates in a possible order.

Like the invoice checks, a rule runs only where its inputs are present and results name
fields by path, never a value. ICD-10 code shapes are enforced when the codes are read
(`extractor.values.clinical_codes.normalize_icd10`): a malformed code is a normalisation error.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from extractor.values.clinical_codes import npi_is_valid
from extractor.values.validate import TOLERANCE, CheckResult
from schemas.claim_form import ClaimForm
from schemas.clinical_letter import ClinicalLetter
from schemas.lab_report import LabReport

_Outcomes: TypeAlias = Iterator[tuple[bool, tuple[str, ...]]]
_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_BETWEEN = re.compile(rf"\s*({_NUMBER})\s*(?:-|\u2013|to|bis)\s*({_NUMBER})\s*")
_BELOW = re.compile(rf"\s*(?:<|<=|≤|up to|bis)\s*({_NUMBER})\s*")
_ABOVE = re.compile(rf"\s*(?:>|>=|≥)\s*({_NUMBER})\s*")
_POINTER_LETTERS = "ABCDEFGHIJKL"


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def reference_bounds(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """(low, high) of a printed range ("3.5 - 5.0", "< 200", "> 60", "4,0 bis 10,0")."""
    if match := _BETWEEN.fullmatch(text):
        return _number(match[1]), _number(match[2])
    if match := _BELOW.fullmatch(text):
        return None, _number(match[1])
    if match := _ABOVE.fullmatch(text):
        return _number(match[1]), None
    return None


def _expected_flag(value: Decimal, low: Decimal | None, high: Decimal | None) -> str | None:
    if high is not None and value > high:
        return "H"
    if low is not None and value < low:
        return "L"
    return None


def _flags_match_ranges(report: LabReport) -> _Outcomes:
    for index, result in enumerate(report.results):
        if result.value is None or result.reference_range is None:
            continue
        value, bounds = _number(result.value.strip()), reference_bounds(result.reference_range)
        if value is None or bounds is None:
            continue
        expected = _expected_flag(value, *bounds)
        flag = None if result.flag in (None, "N") else result.flag
        agrees = (
            flag == expected
            or (flag in ("HH", "A") and expected == "H")
            or (flag in ("LL", "A") and expected == "L")
        )
        prefix = f"results.{index}"
        yield agrees, (f"{prefix}.value", f"{prefix}.reference_range", f"{prefix}.flag")


def _in_order(pairs: list[tuple[str, date | None, str, date | None]]) -> _Outcomes:
    for first_path, first, second_path, second in pairs:
        if first is not None and second is not None:
            yield first <= second, (first_path, second_path)


def _lab_dates(report: LabReport) -> _Outcomes:
    birth = report.patient.birth_date
    yield from _in_order(
        [
            ("patient.birth_date", birth, "collected_at", report.collected_at),
            ("collected_at", report.collected_at, "reported_at", report.reported_at),
        ]
    )


def _letter_dates(letter: ClinicalLetter) -> _Outcomes:
    birth = letter.patient.birth_date
    yield from _in_order(
        [
            ("patient.birth_date", birth, "admission_date", letter.admission_date),
            ("admission_date", letter.admission_date, "discharge_date", letter.discharge_date),
            ("patient.birth_date", birth, "date", letter.date),
        ]
    )


def _claim_dates(claim: ClaimForm) -> _Outcomes:
    birth = claim.patient.birth_date
    for index, line in enumerate(claim.service_lines):
        prefix = f"service_lines.{index}"
        yield from _in_order(
            [
                ("patient.birth_date", birth, f"{prefix}.date_from", line.date_from),
                (f"{prefix}.date_from", line.date_from, f"{prefix}.date_to", line.date_to),
            ]
        )


def _npi_check_digits(claim: ClaimForm) -> _Outcomes:
    if claim.billing_provider.npi is not None:
        yield npi_is_valid(claim.billing_provider.npi), ("billing_provider.npi",)
    for index, line in enumerate(claim.service_lines):
        if line.rendering_npi is not None:
            yield npi_is_valid(line.rendering_npi), (f"service_lines.{index}.rendering_npi",)


def _pointers_name_diagnoses(claim: ClaimForm) -> _Outcomes:
    present = {
        _POINTER_LETTERS[index]
        for index, diagnosis in enumerate(claim.diagnosis_codes[: len(_POINTER_LETTERS)])
        if diagnosis.code is not None
    }
    for index, line in enumerate(claim.service_lines):
        if line.diagnosis_pointer is not None:
            fields = (f"service_lines.{index}.diagnosis_pointer", "diagnosis_codes")
            yield set(line.diagnosis_pointer) <= present, fields


def _charges_sum_to_total(claim: ClaimForm) -> _Outcomes:
    charges = [line.charge for line in claim.service_lines]
    if claim.total_charge is None or not charges or None in charges:
        return
    total = sum((charge for charge in charges if charge is not None), Decimal(0))
    fields = ("total_charge", *(f"service_lines.{i}.charge" for i in range(len(charges))))
    yield abs(total - claim.total_charge) <= TOLERANCE, fields


@dataclass(frozen=True)
class _Rule:
    name: str
    check: Callable[[Any], _Outcomes]
    ok: str
    failed: str


def _run(rules: tuple[_Rule, ...], document: Any) -> list[CheckResult]:
    return [
        CheckResult(rule.name, passed, fields, rule.ok if passed else rule.failed)
        for rule in rules
        for passed, fields in rule.check(document)
    ]


_DATES_OK = "dates are in a possible order"
_DATES_FAILED = "a date is before a date that must precede it"
_LAB_RULES = (
    _Rule(
        "flag_matches_range",
        _flags_match_ranges,
        "the flag agrees with the value and its reference range",
        "the flag disagrees with the value and its reference range",
    ),
    _Rule("dates_in_order", _lab_dates, _DATES_OK, _DATES_FAILED),
)
_LETTER_RULES = (_Rule("dates_in_order", _letter_dates, _DATES_OK, _DATES_FAILED),)
_CLAIM_RULES = (
    _Rule(
        "npi_check_digit",
        _npi_check_digits,
        "the NPI check digit is valid",
        "the NPI check digit is invalid",
    ),
    _Rule(
        "diagnosis_pointers_exist",
        _pointers_name_diagnoses,
        "every diagnosis pointer names a listed diagnosis",
        "a diagnosis pointer names no listed diagnosis",
    ),
    _Rule(
        "charges_sum_to_total",
        _charges_sum_to_total,
        "line charges sum to the total charge within 0.01",
        "line charges differ from the total charge by more than 0.01",
    ),
    _Rule("dates_in_order", _claim_dates, _DATES_OK, _DATES_FAILED),
)


def validate_lab_report(report: LabReport) -> list[CheckResult]:
    return _run(_LAB_RULES, report)


def validate_clinical_letter(letter: ClinicalLetter) -> list[CheckResult]:
    return _run(_LETTER_RULES, letter)


def validate_claim_form(claim: ClaimForm) -> list[CheckResult]:
    return _run(_CLAIM_RULES, claim)
