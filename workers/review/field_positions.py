"""What a confirmation teaches the supplier memory: for each confirmed field of the document
(not list items, not XML or form values) that has a place on the page, that place and the
label words beside it."""

from extractor.memory.memory import shape
from extractor.read.page_labels import label_of
from extractor.read.page_words import Box, PageWords
from extractor.schema_walk import template_of
from extractor.store.review_runs import HumanValue, ReviewField, ReviewRun
from extractor.store.supplier_memory import FieldPosition
from workers.review.document_layout import (
    NOT_ON_PAGE,
    FieldPlace,
    field_places,
    fraction_box,
    points,
)


def confirmed_positions(
    run: ReviewRun, values: dict[str, HumanValue], pages: list[PageWords]
) -> list[FieldPosition]:
    places = field_places(run.fields, pages)
    positions: list[FieldPosition] = []
    for field in run.fields:
        if template_of(field.path) != field.path:
            continue  # a list item
        found = _place(field, values.get(field.path), places, pages)
        if found is None:
            continue
        page, box = found
        label = label_of(page.words, box)
        positions.append(
            FieldPosition(
                field=field.path,
                page=page.page,
                value_box=fraction_box(box, page),
                label_words=label.words if label else (),
                label_box=fraction_box(label.box, page) if label else None,
                page_size=(page.width, page.height),
                value_shape=shape(_printed(page, box)) or None,
            )
        )
    return positions


def _printed(page: PageWords, box: Box) -> str:
    """The words inside a box, as printed (the middle of each word inside it)."""
    inside = [
        word
        for word in page.words
        if box[0] <= (word.box[0] + word.box[2]) / 2 <= box[2]
        and box[1] <= (word.box[1] + word.box[3]) / 2 <= box[3]
    ]
    return " ".join(word.text for word in inside)


def _place(
    field: ReviewField,
    human: HumanValue | None,
    places: dict[str, FieldPlace],
    pages: list[PageWords],
) -> tuple[PageWords, Box] | None:
    if human is not None and human.value != field.value:  # the person's value
        if human.value is None or human.page is None or human.box is None:
            return None
        return pages[human.page - 1], human.box
    place = places.get(field.path)
    if field.value is None or field.method in NOT_ON_PAGE or place is None:
        return None
    page = pages[place.page - 1]
    box = points(place.box, page)
    return (page, box) if box is not None else None
