"""Unit tests for extractor.values.normalize: raw document text to typed values."""

from datetime import date
from decimal import Decimal

import pytest

from extractor.errors import NormalizationError
from extractor.values.normalize import (
    currency_symbols,
    iso_4217_codes,
    normalize,
    normalize_iban,
    normalize_text,
    normalize_vat_id,
    parse_amount,
    parse_currency,
    parse_date,
    parse_quantity,
)
from schemas.kinds import FieldKind

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        (f"1{NBSP}234,56", "1234.56"),
        (f"1{NNBSP}234,56", "1234.56"),
        (f"12{NNBSP}345{NNBSP}678.90", "12345678.90"),
        ("1'234.50", "1234.50"),
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234", "1234"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1,234", "1234"),
        ("1.234", "1234"),
        ("12,50", "12.50"),
        ("1,5", "1.5"),
        ("0,125", "0.125"),
        ("1234,567", "1234.567"),
        ("-12.50", "-12.50"),
        ("12.50-", "-12.50"),
        ("(12.50)", "-12.50"),
        ("\u221212.50", "-12.50"),
        ("+12.50", "12.50"),
        ("€ 1.234,56", "1234.56"),
        ("1.234,56 €", "1234.56"),
        (f"1.234,56{NBSP}€", "1234.56"),
        ("EUR 12,00", "12.00"),
        ("eur 12,00", "12.00"),
        ("$1,000.00", "1000.00"),
        ("US$ 5.00", "5.00"),
        ("CHF 99.90", "99.90"),
        ("Fr. 12.50", "12.50"),
        ("£ 5", "5"),
        ("-€12", "-12"),
        ("€ -12,00", "-12.00"),
        ("(€ 12.00)", "-12.00"),
        ("12.00 EUR-", "-12.00"),
        ("  42  ", "42"),
    ],
)
def test_parse_amount(raw: str, expected: str) -> None:
    result = parse_amount(raw)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected  # exact, scale preserved, never through float


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "EUR",
        "12 34",
        "1,23,456",
        "1.234.56",
        "1.234 567",
        "--12",
        "-12-",
        "(12",
        "12)",
        "-(12)",
        "12,50,",
        "1e5",
        "12 pcs",
        "€ 12 EUR",
        "12.50 EUR USD",
        "XYZ 12",
        "2024-03-12",
        "12 + 3",
    ],
)
def test_parse_amount_rejects(raw: str) -> None:
    with pytest.raises(NormalizationError) as info:
        parse_amount(raw)
    assert str(info.value) == "not an amount"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", "3"),
        ("3 pcs", "3"),
        ("2,5 h", "2.5"),
        ("10 Stk.", "10"),
        ("1.5 kg", "1.5"),
        ("4 m²", "4"),
        (f"1{NBSP}000 Stück", "1000"),
        ("-2 pcs", "-2"),
    ],
)
def test_parse_quantity(raw: str, expected: str) -> None:
    assert parse_quantity(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["", "pcs", "EUR 3", "3 pcs x", "3 pcs 4", "3 2"])
def test_parse_quantity_rejects(raw: str) -> None:
    with pytest.raises(NormalizationError):
        parse_quantity(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-12", date(2024, 3, 12)),
        ("2024-3-5", date(2024, 3, 5)),
        ("12.03.2024", date(2024, 3, 12)),
        ("12.03.24", date(2024, 3, 12)),
        ("12/03/2024", date(2024, 3, 12)),
        ("15/03/2024", date(2024, 3, 15)),
        ("03/15/2024", date(2024, 3, 15)),
        ("12-03-2024", date(2024, 3, 12)),
        ("12 March 2024", date(2024, 3, 12)),
        ("March 12, 2024", date(2024, 3, 12)),
        ("Mar 12 2024", date(2024, 3, 12)),
        ("Sept. 3, 2024", date(2024, 9, 3)),
        ("1st June 2024", date(2024, 6, 1)),
        ("3 Dec 2024", date(2024, 12, 3)),
        ("12-Mar-2024", date(2024, 3, 12)),
        ("12. März 2024", date(2024, 3, 12)),
        ("12. Maerz 2024", date(2024, 3, 12)),
        ("5. Dezember 24", date(2024, 12, 5)),
        ("2. Jänner 2025", date(2025, 1, 2)),
        ("15 mars 2024", date(2024, 3, 15)),
        ("1er février 2024", date(2024, 2, 1)),
        ("15 févr. 2024", date(2024, 2, 15)),
        ("17 août 2024", date(2024, 8, 17)),
        ("3 décembre 2024", date(2024, 12, 3)),
        (f"12{NBSP}MARS{NBSP}2024", date(2024, 3, 12)),
        ("29.02.2024", date(2024, 2, 29)),
        ("12 Mrz 2024", date(2024, 3, 12)),
        ("3 maggio 2024", date(2024, 5, 3)),  # CLDR's month names in every locale
        ("19 april 2014", date(2014, 4, 19)),
        ("7 października 2024", date(2024, 10, 7)),
        ("1 enero 2024", date(2024, 1, 1)),
        ("12 mai 2024", date(2024, 5, 12)),  # mai: May in most locales
    ],
)
def test_parse_date(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "31.02.2024",
        "29.02.2023",
        "13/13/2024",
        "00.01.2024",
        "2024-13-01",
        "12 Foo 2024",
        "12.03-2024",
        "12.03.2024 10:00",
        "March 2024",
        "yesterday",
    ],
)
def test_parse_date_rejects(raw: str) -> None:
    with pytest.raises(NormalizationError):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("EUR", "EUR"),
        ("eur", "EUR"),
        (" usd ", "USD"),
        ("€", "EUR"),
        ("$", "USD"),
        ("US$", "USD"),
        ("£", "GBP"),
        ("¥", "JPY"),
        ("CHF", "CHF"),
        ("Fr.", "CHF"),
        ("zł", "PLN"),
        ("ZWG", "ZWG"),
        ("XCG", "XCG"),
    ],
)
def test_parse_currency(raw: str, expected: str) -> None:
    assert parse_currency(raw) == expected


@pytest.mark.parametrize("raw", ["kr", "kr."])
def test_parse_currency_ambiguous(raw: str) -> None:
    with pytest.raises(NormalizationError, match="ambiguous"):
        parse_currency(raw)


@pytest.mark.parametrize("raw", ["", "XYZ", "EURO", "DEM", "HRK", "ZWL", "€$", "12"])
def test_parse_currency_rejects(raw: str) -> None:
    with pytest.raises(NormalizationError, match="unknown currency"):
        parse_currency(raw)


def test_iso_4217_codes_come_from_the_standard() -> None:
    codes = iso_4217_codes()
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in codes)
    assert {"EUR", "USD", "GBP", "JPY", "CHF", "XXX", "ZWG", "XCG", "SLE"} <= codes
    assert not {"HRK", "ZWL", "ANG", "SLL", "BGN"} & codes  # withdrawn


def test_currency_symbols_come_from_every_cldr_locale() -> None:
    symbols = currency_symbols()
    assert symbols["€"] == "EUR"
    assert symbols["rm"] == "MYR"  # Malaysian receipts
    assert symbols["kr"] is None  # SEK, NOK, DKK and ISK alike
    assert "r" not in symbols  # one letter is a word (ZAR writes R)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("gb82west12345698765432", "GB82WEST12345698765432"),
        (f"FR14{NBSP}2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
        # Shape only: the checksum is the validator's job.
        ("DE00370400440532013000", "DE00370400440532013000"),
    ],
)
def test_normalize_iban(raw: str, expected: str) -> None:
    assert normalize_iban(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "DE89", "1289370400440532013000", "DEXX370400440532013000", "DE89-3704-0044"]
)
def test_normalize_iban_rejects(raw: str) -> None:
    with pytest.raises(NormalizationError, match="not an IBAN"):
        normalize_iban(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE 123 456 789", "DE123456789"),
        ("fr-12.345678901", "FR12345678901"),
        ("ATU12345678", "ATU12345678"),
        ("NL123456789B01", "NL123456789B01"),
    ],
)
def test_normalize_vat_id(raw: str, expected: str) -> None:
    assert normalize_vat_id(raw) == expected


@pytest.mark.parametrize("raw", ["", "DE1", "123456789", "DE12345678901234", "DE 123/456"])
def test_normalize_vat_id_rejects(raw: str) -> None:
    with pytest.raises(NormalizationError, match="not a VAT identifier"):
        normalize_vat_id(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Acme   GmbH  ", "Acme GmbH"),
        ("Acme\n\tGmbH", "Acme GmbH"),
        (f"Acme{NBSP}GmbH", "Acme GmbH"),
        ("Ac\x00me\x07 GmbH", "Acme GmbH"),
        ("Acme \x00 GmbH", "Acme GmbH"),
        ("\ufeffAc\u00adme\u200b GmbH", "Acme GmbH"),
        ("Société Générale", "Société Générale"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


DISPATCH_CASES: list[tuple[FieldKind, str, object]] = [
    (FieldKind.TEXT, " a  b ", "a b"),
    (FieldKind.DATE, "12.03.2024", date(2024, 3, 12)),
    (FieldKind.AMOUNT, "1.234,56 €", Decimal("1234.56")),
    (FieldKind.QUANTITY, "3 pcs", Decimal(3)),
    (FieldKind.CURRENCY, "€", "EUR"),
    (FieldKind.IBAN, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    (FieldKind.VAT_ID, "DE 123 456 789", "DE123456789"),
    (FieldKind.ICD10, "e119", "E11.9"),
    (FieldKind.NPI, "123 456 7893", "1234567893"),
    (FieldKind.SEX, "Weiblich", "female"),
    (FieldKind.FLAG, "(H)", "H"),
    (FieldKind.LETTER_KIND, "Discharge  Summary", "discharge"),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), DISPATCH_CASES)
def test_normalize_dispatches_by_kind(kind: FieldKind, raw: str, expected: object) -> None:
    assert normalize(kind, raw) == expected


def test_dispatch_cases_cover_every_kind() -> None:
    assert {kind for kind, _, _ in DISPATCH_CASES} == set(FieldKind)


@pytest.mark.parametrize("kind", [kind for kind in FieldKind if kind is not FieldKind.TEXT])
def test_normalize_propagates_errors(kind: FieldKind) -> None:
    with pytest.raises(NormalizationError):
        normalize(kind, "@@")


def test_errors_do_not_echo_the_raw_value() -> None:
    secret = "SECRET-4711"
    for parser in (parse_amount, parse_quantity, parse_date, parse_currency, normalize_iban):
        with pytest.raises(NormalizationError) as info:
            parser(secret)
        assert secret not in str(info.value)
        assert "4711" not in str(info.value)
