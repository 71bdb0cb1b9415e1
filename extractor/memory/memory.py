"""What the extractor knows of one confirmed field of one supplier, and how far it trusts it."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

FractionBox = tuple[float, float, float, float]  # x0, y0, x1, y1: fractions of the page

# A memory starts as if it had been right 4 times and wrong once (0.8, above the review
# threshold); every reviewed document that used it moves it towards its own record.
PRIOR_RIGHT = 4
PRIOR_WRONG = 1


@dataclass(frozen=True)
class Memory:
    supplier_key: str  # vat:<id>, iban:<iban> or name:<normalised name>
    field: str
    page: int  # 1-based
    value_box: FractionBox
    label_words: tuple[str, ...]
    label_box: FractionBox | None
    page_size: tuple[float, float] | None = None  # the confirmed page's, in points
    value_shape: str | None = None  # the value as printed: "99-99-99" (`shape`)
    value_lines: int | None = None  # the printed lines a value of several lines spans
    line_separator: str | None = None  # how the reviewer joined them (", " or " ")
    label_rank: int | None = None  # which printing of its label, top to bottom (1: the first)
    uses: int = 0  # reviewed documents whose value came from this memory
    hits: int = 0  # ... and whose reviewer kept it

    @property
    def confidence(self) -> float:
        return (self.hits + PRIOR_RIGHT) / (self.uses + PRIOR_RIGHT + PRIOR_WRONG)


def normalised_name(name: str) -> str:
    """Case, accents and punctuation folded, words separated by one space."""
    folded = unicodedata.normalize("NFKD", name).casefold()
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def compact_identifier(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text).upper()


LINE_SEPARATORS = (", ", " ")  # how a value of several lines is written: the rules' way first


def join_lines(lines: Sequence[str], separator: str) -> str:
    """Printed lines as one value: by ", " without each line's own trailing comma, or by
    " " as printed."""
    if separator == " ":
        return " ".join(lines)
    return separator.join(line.rstrip(",") for line in lines)


MAX_SHAPE_CHARS = 64


def shape(text: str) -> str:
    """How a value is printed, without what it says: digits as 9, letters as a, the rest as
    it is ("18-11-18" and "02-03-19" are both "99-99-99")."""
    return "".join("9" if c.isdigit() else "a" if c.isalpha() else c for c in text)[
        :MAX_SHAPE_CHARS
    ]
