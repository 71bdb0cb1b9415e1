"""What the document view draws over the page images: every word of the text layer (to click
or drag over) and each field's box, as fractions of the page, so they scale with the image.

A field's box is the OCR box stored with it (or the words a person picked), otherwise the
words of its page that spell its text as read (`raw`), or its value. Fields from an embedded
e-invoice's XML or from a form have no place on the page: they get no box.
"""

from dataclasses import dataclass, replace

from extractor.errors import InputError
from extractor.read.page_isolation import PageLimits, isolated_page_words
from extractor.read.page_words import Box, PageWords, locate_text
from extractor.result import Method
from extractor.store.review_runs import ReviewField

NOT_ON_PAGE = (Method.XML.value, Method.FORM.value)


@dataclass(frozen=True)
class PageLayout:
    number: int
    width: float  # points
    height: float
    words: tuple[tuple[str, str], ...]  # (text, "x0 y0 x1 y1" as fractions of the page)


@dataclass(frozen=True)
class FieldPlace:
    page: int
    box: str  # "x0 y0 x1 y1", fractions of the page


def read_layout(pdf: bytes, limits: PageLimits) -> list[PageWords]:
    """Every page's words, read in an isolated child; none if PDFium cannot read them."""
    try:
        return isolated_page_words(pdf, limits)
    except InputError:
        return []


def with_ocr_words(pages: list[PageWords], scanned: list[PageWords]) -> list[PageWords]:
    """The pages, each OCR'd one with the words OCR read on it (its text layer has none)."""
    by_number = {page.page: page for page in scanned}
    return [
        replace(page, words=by_number[page.page].words) if page.page in by_number else page
        for page in pages
    ]


def page_layouts(pages: list[PageWords]) -> list[PageLayout]:
    return [
        PageLayout(
            page.page,
            page.width,
            page.height,
            tuple((word.text, fractions(word.box, page)) for word in page.words),
        )
        for page in pages
    ]


def field_places(fields: tuple[ReviewField, ...], pages: list[PageWords]) -> dict[str, FieldPlace]:
    places: dict[str, FieldPlace] = {}
    for field in fields:
        place = _place(field, pages)
        if place is not None:
            places[field.path] = place
    return places


def _place(field: ReviewField, pages: list[PageWords]) -> FieldPlace | None:
    if field.method in NOT_ON_PAGE or field.method is None or field.page is None:
        return None
    if not 1 <= field.page <= len(pages):
        return None
    page = pages[field.page - 1]
    box = field.box
    for text in (field.raw, field.value):
        if box is None and text:
            box = locate_text(page.words, text)
    return FieldPlace(page.page, fractions(box, page)) if box is not None else None


def fraction_box(box: Box, page: PageWords) -> Box:
    x0, y0, x1, y1 = box
    return (x0 / page.width, y0 / page.height, x1 / page.width, y1 / page.height)


def fractions(box: Box, page: PageWords) -> str:
    return " ".join(f"{value:.5f}" for value in fraction_box(box, page))


def points(fraction_box: str, page: PageWords) -> Box | None:
    """A box sent back by the page (fractions) in points; None if it is not four numbers in
    0..1."""
    try:
        x0, y0, x1, y1 = (float(part) for part in fraction_box.split())
    except ValueError:
        return None
    if not all(0.0 <= value <= 1.0 for value in (x0, y0, x1, y1)):
        return None
    return (x0 * page.width, y0 * page.height, x1 * page.width, y1 * page.height)
