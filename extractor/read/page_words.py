"""The words of a page with their boxes, from the PDF's text layer (PDFium's character boxes),
and where a given text stands among them.

Boxes are in points from the top-left corner of the page (the unrotated media box), like the
OCR boxes of `extractor.read.ocr`. A word is a run of characters between whitespace; text
that PDFium draws without a space between words (a gap in the layout) is split where the gap
between two characters is wider than a third of the line's height; where PDFium inferred a
space that the PDF does not hold, where it is wider than a fifth (letter-spaced text keeps
its words).
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

from extractor.read.ocr.engine import OcrPage

Box = tuple[float, float, float, float]  # x0, y0, x1, y1: points from the top left


@dataclass(frozen=True)
class PageWord:
    text: str
    box: Box


@dataclass(frozen=True)
class PageWords:
    page: int  # 1-based
    width: float  # points
    height: float
    words: tuple[PageWord, ...]

    def to_json(self) -> list[Any]:
        return [self.page, self.width, self.height, [[w.text, *w.box] for w in self.words]]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> "PageWords":
        page, width, height, words = data
        return cls(
            int(page),
            float(width),
            float(height),
            tuple(
                PageWord(str(text), (float(x0), float(y0), float(x1), float(y1)))
                for text, x0, y0, x1, y1 in words
            ),
        )


def page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


@contextmanager
def open_page(pdf: bytes, page_number: int) -> Iterator[pypdfium2.PdfPage]:
    """Page `page_number` (1-based) of the PDF, closed with its document afterwards; an
    `IndexError` for a page the document lacks."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= page_number <= len(document):
            raise IndexError(page_number)
        page = document[page_number - 1]
        try:
            yield page
        finally:
            page.close()
    finally:
        document.close()


def read_page_words(pdf: bytes, page_number: int) -> PageWords:
    """The words of one page (1-based); an `IndexError` for a page the document lacks."""
    with open_page(pdf, page_number) as page:
        return _page_words(page, page_number)


def document_words(
    document: pypdfium2.PdfDocument, ocr: Sequence[OcrPage | None] = ()
) -> tuple[PageWords, ...]:
    """Every page's words: the OCR words where a page's text came from OCR, else the text
    layer's."""
    pages = []
    for index in range(len(document)):
        page = document[index]
        try:
            scanned = ocr[index] if index < len(ocr) else None
            if scanned is None:
                pages.append(_page_words(page, index + 1))
            else:
                width, height = page.get_size()
                words = tuple(
                    PageWord(scanned.text[word.start : word.end], word.box)
                    for word in scanned.words
                )
                pages.append(PageWords(index + 1, width, height, words))
        finally:
            page.close()
    return tuple(pages)


def _page_words(page: pypdfium2.PdfPage, page_number: int) -> PageWords:
    width, height = page.get_size()
    text_page = page.get_textpage()
    try:
        words = _words(text_page, height)
    finally:
        text_page.close()
    return PageWords(page_number, width, height, tuple(words))


_LINE_END_HYPHEN = "\x02"  # PDFium's code for a hyphen that ends a line ("Beamer-")
WORD_GAP = 1 / 3  # line heights: a wider gap between two characters drawn apart splits a word
# where PDFium inferred a space, a narrower gap suffices (a word space is about a quarter of
# the font size), but letter spacing ("U r s p r u n g s", about a tenth) is no space
INFERRED_SPACE = 1 / 5


def _words(text_page: pypdfium2.PdfTextPage, page_height: float) -> list[PageWord]:
    words: list[PageWord] = []
    letters: list[str] = []
    boxes: list[Box] = []

    def flush() -> None:
        if letters:
            words.append(PageWord("".join(letters), union_box(boxes)))
            letters.clear()
            boxes.clear()

    inferred_space = False  # PDFium put a space where the PDF has none: the gap decides
    for index in range(text_page.count_chars()):
        character = chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, index))
        if character == _LINE_END_HYPHEN:
            character = "-"
        if character == " " and pdfium_c.FPDFText_IsGenerated(text_page.raw, index) == 1:
            inferred_space = True
            continue
        if character.isspace() or unicodedata.category(character) in ("Cc", "Cf"):
            flush()
            continue
        left, bottom, right, top = text_page.get_charbox(index, loose=True)
        box = (left, page_height - top, right, page_height - bottom)
        if boxes and _gap_between(boxes[-1], box, INFERRED_SPACE if inferred_space else WORD_GAP):
            flush()
        inferred_space = False
        letters.append(character)
        boxes.append(box)
    flush()
    return words


def _gap_between(previous: Box, current: Box, gap: float) -> bool:
    line_height = max(previous[3] - previous[1], current[3] - current[1], 1.0)
    other_line = abs(current[1] - previous[1]) > line_height / 2
    return other_line or current[0] - previous[2] > line_height * gap


def union_box(boxes: Sequence[Box]) -> Box:
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def overlaps(first: Box, second: Box) -> bool:
    """Whether two boxes share some area (in the same units: points, or page fractions)."""
    return (
        first[0] < second[2]
        and second[0] < first[2]
        and first[1] < second[3]
        and second[1] < first[3]
    )


_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


def word_key(text: str) -> str:
    return _EDGE_PUNCTUATION.sub("", unicodedata.normalize("NFKC", text)).casefold()


def word_keys(text: str) -> list[str]:
    """The keys (`word_key`) of a text's words, those that leave one."""
    return [key for key in (word_key(part) for part in text.split()) if key]


def locate_text(words: Sequence[PageWord], text: str) -> Box | None:
    """The box around the first run of words that spells `text` (case, edge punctuation and
    spacing ignored), or around the single word that contains it; None if it is not there."""
    boxes = text_boxes(words, text)
    return boxes[0] if boxes else None


def text_boxes(words: Sequence[PageWord], text: str) -> list[Box]:
    """The box around each run of words that spells `text`, in the page's order; where none
    does, the boxes of the words that contain it."""
    wanted = word_keys(text)
    if not wanted:
        return []
    keys = [word_key(word.text) for word in words]
    spelled = [index for index, key in enumerate(keys) if key]  # "&" standing alone: skipped
    candidates = (spelled[start : start + len(wanted)] for start in range(len(spelled)))
    runs = [
        union_box([word.box for word in words[run[0] : run[-1] + 1]])
        for run in candidates
        if [keys[index] for index in run] == wanted
    ]
    if runs:
        return runs
    joined = "".join(wanted)
    if len(joined) < 3:
        return []
    return [word.box for word, key in zip(words, keys, strict=True) if joined in key]


COLUMN_GAP = 2.0  # line heights: a wider gap between two words on a line separates columns


def word_lines(words: Sequence[PageWord]) -> list[list[PageWord]]:
    """The words as lines by their geometry: words whose middles share a line, lines top to
    bottom, each line's words left to right."""
    lines: list[list[PageWord]] = []
    for word in sorted(words, key=lambda w: (word_middle(w), w.box[0])):
        if lines:
            last = lines[-1]
            last_middle = sum(word_middle(w) for w in last) / len(last)
            if abs(word_middle(word) - last_middle) <= (word.box[3] - word.box[1]) / 2:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.box[0]) for line in lines]


def word_middle(word: PageWord) -> float:
    return (word.box[1] + word.box[3]) / 2


def line_cells(line: Sequence[PageWord]) -> list[list[PageWord]]:
    """A line's words (left to right) split into cells where a wide gap separates two
    columns."""
    cells = [[line[0]]]
    for before, word in pairwise(line):
        height = max(word.box[3] - word.box[1], 1.0)
        if word.box[0] - before.box[2] > COLUMN_GAP * height:
            cells.append([])
        cells[-1].append(word)
    return cells


def reading_order_text(page: PageWords) -> str:
    """The page's words in geometric order (`word_lines`), one text line for each line;
    three spaces where a wide gap separates two columns (`line_cells`)."""
    return "\n".join(
        "   ".join(" ".join(word.text for word in cell) for cell in line_cells(line))
        for line in word_lines(page.words)
    )
