"""What a confirmation teaches the supplier memory: for each confirmed field of the document
(not list items, not XML or form values) that has a place on the page, that place and the
label words beside it. A confirmed date or amount printed several times is remembered where
it stands beside a label of its field ("TOTAL SALES (INCLUSIVE OF GST)"), not at whichever
printing the machine read (the same amount in an item's line)."""

import re
from collections.abc import Sequence

from extractor.errors import NormalizationError
from extractor.memory.memory import LINE_SEPARATORS, join_lines, shape
from extractor.memory.recall import label_rank
from extractor.read.page_labels import label_of
from extractor.read.page_words import Box, PageWord, PageWords, union_box, word_lines
from extractor.schema_walk import template_of
from extractor.store.review_runs import HumanValue, ReviewField, ReviewRun
from extractor.store.runs import canonical_text
from extractor.store.supplier_memory import FieldPosition
from extractor.values.normalize import normalize, normalize_text
from schemas import get_schema
from schemas.kinds import FieldKind
from workers.review.document_layout import (
    NOT_ON_PAGE,
    FieldPlace,
    field_places,
    fraction_box,
    points,
)

_LETTER = re.compile(r"[^\W\d_]")
MAX_VALUE_WORDS = 3  # a date or an amount is printed over this many words at most
TYPED = (FieldKind.DATE, FieldKind.AMOUNT)


def confirmed_positions(
    run: ReviewRun, values: dict[str, HumanValue], pages: list[PageWords]
) -> list[FieldPosition]:
    places = field_places(run.fields, pages)
    labels = get_schema(run.schema).cues.labels
    positions: list[FieldPosition] = []
    for field in run.fields:
        if template_of(field.path) != field.path:
            continue  # a list item
        found = _place(field, values.get(field.path), places, pages)
        if found is None:
            continue
        page, box = found
        if field.kind in TYPED and field.value is not None and not _beside_words(page, box):
            box = beside_label(
                page, box, printings(field.kind, field.value, page), labels.get(field.path, ())
            )
        label = label_of(page.words, box)
        lines = _printed_lines(page, box)
        confirmed = values.get(field.path)
        value = confirmed.value if confirmed is not None else field.value
        positions.append(
            FieldPosition(
                field=field.path,
                page=page.page,
                value_box=fraction_box(box, page),
                label_words=label.words if label else (),
                label_box=fraction_box(label.box, page) if label else None,
                page_size=(page.width, page.height),
                value_shape=shape(_printed(page, box)) or None,
                value_lines=len(lines) if len(lines) > 1 else None,
                line_separator=line_separator(lines, value) if len(lines) > 1 else None,
                label_rank=label_rank(page.words, label.words, label.box) if label else None,
            )
        )
    return positions


def printings(kind: FieldKind, value: str, page: PageWords) -> list[Box]:
    """Every place the page prints this date or amount (its canonical text), over up to
    `MAX_VALUE_WORDS` words."""
    words = page.words
    found = []
    for start in range(len(words)):
        for size in range(1, MAX_VALUE_WORDS + 1):
            run = words[start : start + size]
            if len(run) == size and _reads_as(kind, run) == value:
                found.append(union_box([word.box for word in run]))
                break
    return found


def _reads_as(kind: FieldKind, run: Sequence[PageWord]) -> str | None:
    try:
        return canonical_text(normalize(kind, " ".join(word.text for word in run)))
    except NormalizationError:
        return None


def labelled(page: PageWords, box: Box, cues: Sequence[str]) -> bool:
    """Whether a label of the field (one of its cues) stands beside the box."""
    return any(re.search(cue, _label_text(page, box), re.IGNORECASE) for cue in cues)


def beside_label(page: PageWords, box: Box, others: Sequence[Box], cues: Sequence[str]) -> Box:
    """The box, unless only numbers stand beside it (an item's line: "3 15.90 47.70") and a
    label of its field stands beside another printing of the same value: then that one. A
    box beside words the schema does not know ("FINAL TOTAL") keeps its place."""
    if _beside_words(page, box):
        return box
    return next((other for other in others if labelled(page, other, cues)), box)


def _beside_words(page: PageWords, box: Box) -> bool:
    return _LETTER.search(_label_text(page, box)) is not None


def _label_text(page: PageWords, box: Box) -> str:
    label = label_of(page.words, box)
    return " ".join(label.words) if label else ""


def _printed(page: PageWords, box: Box) -> str:
    """The words inside a box, as printed (the middle of each word inside it)."""
    return " ".join(word.text for word in _inside(page, box))


def _inside(page: PageWords, box: Box) -> list[PageWord]:
    return [
        word
        for word in page.words
        if box[0] <= (word.box[0] + word.box[2]) / 2 <= box[2]
        and box[1] <= (word.box[1] + word.box[3]) / 2 <= box[3]
    ]


def _printed_lines(page: PageWords, box: Box) -> list[str]:
    """The lines of words inside a box, each as printed."""
    return [" ".join(word.text for word in line) for line in word_lines(_inside(page, box))]


def line_separator(lines: Sequence[str], value: str | None) -> str | None:
    """How a confirmed value of several printed lines joins them: ", " (each line's own
    trailing comma dropped), or " " (the lines as printed, one after the other); None where
    the value is neither."""
    if value is None:
        return None
    wanted = normalize_text(value)
    for separator in LINE_SEPARATORS:
        if normalize_text(join_lines(lines, separator)) == wanted:
            return separator
    return None


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
