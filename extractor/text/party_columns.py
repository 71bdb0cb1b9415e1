"""Parties printed side by side, found by the page's geometry.

Two party blocks printed as columns ("Service Provider" over the seller's rows, "Client" over
the buyer's) come out of the text layer one row at a time: "Name: Cascade Analytics Inc.
Name: Schäfer & Söhne KG". The rules over the text cannot tell the two names apart; the page
can. A row whose cells are party headings, each over its own column, gives every word below
it to the heading it stands under, and each column's first name is its party's."""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from extractor.read.page_words import PageWord, PageWords, line_cells, word_lines
from extractor.read.pdf import DocumentText
from extractor.text.locate import DIGIT, Proposal, is_name
from extractor.text.parties import joined_labels, party_proposal

COLUMN_CUE = "party_column"  # its own cue: the learned scorer weighs it apart from text blocks
COLUMN_ROWS = 8  # rows under a heading row that still belong to its blocks
# a cell that only keys the name on its row ("Name:", "Firma:")
_NAME_KEY = re.compile(
    r"^(?:name|company|company\s+name|firma|firmenname|nom|raison\s+sociale|naam|bedrijf)\s*:$",
    re.IGNORECASE,
)
_ANY_KEY = re.compile(r":$")


@dataclass(frozen=True)
class Cell:
    """Words of one line between two column gaps."""

    words: tuple[PageWord, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def left(self) -> float:
        return self.words[0].box[0]


def column_party_proposals(
    document: DocumentText, party_labels: Mapping[str, Sequence[str]]
) -> Iterator[Proposal]:
    """Party names from blocks printed side by side under a row of party headings."""
    headings = {
        party: re.compile(rf"^(?:[^\W\d_]+\s+)?{joined_labels(labels)}\s*:?$", re.IGNORECASE)
        for party, labels in party_labels.items()
    }
    for page in document.words:
        start = document.page_offsets[page.page - 1]
        text = document.pages[page.page - 1]
        for party, name in _column_names(page, headings):
            found = text.find(name)  # the text prints a row's words with single spaces
            if found >= 0:
                span = (name, start + found, start + found + len(name))
                yield party_proposal(party, span, COLUMN_CUE)


def _column_names(
    page: PageWords, headings: Mapping[str, re.Pattern[str]]
) -> Iterator[tuple[str, str]]:
    rows = [_cells(line) for line in word_lines(page.words)]
    for number, row in enumerate(rows):
        parties = [_heading(cell, headings) for cell in row]
        if len(row) < 2 or None in parties or len(set(parties)) < len(parties):
            continue
        lefts = [cell.left for cell in row]
        height = max(word.box[3] - word.box[1] for cell in row for word in cell.words)
        columns: list[list[list[Cell]]] = [[] for _ in row]
        for below in rows[number + 1 : number + 1 + COLUMN_ROWS]:
            if all(_heading(cell, headings) is not None for cell in below):
                break  # the next row of headings: its own blocks
            shares: list[list[Cell]] = [[] for _ in row]
            for cell in below:
                column = _column(cell.left, lefts, height)
                if column is not None:
                    shares[column].append(cell)
            for column, share in enumerate(shares):
                if share:
                    columns[column].append(share)
        for party, column_rows in zip(parties, columns, strict=True):
            assert party is not None
            name = _first_name(column_rows)
            if name is not None:
                yield party, name


def _cells(line: Sequence[PageWord]) -> list[Cell]:
    return [Cell(tuple(words)) for words in line_cells(line)]


def _heading(cell: Cell, headings: Mapping[str, re.Pattern[str]]) -> str | None:
    return next((party for party, pattern in headings.items() if pattern.match(cell.text)), None)


def _column(left: float, lefts: Sequence[float], height: float) -> int | None:
    """The column a cell starting at `left` stands in: the last heading that starts at or
    before it (a line's height of slack); none for a cell left of every heading."""
    inside = [index for index, start in enumerate(lefts) if start <= left + height]
    return inside[-1] if inside else None


def _first_name(rows: Sequence[Sequence[Cell]]) -> str | None:
    """The column's first row that names: a name alone, or a name after a key of names
    ("Name:"); a row keyed by anything else ("Street:") is passed over."""
    for cells in rows:
        texts = [cell.text for cell in cells]
        if len(texts) == 2 and _NAME_KEY.match(texts[0]):
            candidate = texts[1]
        elif len(texts) == 1 and not _ANY_KEY.search(texts[0]):
            candidate = texts[0]
        else:
            continue
        if is_name(candidate) and not DIGIT.search(candidate):
            return candidate
        return None
    return None
