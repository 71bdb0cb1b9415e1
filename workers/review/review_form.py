"""The document form as submitted: each field's text, normalised like extracted values (a
date typed as 12.03.2024 is stored as 2024-03-12), and the words the person picked for it.

Messages name the field and the kind of value expected, never the text that was typed.
"""

from dataclasses import dataclass

from extractor.errors import NormalizationError
from extractor.read.page_words import PageWords
from extractor.store.review_lists import MAX_ITEMS
from extractor.store.review_runs import HumanValue, ReviewRun
from extractor.store.runs import canonical_text
from extractor.values.normalize import normalize
from schemas.kinds import FieldKind
from workers.review.document_layout import points

VALUE_PREFIX = "value:"
REMOVE_PREFIX = "remove:"  # a list row to leave out: "remove:lines.2"
PICK_PREFIX = "pick:"  # "page x0 y0 x1 y1": the picked words' box, fractions of the page
MAX_VALUE_CHARS = 2000


@dataclass(frozen=True)
class FormProblem:
    path: str
    message: str


@dataclass(frozen=True)
class ReviewForm:
    values: dict[str, HumanValue]
    removed_items: frozenset[str]  # "lines.2"
    problems: list[FormProblem]


def read_form(form: dict[str, str], run: ReviewRun, pages: list[PageWords]) -> ReviewForm:
    """The values of the run's fields and of rows the person added, and the rows removed."""
    values: dict[str, HumanValue] = {}
    problems: list[FormProblem] = []
    known = {field.path: field.kind for field in run.fields}
    for path, kind in [*known.items(), *_added_fields(form, run, known)]:
        text = form.get(VALUE_PREFIX + path)
        if text is None:
            continue  # not in the form: left as it is
        try:
            value = _canonical(kind, text)
        except (NormalizationError, ValueError):
            problems.append(FormProblem(path, f"not a valid {kind.value}"))
            continue
        page, box = _pick(form.get(PICK_PREFIX + path, ""), pages)
        values[path] = HumanValue(value, page, box)
    removed = frozenset(
        key.removeprefix(REMOVE_PREFIX)
        for key in form
        if key.startswith(REMOVE_PREFIX) and _is_item(key.removeprefix(REMOVE_PREFIX), run)
    )
    return ReviewForm(values, removed, problems)


def _added_fields(
    form: dict[str, str], run: ReviewRun, known: dict[str, FieldKind]
) -> list[tuple[str, FieldKind]]:
    """Fields of list rows added on the page: `lines.<new index>.<leaf>` of the schema."""
    leaves = {(item.name, leaf): kind for item in run.lists for leaf, kind in item.leaves}
    added = []
    for key in form:
        path = key.removeprefix(VALUE_PREFIX)
        name, _, rest = path.partition(".")
        index, _, leaf = rest.partition(".")
        if (
            key.startswith(VALUE_PREFIX)
            and path not in known
            and index.isdigit()
            and int(index) <= MAX_ITEMS
            and (name, leaf) in leaves
        ):
            added.append((path, leaves[(name, leaf)]))
    return added


def _is_item(item: str, run: ReviewRun) -> bool:
    name, _, index = item.partition(".")
    return index.isdigit() and any(entry.name == name for entry in run.lists)


def _canonical(kind: FieldKind, text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError("too long")
    return canonical_text(normalize(kind, text))


def _pick(
    sent: str, pages: list[PageWords]
) -> tuple[int | None, tuple[float, float, float, float] | None]:
    page_text, _, box_text = sent.strip().partition(" ")
    if not page_text.isdigit() or not 1 <= int(page_text) <= len(pages):
        return None, None
    page = pages[int(page_text) - 1]
    box = points(box_text, page)
    return (page.page, box) if box is not None else (None, None)
