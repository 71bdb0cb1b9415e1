"""The text cell of a table row, read by geometry: the words left of the row's first number,
in the column they stand in, with the lines that column wraps onto below.

A row found by its numbers ("Trennblätter  9,90  20  198,00") often wraps its description
onto the next line ("A4"), which the text's order puts apart from it, or prints other
columns (a position, an article number) left of it. The cell is the last run of words before
the numbers on the row's line, where a run ends at a gap wider than a line's height (less
the row's position number, where it stands close to the description), and
the words of the lines just below that stand within the run's column: no wider gap down the
page than `WRAP_GAP` lines, nothing in the columns of the row's numbers (a subtotal's line),
and above the next row.
"""

import re
from collections.abc import Sequence

from extractor.read.page_words import Box, PageWord, word_lines, word_middle

WRAP_GAP = 1.6  # line heights between a cell's lines: more is another block (a note)
RUN_GAP = 1.0  # line heights between two words of one run on a line
MIN_LETTERS = 3  # a description has words
_POSITION = re.compile(r"\d{1,3}\.?")  # a row's number in the table ("1", "29.")


def row_cell(words: Sequence[PageWord], first: Box, below: float | None = None) -> list[PageWord]:
    """The words of the cell left of a row's first number (its box `first`), line by line,
    stopping above `below` (the top of the next row's first number). Empty where no word
    stands before the number on its line, or none with letters."""
    height = first[3] - first[1]
    middle = (first[1] + first[3]) / 2
    line = sorted(
        (w for w in words if w.box[2] <= first[0] and w.box[1] <= middle <= w.box[3]),
        key=lambda w: w.box[0],
    )
    run = _last_run(line, height)
    while len(run) > 1 and _POSITION.fullmatch(run[0].text):
        run = run[1:]  # the row's position, printed close to its description
    if sum(character.isalpha() for word in run for character in word.text) < MIN_LETTERS:
        return []  # no words before the number: another column's number, or nothing
    left = run[0].box[0] - height  # a wrapped line may start a little left of the first
    cell, bottom = list(run), max(w.box[3] for w in run)
    for next_line in word_lines([w for w in words if word_middle(w) > bottom]):
        top = min(w.box[1] for w in next_line)
        if top - bottom > WRAP_GAP * height or (below is not None and top >= below):
            break
        column = [w for w in next_line if w.box[2] > left and w.box[0] < first[0]]
        if not column or column[0].box[0] < left or next_line[-1].box[2] > first[0]:
            break  # nothing in the column, words across its edge, or in the numbers' columns
        cell.extend(column)
        bottom = max(w.box[3] for w in column)
    return cell


def _last_run(line: Sequence[PageWord], height: float) -> list[PageWord]:
    """The last run of words of a line (sorted left to right): words no further apart than
    `RUN_GAP` line heights."""
    run: list[PageWord] = []
    for word in line:
        if run and word.box[0] - run[-1].box[2] > RUN_GAP * height:
            run = []
        run.append(word)
    return run
