"""A gross total on a page with a rounding adjustment: one of two totals, sent to review, but
where the kind of document says which of the two its gross is (a receipt: after rounding)."""

from decimal import Decimal

import pytest

from extractor.memory.recall import ROUNDING_FACTOR
from extractor.pipeline import with_rounding_doubt
from extractor.read.page_words import PageWord, PageWords
from extractor.read.pdf import DocumentText
from extractor.result import FieldRecord, Method
from schemas import get_schema

KINDS = {kind.name: kind for kind in get_schema("invoice").cues.kinds}


def _till_slip(adjustment: str) -> DocumentText:
    words = (
        ("TOTAL", 10.0), ("10.62", 120.0), ("ROUNDING", 10.0), (adjustment, 120.0),
        ("TOTAL", 10.0), ("10.60", 120.0),
    )  # fmt: skip
    page = PageWords(
        1,
        200.0,
        300.0,
        tuple(
            PageWord(text, (x, 20.0 * (number // 2), x + 40.0, 20.0 * (number // 2) + 10.0))
            for number, (text, x) in enumerate(words)
        ),
    )
    text = f"TOTAL 10.62\nROUNDING {adjustment}\nTOTAL 10.60"
    return DocumentText(pages=(text,), words=(page,))


def _gross(value: str) -> FieldRecord:
    return FieldRecord("total_gross", Decimal(value), Method.RULES, 0.9, page=1)


@pytest.mark.parametrize(("adjustment", "factor"), [("-0.02", ROUNDING_FACTOR), ("0.00", 1.0)])
def test_a_gross_total_beside_a_rounding_adjustment_is_in_doubt(
    adjustment: str, factor: float
) -> None:
    (doubted,) = with_rounding_doubt([_gross("10.62")], _till_slip(adjustment), KINDS["invoice"])
    assert doubted.confidence == pytest.approx(0.9 * factor)


def test_a_receipts_gross_after_the_adjustment_is_not_in_doubt_and_before_it_is() -> None:
    slip = _till_slip("-0.02")
    (after,) = with_rounding_doubt([_gross("10.60")], slip, KINDS["receipt"])
    (before,) = with_rounding_doubt([_gross("10.62")], slip, KINDS["receipt"])
    assert after.confidence == pytest.approx(0.9)
    assert before.confidence == pytest.approx(0.9 * ROUNDING_FACTOR)
    (invoice,) = with_rounding_doubt([_gross("10.60")], slip, KINDS["invoice"])
    assert invoice.confidence == pytest.approx(0.9 * ROUNDING_FACTOR)  # EN 16931: either


def test_a_receipts_gross_that_the_payment_pays_is_not_in_doubt() -> None:
    """Cash is paid rounded: what the till's payment paid is the total after rounding, even
    where the total before it is not printed (8.48 is added up but not shown)."""
    text = "SUB TOTAL 8.00\nGST 0.48\nROUNDING 0.02\nNET TOTAL 8.50\nCASH 10.00\nCHANGE 1.50"
    words = tuple(
        PageWord(word, (10.0 + 60.0 * column, 20.0 * row, 60.0 + 60.0 * column, 20.0 * row + 10.0))
        for row, line in enumerate(text.splitlines())
        for column, word in enumerate(line.rsplit(" ", 1))
    )
    slip = DocumentText(pages=(text,), words=(PageWords(1, 200.0, 300.0, words),))
    (receipt,) = with_rounding_doubt([_gross("8.50")], slip, KINDS["receipt"])
    (invoice,) = with_rounding_doubt([_gross("8.50")], slip, KINDS["invoice"])
    assert receipt.confidence == pytest.approx(0.9)
    assert invoice.confidence == pytest.approx(0.9 * ROUNDING_FACTOR)
