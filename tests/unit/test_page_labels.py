"""The label of a value: the words just left of it on its line, else the line above it."""

from extractor.read.page_labels import label_of
from extractor.read.page_words import PageWord

WORDS = [
    PageWord("Invoice", (50, 100, 90, 110)),
    PageWord("number:", (92, 100, 130, 110)),
    PageWord("RE-1", (140, 100, 170, 110)),
    PageWord("far", (400, 100, 420, 110)),
    PageWord("Due", (300, 150, 320, 160)),
    PageWord("date", (322, 150, 345, 160)),
    PageWord("01.02.2024", (300, 165, 350, 175)),
    PageWord("Total", (50, 300, 80, 310)),
    PageWord("Subtotal", (50, 200, 90, 210)),
    PageWord("alone", (50, 400, 80, 410)),
]


def test_the_words_left_of_a_value_on_its_line_are_its_label() -> None:
    label = label_of(WORDS, (140, 100, 170, 110))
    assert label is not None and label.words == ("Invoice", "number:")
    assert label.box == (50, 100, 130, 110)


def test_without_words_to_the_left_the_line_above_is_the_label() -> None:
    label = label_of(WORDS, (300, 165, 350, 175))
    assert label is not None and label.words == ("Due", "date")


def test_a_label_far_left_on_the_same_line_is_the_label() -> None:
    words = [PageWord("TOTAL", (10, 500, 40, 510)), PageWord("31.00", (150, 500, 180, 510))]
    label = label_of(words, (150, 500, 180, 510))
    assert label is not None and label.words == ("TOTAL",)  # 110 points: 11 line heights
    slip = [PageWord("TOTAL", (9, 394, 36, 402)), PageWord("49.40", (170, 394, 196, 402))]
    label = label_of(slip, (170, 394, 196, 402))
    assert label is not None and label.words == ("TOTAL",)  # 134 points: 17 line heights


def test_a_colon_alone_before_the_value_leaves_the_label_as_far_as_a_label_may_stand() -> None:
    slip = [PageWord("TOTAL", (9, 394, 36, 402)), PageWord(":", (120, 394, 122, 402)),
            PageWord("4.90", (170, 394, 196, 402))]  # fmt: skip
    label = label_of(slip, (170, 394, 196, 402))
    assert label is not None and label.words == ("TOTAL",) and label.box == (9, 394, 36, 402)
    near = [PageWord("TOTAL", (9, 394, 36, 402)), PageWord(":", (38, 394, 40, 402)),
            PageWord("4.90", (170, 394, 196, 402))]  # fmt: skip
    label = label_of(near, (170, 394, 196, 402))
    assert label is not None and label.words == ("TOTAL", ":")  # a colon beside it is its own


def test_words_far_away_are_no_label() -> None:
    assert label_of(WORDS, (400, 100, 420, 110)) is None  # 230 points from "RE-1"
    assert label_of(WORDS, (50, 400, 80, 410)) is None  # nothing near above or left
