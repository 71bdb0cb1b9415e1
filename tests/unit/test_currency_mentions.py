"""Currency mentions in text: signs and codes anywhere, word-like symbols beside amounts."""

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
    ],
)
def test_word_like_symbols_count_only_beside_an_amount(text: str, mentions: list[str]) -> None:
    assert sorted({span.text for span in find_spans(text, FieldKind.CURRENCY)}) == mentions
