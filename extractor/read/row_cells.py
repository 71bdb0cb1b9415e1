"""The text cell of a table row, read by geometry: the words left of the row's first number,
in the column they stand in, with the lines that column wraps onto below.

A row found by its numbers ("Trennblätter  9,90  20  198,00") often wraps its description
onto the next line ("A4"), which the text's order puts apart from it, centres it over two
lines beside its numbers, or prints other columns (a position, an article number) left of
it. The cell is the last column of words with letters before the numbers that stand level
with them (a column ends at a gap wider than a line's height; the row's position number
printed close to it is dropped), and the words of the lines just below that stand within
the column: no wider gap down the page than `WRAP_GAP` lines, nothing in the columns of the
row's numbers (a subtotal's line), no label with its amount (a note), and above the next
row's cell.
"""

import re
from collections.abc import Sequence

from extractor.read.page_words import Box, PageWord, word_lines, word_middle

WRAP_GAP = 1.6  # line heights between a cell's lines: more is another block (a note)
RUN_GAP = 1.0  # line heights between two words of one run on a line
MIN_LETTERS = 3  # a description has words
_POSITION = re.compile(r"\d{1,3}\.?")  # a row's number in the table ("1", "29.")
_NUMBER = re.compile(r"[-+]?\d[\d.,']*%?")
_NOTE = re.compile(r":\s*-?\d[\d.,]*[.,]\d{2,4}$")  # a line that ends in a label's amount


def row_cell(words: Sequence[PageWord], first: Box, following: Box | None = None) -> list[PageWord]:
    """The words of the cell left of a row's first number (its box `first`), line by line,
    and above the next row's cell (`following`: the next row's first number's box). Empty
    where no word stands before the number on its line, or none with letters."""
    below = None
    if following is not None:
        below = min([following[1], *(word.box[1] for word in _row_words(words, following))])
    for core in _level_columns(words, first):
        if all(_NUMBER.fullmatch(word.text) for word in core):
            continue  # another number's column (an article number, a price)
        cell = _cell(words, first, core, following, below)
        if _letters(cell) >= MIN_LETTERS:
            return cell
    return []


def _letters(words: Sequence[PageWord]) -> int:
    return sum(character.isalpha() for word in words for character in word.text)


def _cell(
    words: Sequence[PageWord],
    first: Box,
    core: Sequence[PageWord],
    following: Box | None,
    below: float | None,
) -> list[PageWord]:
    """The cell whose words level with the row's numbers are `core`, with its wrapped lines."""
    height = first[3] - first[1]
    edge = min(w.box[0] for w in core)
    left = edge - height  # a wrapped line may start a little left
    cell = [w for line in word_lines(core) for w in line]
    wrapped = 0
    bottom, last = max(w.box[3] for w in core), _middle(core)
    for next_line in word_lines([w for w in words if word_middle(w) > bottom]):
        top = min(w.box[1] for w in next_line)
        if top - bottom > WRAP_GAP * height or (below is not None and top >= below):
            break
        column = [w for w in next_line if w.box[2] > edge and w.box[0] < first[0]]
        if not column or column[0].box[0] < left or next_line[-1].box[2] > first[0]:
            break  # nothing in the column, words across its edge, or in the numbers' columns
        if _NOTE.search(" ".join(w.text for w in column)):
            break  # a label and its amount ("Bruttopreis : 43,20"): a note, not the cell
        if following is not None and _nearer(
            _middle(column), (following[1] + following[3]) / 2, last
        ):
            break  # the next row's cell, centred on its numbers, begins above them
        cell.extend(column)
        wrapped += 1
        bottom, last = max(w.box[3] for w in column), _middle(column)
    return _lines_above(words, core, first, edge, wrapped) + cell


def _lines_above(
    words: Sequence[PageWord], core: Sequence[PageWord], first: Box, edge: float, most: int
) -> list[PageWord]:
    """The lines of a cell centred on its row's numbers that stand above them ("Consulting,"
    over "strategy" level with the numbers, over "workshop"): no more than the cell has
    below them (`most`), in the cell's column, nothing in the numbers' columns, and nearer
    the row's numbers than the line above them (which a wrapped cell of the row before runs
    onto)."""
    height = first[3] - first[1]
    level = (first[1] + first[3]) / 2
    top = min(w.box[1] for w in core)
    lines = word_lines([w for w in words if word_middle(w) < top])
    taken: list[PageWord] = []
    for index in reversed(range(max(1, len(lines) - most), len(lines))):
        line = lines[index]
        column = [w for w in line if w.box[2] > edge and w.box[0] < first[0]]
        if top - max(w.box[3] for w in line) > WRAP_GAP * height or not column:
            break
        if column[0].box[0] < edge - height or line[-1].box[2] > first[0]:
            break
        if not _nearer(_middle(column), level, _middle(lines[index - 1])):
            break
        taken = column + taken
        top = min(w.box[1] for w in column)
    return taken


def _middle(words: Sequence[PageWord]) -> float:
    return (min(w.box[1] for w in words) + max(w.box[3] for w in words)) / 2


def _nearer(middle: float, one: float, other: float) -> bool:
    """Whether a line at `middle` stands strictly nearer the line at `one` than at `other`."""
    return abs(one - middle) < abs(middle - other)


def _row_words(words: Sequence[PageWord], first: Box) -> list[PageWord]:
    """The last column of words with letters left of the number that stand level with it (a
    cell centred on the row, over two lines, stands level with it too; a column of numbers
    between, another price, is passed over), less the row's position number."""
    for column in _level_columns(words, first):
        if _letters(column) >= MIN_LETTERS:
            return column
    return []


def _level_columns(words: Sequence[PageWord], first: Box) -> list[list[PageWord]]:
    """The columns of words left of the number that stand level with it, right to left,
    each less the row's position number. A cell's words on the row's level may have no
    letters ("4-" wrapped onto "Fahrten"): whether they are the cell, its lines decide."""
    height = first[3] - first[1]
    level = sorted(
        (w for w in words if w.box[2] <= first[0] and w.box[1] < first[3] and w.box[3] > first[1]),
        key=lambda w: w.box[0],
    )
    columns = []
    for column in reversed(_columns(level, height)):
        while len(column) > 1 and _POSITION.fullmatch(min(column, key=_reading_key).text):
            column.remove(min(column, key=_reading_key))
        columns.append(column)
    return columns


def _reading_key(word: PageWord) -> tuple[float, float]:
    return (round(word_middle(word)), word.box[0])


def _columns(words: Sequence[PageWord], height: float) -> list[list[PageWord]]:
    """The words (sorted by their left edge) in columns, left to right: words whose spans
    across overlap or lie no further apart than `RUN_GAP` line heights."""
    columns: list[list[PageWord]] = []
    right = float("-inf")
    for word in words:
        if not columns or word.box[0] - right > RUN_GAP * height:
            columns.append([])
            right = float("-inf")
        columns[-1].append(word)
        right = max(right, word.box[2])
    return columns
