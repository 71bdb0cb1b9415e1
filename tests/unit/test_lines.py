from decimal import Decimal

from extractor.text.lines import find_line_items
from extractor.text.locate import split_lines


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
