"""The cross-check of an embedded e-invoice against the text a person sees: its invoice
number, gross total and issue date must appear in the visible text. A disagreement is a
classic fraud and error pattern, and sends the result to review.

Check details name fields, never their values.
"""

import re
from contextlib import suppress
from datetime import date
from decimal import Decimal
from typing import Any

from extractor.einvoice.embedded import EInvoice
from extractor.errors import NormalizationError
from extractor.values.candidates import find_candidates
from extractor.values.normalize import normalize, parse_date
from extractor.values.validate import CheckResult
from schemas.kinds import FieldKind

CROSS_CHECK_RULE = "xml_matches_text"  # one check per value: "xml_matches_text:total_gross"


def cross_check(einvoice: EInvoice, document_text: str) -> list[CheckResult]:
    """Does the machine invoice match what a person sees? One check per field the XML
    carries, passed when:

    - invoice number: it occurs in the text, whitespace ignored;
    - gross total: some amount candidate equals it, or its negation (a credit note states
      positive amounts in the XML, EN 16931, and is often printed with a minus sign);
    - issue date: some date candidate equals it, where a numeric date (also one glued to
      neighbouring words by text extraction, "Nr.123vom06.10.2018") may be read day-first or
      month-first (US-style "11/03/2017" is 3 November).
    """
    values = {value.path: value.value for value in einvoice.values}
    results: list[CheckResult] = []
    number = values.get("invoice_number")
    if isinstance(number, str):
        found = "".join(number.split()) in "".join(document_text.split())
        results.append(_check("invoice_number", "invoice number", passed=found))
    gross = values.get("total_gross")
    if isinstance(gross, Decimal):
        text = _lines_with(document_text, _digits(f"{abs(gross).normalize():f}").lstrip("0") or "0")
        seen = _normalized(FieldKind.AMOUNT, _candidates(text, FieldKind.AMOUNT))
        results.append(_check("total_gross", "gross total", passed=gross in seen or -gross in seen))
    issued = values.get("issue_date")
    if isinstance(issued, date):
        text = _lines_with(document_text, f"{issued.year % 100:02d}")
        seen = _normalized(FieldKind.DATE, _candidates(text, FieldKind.DATE))
        results.append(
            _check(
                "issue_date",
                "issue date",
                passed=issued in seen or issued in _numeric_dates(document_text),
            )
        )
    return results


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _lines_with(text: str, digits: str) -> str:
    """Only the lines whose digits contain `digits`: a printed amount or date always carries
    its own digits (a date at least its year's last two), so the other lines cannot hold it
    and need not be parsed."""
    return "\n".join(line for line in text.splitlines() if digits in _digits(line))


def _candidates(text: str, kind: FieldKind) -> list[str]:
    return find_candidates(text, [kind]).get(kind, [])


def _numeric_dates(text: str) -> set[date]:
    """Both readings (day-first, month-first) of every numeric date, inside words too."""
    found: set[date] = set()
    for match in _NUMERIC_DATE.finditer(text):
        first, second, year = match.group(1), match.group(3), match.group(4)
        for day, month in ((first, second), (second, first)):
            with suppress(NormalizationError):
                found.add(parse_date(f"{day}.{month}.{year}"))
    return found


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")


def _normalized(kind: FieldKind, raws: list[str]) -> list[Any]:
    found = []
    for raw in raws:
        with suppress(NormalizationError):
            found.append(normalize(kind, raw))
    return found


def _check(path: str, what: str, *, passed: bool) -> CheckResult:
    detail = (
        f"the {what} of the embedded XML occurs in the visible text"
        if passed
        else f"the {what} of the embedded XML was not found in the visible text"
    )
    return CheckResult(f"{CROSS_CHECK_RULE}:{path}", passed, (path,), detail)
