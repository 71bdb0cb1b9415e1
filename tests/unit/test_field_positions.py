"""What a confirmation teaches: a date or an amount printed several times is remembered at the
printing beside its field's label."""

from extractor.read.page_words import PageWord, PageWords
from schemas import get_schema
from schemas.kinds import FieldKind
from workers.review.field_positions import beside_label, labelled, line_separator, printings

TOTAL_LABELS = get_schema("invoice").cues.labels["total_gross"]


def _line(y: float, *cells: tuple[str, float]) -> list[PageWord]:
    return [PageWord(text, (x, y, x + 6.0 * len(text), y + 10.0)) for text, x in cells]


SLIP = PageWords(
    1,
    300.0,
    400.0,
    (
        *_line(100, ("1476", 10), ("3", 60), ("15.90", 120), ("47.70", 200)),
        *_line(
            160,
            ("TOTAL", 10),
            ("SALES(INCLUSIVE", 50),
            ("OF", 150),
            ("GST)", 165),
            (":", 190),
            ("47.70", 200),
        ),
        *_line(180, ("CASH", 10), ("47.70", 200)),
    ),
)


def test_every_printing_of_an_amount_is_found() -> None:
    found = printings(FieldKind.AMOUNT, "47.70", SLIP)
    assert [box[1] for box in found] == [100, 160, 180]
    assert printings(FieldKind.AMOUNT, "15.90", SLIP) == [(120, 100, 150, 110)]


def test_a_confirmed_total_is_remembered_beside_its_label() -> None:
    in_item_line, beside, cash = printings(FieldKind.AMOUNT, "47.70", SLIP)
    assert not labelled(SLIP, in_item_line, TOTAL_LABELS)  # "15.90" stands left of it
    assert beside_label(SLIP, in_item_line, [in_item_line, beside, cash], TOTAL_LABELS) == beside
    assert beside_label(SLIP, beside, [in_item_line, beside], TOTAL_LABELS) == beside
    # beside words, even words that are no label of the field, the machine's place stays
    assert beside_label(SLIP, cash, [in_item_line, beside, cash], TOTAL_LABELS) == cash
    # no other printing beside a label: the machine's place stays
    assert beside_label(SLIP, in_item_line, [in_item_line, cash], TOTAL_LABELS) == in_item_line


def test_how_a_confirmed_value_joins_its_printed_lines_is_learned() -> None:
    lines = ["NO 2A JALAN COCHRANE,", "TAMAN MALURI", "55100 KUALA LUMPUR"]
    spaced = "NO 2A JALAN COCHRANE, TAMAN MALURI 55100 KUALA LUMPUR"
    assert line_separator(lines, spaced) == " "
    assert line_separator(lines, "NO 2A JALAN COCHRANE, TAMAN MALURI, 55100 KUALA LUMPUR") == ", "
    assert line_separator(lines, "55100 KUALA LUMPUR") is None  # typed otherwise
    assert line_separator(lines, None) is None
