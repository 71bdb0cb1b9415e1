"""The document form as submitted: each field's text, normalised like extracted values (a
date typed as 12.03.2024 is stored as 2024-03-12), and the words the person picked for it.

Messages name the field and the kind of value expected, never the text that was typed.
"""

from dataclasses import dataclass

from extractor.errors import NormalizationError
from extractor.read.page_words import PageWords
from extractor.store.review_runs import HumanValue, ReviewField
from extractor.store.runs import canonical_text
from extractor.values.normalize import normalize
from schemas.kinds import FieldKind
from workers.review.document_layout import points

VALUE_PREFIX = "value:"
PICK_PREFIX = "pick:"  # "page x0 y0 x1 y1": the picked words' box, fractions of the page
MAX_VALUE_CHARS = 2000


@dataclass(frozen=True)
class FormProblem:
    path: str
    message: str


def read_values(
    form: dict[str, str], fields: tuple[ReviewField, ...], pages: list[PageWords]
) -> tuple[dict[str, HumanValue], list[FormProblem]]:
    values: dict[str, HumanValue] = {}
    problems: list[FormProblem] = []
    for field in fields:
        text = form.get(VALUE_PREFIX + field.path)
        if text is None:
            continue  # not in the form: left as it is
        try:
            value = _canonical(field.kind, text)
        except (NormalizationError, ValueError):
            problems.append(FormProblem(field.path, f"not a valid {field.kind.value}"))
            continue
        page, box = _pick(form.get(PICK_PREFIX + field.path, ""), pages)
        values[field.path] = HumanValue(value, page, box)
    return values, problems


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
