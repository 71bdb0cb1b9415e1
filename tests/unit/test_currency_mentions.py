"""Currency mentions in text: signs and codes anywhere but in a company's legal form,
word-like symbols beside amounts or in a column's heading."""

import pytest

from extractor.values.candidates import find_spans
from schemas.kinds import FieldKind


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("TOTAL RM 8.10", ["RM"]),  # Malaysian ringgit, before an amount with cents
        ("Gesamt 1 500 Ft", ["Ft"]),  # forint, after the amount
        ("Summe 100,00 zł", ["zł"]),
        ("Émise le 3 août 2026", []),  # "le" is the leone's symbol, and a French article
        ("Ar vous de voir", []),  # "Ar" is the ariary's symbol
        ("Prix en EUR", ["EUR"]),  # an ISO code counts anywhere
        ("Total: 12,00 €", ["€"]),
        ("AMOUNT (RM)", ["RM"]),  # a column's heading
        ("SALE AMT(RM)", ["RM"]),
        ("AEON CO. (M) BHD", []),  # Malaysia's "Berhad", not Bahrain's dinar
        ("GARDENIA BAKERIES (KL) SDN BHD (139386 X)", []),
        ("TOTAL BHD 12.500", ["BHD"]),  # the dinar, before an amount in fils
        ("Währung\xa0\xa0: EUR", ["EUR"]),
    ],
)
def test_word_like_symbols_count_only_beside_an_amount(text: str, mentions: list[str]) -> None:
    assert sorted({span.text for span in find_spans(text, FieldKind.CURRENCY)}) == mentions
