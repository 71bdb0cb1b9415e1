import re
from decimal import Decimal

from extractor.pipeline import Extractor
from extractor.settings import load_settings
from extractor.text.lines import find_line_items, summed_rows
from extractor.text.locate import split_lines
from schemas import get_schema
from tests.conftest import ROOT
from tests.fakes import ScriptedBackend


def _items(text: str) -> list[tuple[str | None, Decimal, Decimal, Decimal]]:
    return [
        (
            item.description.text if item.description else None,
            item.quantity.value,
            item.unit_price.value,
            item.amount.value,
        )
        for item in find_line_items(text, split_lines(text))
    ]


def test_rows_on_one_line_and_one_cell_per_line() -> None:
    text = (
        "Beratung 3 100,00 300,00\nPapier A4\n20\n0,95\n19 %\n19,00\nSumme netto 319,00\nMwSt 60,61"
    )
    assert _items(text) == [
        ("Beratung", Decimal(3), Decimal("100.00"), Decimal("300.00")),
        ("Papier A4", Decimal(20), Decimal("0.95"), Decimal("19.00")),
    ]


def test_price_before_quantity_and_grouped_french_amounts() -> None:
    text = "Pose et raccordement\n1 273,76 2 2 547,52\nTotal HT 2 547,52"
    assert _items(text) == [
        ("Pose et raccordement", Decimal(2), Decimal("1273.76"), Decimal("2547.52"))
    ]


def test_numbers_that_do_not_multiply_are_not_a_row() -> None:
    assert _items("Art-Nr 4012345001235 Menge 3 Preis 9,90 Summe 31,00") == []


def test_unit_prices_with_four_decimals_and_negative_quantities() -> None:
    text = (
        "Trennblätter A4\n9,9000 20 Stk 19 % 198,00\n"
        "Zitronensäure\n1,00 -5  Stk 19 %  VAT (S) -5,00"
    )
    assert _items(text) == [
        ("Trennblätter A4", Decimal(20), Decimal("9.9000"), Decimal("198.00")),
        ("Zitronensäure", Decimal(-5), Decimal("1.00"), Decimal("-5.00")),
    ]


def test_a_unit_price_printed_rounded_still_makes_its_row() -> None:
    """3.3333 printed "3,33": 3 of them are 10,00, and 20 of 2.773 are 55,46. A price
    printed to fewer than its hundredths ("0,02", a rate) is no rounding."""
    text = "Kunstrasen 3,33 3 m² 19 % 10,00\nPfand 2,77 20 Stk 19 % 55,46"
    assert _items(text) == [
        ("Kunstrasen", Decimal(3), Decimal("3.33"), Decimal("10.00")),
        ("Pfand", Decimal(20), Decimal("2.77"), Decimal("55.46")),
    ]
    assert _items("Rechnungsrabatt 2 % 7 0,02 0,15") == []
    assert _items("Kunstrasen 3,33 3 m² 19 % 10,02") == []
    assert _items("ramekins (set of 6)\nTotal Tax £5,071.83\nSubtotal £30,431.00") == []


def test_a_price_per_ten_units_makes_its_row() -> None:
    """0,0520 per 10 kWh: 10000 kWh are 52,00. A price with cents only (a total's 9,90
    beside a quantity of 10 and another 9,90) is no price per base quantity."""
    text = "Wirkarbeit 0,0520 10000 KWH 19 % 52,00\nÖkosteuer 0,0205 10000 KWH 19 % 20,50"
    assert _items(text) == [
        ("Wirkarbeit", Decimal(10000), Decimal("0.0520"), Decimal("52.00")),
        ("Ökosteuer", Decimal(10000), Decimal("0.0205"), Decimal("20.50")),
    ]
    assert _items("Preis 9,90 Menge 10 Summe 9,90") == []
    assert _items("Wirkarbeit 0,0520 10000 KWH\n52,00") == []  # not on one line


def test_a_row_given_free_is_a_row_but_zeros_elsewhere_are_not() -> None:
    text = (
        "Gelierzucker Extra 250g 1,4500 50 Stk 7 % 72,50\n"
        "Gelierzucker Extra 250g 0,00 10 Stk 7 % VAT (S) 0,00\n"
        "Bierbrau Pils 20/0500 12,0000 15 Stk 19 % 180,00\n"
        "Zuschläge 0,00 Abschläge 0,00\nSumme 0,00"
    )
    assert _items(text) == [
        ("Gelierzucker Extra 250g", Decimal(50), Decimal("1.4500"), Decimal("72.50")),
        ("Gelierzucker Extra 250g", Decimal(10), Decimal("0.00"), Decimal("0.00")),
        ("Bierbrau Pils 20/0500", Decimal(15), Decimal("12.0000"), Decimal("180.00")),
    ]
    # a position number before a zero price is no quantity: the quantity stands between
    assert _items("3 Gelierzucker 0,0000 10 Stk 0,00")[0][1:] == (
        Decimal(10),
        Decimal("0.0000"),
        Decimal("0.00"),
    )
    assert _items("Versand 0,00 Stk\n1 0,00") == []  # not on one line


def test_a_net_amount_needs_cents() -> None:
    assert _items("Artikel 2 9,9000 19,8000") == []


def test_a_row_whose_amount_holds_the_tax_of_its_printed_rate() -> None:
    text = (
        " Artikel  Menge  Preis  MwSt  Rabatt  Summe\n"
        " Schulung (halber Tag)  10  1.955,49 €  19%  -  23.270,33 €\n"
        " Edelstahlschrauben M8  4  1.173,11 €  19%  -  5.584,00 €\n"
    )
    items = find_line_items(text, split_lines(text))
    assert _items(text) == [
        ("Schulung (halber Tag)", Decimal(10), Decimal("1955.49"), Decimal("23270.33")),
        ("Edelstahlschrauben M8", Decimal(4), Decimal("1173.11"), Decimal("5584.00")),
    ]
    assert [item.rate for item in items] == [Decimal(19), Decimal(19)]
    assert [item.net_amount for item in items] == [None, None]  # the net is not printed


def test_a_rate_proves_nothing_where_the_amount_is_not_the_price_with_its_tax() -> None:
    assert _items("Schulung 10 1.955,49 19% 23.270,00") == []


NET = re.compile(r"\bnettobetrag\b", re.IGNORECASE)
TOTALS = re.compile(r"\b(?:nettobetrag|mwst|gesamtbetrag|zwischensumme)\b", re.IGNORECASE)


def _summed(text: str) -> list[tuple[str, Decimal | None, Decimal]]:
    rows = summed_rows(text, split_lines(text), NET, TOTALS)
    return [
        (row.description.text, row.quantity.value if row.quantity else None, row.amount.value)
        for row in rows
    ]


def test_a_table_without_unit_prices_is_found_by_its_sum() -> None:
    text = (
        "Beschreibung Menge Betrag\n"
        "Fachübersetzung DE-EN 12 8.558,40 EUR\n"
        "Kühlaggregat 12 2.933,16 EUR\n"
        "Wartungsvertrag (monatlich) 2 225,66 EUR\n"  # 2225.66, or 2 of 225.66: the sum says
        "Beratung 1.000,00 EUR\n"
        "Nettobetrag 12.717,22 EUR\nMwSt 2.416,27 EUR\nGesamtbetrag 15.133,49 EUR"
    )
    assert _summed(text) == [
        ("Fachübersetzung DE-EN", Decimal(12), Decimal("8558.40")),
        ("Kühlaggregat", Decimal(12), Decimal("2933.16")),
        ("Wartungsvertrag (monatlich)", Decimal(2), Decimal("225.66")),
        ("Beratung", None, Decimal("1000.00")),
    ]


def test_totals_that_add_up_and_rows_that_do_not_are_no_table() -> None:
    # a subtotal and its tax add up to the total, but they are totals, not rows
    assert _summed("Zwischensumme 100,00\nMwSt 19,00\nNettobetrag 119,00") == []
    assert _summed("Kühlaggregat 2.933,16 EUR\nBeratung 10,00 EUR\nNettobetrag 3.000,00") == []
    # one row equal to the net proves nothing; a sum to a total not labelled net neither
    assert _summed("Kühlaggregat 2.933,16 EUR\nNettobetrag 2.933,16 EUR") == []
    assert _summed("Tisch 10,00\nStuhl 5,00\nGesamtbetrag 15,00") == []


def test_a_third_party_table_without_unit_prices_end_to_end() -> None:
    pdf = ROOT / "bench" / "samples" / "thirdparty" / "microinvoice-de-3col" / "01.pdf"
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    result = extractor.extract(pdf, get_schema("invoice"))
    lines = [
        (line["description"], line["quantity"], line["net_amount"]) for line in result.data["lines"]
    ]
    assert lines[3] == ("Wartungsvertrag (monatlich)", Decimal(2), Decimal("225.66"))
    assert len(lines) == 4 and sum(line[2] for line in lines) == result.data["total_net"]
    assert not [error for error in result.errors if error.code.startswith("check:lines")]
