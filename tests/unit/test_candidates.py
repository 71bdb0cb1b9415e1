"""Typed candidates: the runs of whole words within a line that a kind's parser accepts,
and a value the text layer glues to its label ("DATE:02/02/17")."""

import pytest

from extractor.values.candidates import find_spans
from schemas.kinds import FieldKind


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("DATE:02/02/17 19:46", FieldKind.DATE, [("02/02/17", 5)]),
        ("TOTAL:12.50", FieldKind.AMOUNT, [("12.50", 6)]),
        ("DATE: 02/02/17", FieldKind.DATE, [("02/02/17", 6)]),  # apart, as before
        ("TIME 19:46", FieldKind.DATE, []),  # a time's colon glues no label to a value
        ("CASHIER:FT10060", FieldKind.AMOUNT, []),
        ("REF 2024:12.50", FieldKind.AMOUNT, []),  # digits before the colon are no label
        ("21/05/2018TIME:", FieldKind.DATE, [("21/05/2018", 0)]),  # the next label glued on
        ("TOTAL 12.50RM", FieldKind.AMOUNT, [("12.50RM", 6)]),  # no colon: read as before
    ],
)
def test_a_value_glued_to_its_label_by_a_colon_is_a_candidate(
    text: str, kind: FieldKind, found: list[tuple[str, int]]
) -> None:
    assert [(span.text, span.start) for span in find_spans(text, kind)] == found


def test_a_currency_code_written_as_a_word_is_no_currency() -> None:
    text = "[CONS_0001] Whiteboard Pen\n15.00\nTotal 1,810.80 EUR\nall prices in eur"
    assert [span.text for span in find_spans(text, FieldKind.CURRENCY)] == ["EUR"]
