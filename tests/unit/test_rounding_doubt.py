"""A gross total on a page with a rounding adjustment: one of two totals, sent to review."""

from decimal import Decimal

import pytest

from extractor.memory.recall import ROUNDING_FACTOR
from extractor.pipeline import with_rounding_doubt
from extractor.read.page_words import PageWord, PageWords
from extractor.read.pdf import DocumentText
from extractor.result import FieldRecord, Method


def _till_slip(adjustment: str) -> DocumentText:
    words = (("TOTAL", 10.0), ("10.62", 120.0), ("ROUNDING", 10.0), (adjustment, 120.0))
    page = PageWords(
        1,
        200.0,
        300.0,
        tuple(
            PageWord(text, (x, 20.0 * (number // 2), x + 40.0, 20.0 * (number // 2) + 10.0))
            for number, (text, x) in enumerate(words)
        ),
    )
    return DocumentText(pages=("TOTAL 10.62\nROUNDING " + adjustment,), words=(page,))


@pytest.mark.parametrize(("adjustment", "factor"), [("-0.02", ROUNDING_FACTOR), ("0.00", 1.0)])
def test_a_gross_total_beside_a_rounding_adjustment_is_in_doubt(
    adjustment: str, factor: float
) -> None:
    total = FieldRecord("total_gross", Decimal("10.62"), Method.RULES, 0.9, page=1)
    (doubted,) = with_rounding_doubt([total], _till_slip(adjustment))
    assert doubted.confidence == pytest.approx(0.9 * factor)
