"""The CMS-1500 (02/12) claim form as the reader sees it: the fillable template's field names
that identify a filled copy, and where each box lies on the page (`cms1500_layout.json`, made
from the blank form by `sample_sets.cms1500_blank`), to read a flattened copy by where its text
falls. What the boxes mean for a claim is the clinical stage's (`extractor.clinical.cms1500`).

Apart from reading the packaged layout and a page's text, the functions are pure; nothing
here logs or raises a value.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pypdf import PageObject

LAYOUT_FILE = "cms1500_layout.json"
PAGE_SIZE = (612, 792)  # points: US letter
_SIGNATURE = frozenset(
    {"pt_name", "insurance_id", "birth_mm", "birth_yy", "diagnosis1", "sv1_mm_from", "ch1",
     "t_charge", "doc_name"}
)  # fmt: skip
TOLERANCE = 2.0  # points a drawn value's origin may lie outside its box
# A flattened CMS-1500 of this template draws its values inside the boxes; its printed form
# is a picture, so it has no title or labels in the text layer to recognise it by.
MIN_SHARE_IN_BOXES = 0.75


def is_cms1500(field_names: Iterable[str]) -> bool:
    """Whether filled form fields of these names are a CMS-1500's."""
    return set(field_names) >= _SIGNATURE


@dataclass(frozen=True)
class TextFragment:
    """Text drawn on a page, at its origin in PDF user space (points from bottom left)."""

    text: str
    x: float
    y: float
    page: int


@dataclass(frozen=True)
class Box:
    """A widget of the blank form: a text box, or one check box of a button field (`state`)."""

    field: str
    state: str | None
    page: int
    rect: tuple[float, float, float, float]

    def contains(self, fragment: TextFragment, margin: float) -> bool:
        x0, y0, x1, y1 = self.rect
        return (
            fragment.page == self.page
            and x0 - margin <= fragment.x <= x1 + margin
            and y0 - margin <= fragment.y <= y1 + margin
        )

    @property
    def area(self) -> float:
        x0, y0, x1, y1 = self.rect
        return (x1 - x0) * (y1 - y0)


@dataclass(frozen=True)
class FormLayout:
    boxes: tuple[Box, ...]
    printed: Mapping[str, tuple[tuple[int, float, float], ...]]  # the blank's own text

    def is_printed(self, fragment: TextFragment) -> bool:
        """Whether the blank form itself has this text here (a label, not a value)."""
        return any(
            page == fragment.page and abs(x - fragment.x) <= 1 and abs(y - fragment.y) <= 1
            for page, x, y in self.printed.get(fragment.text, ())
        )

    def box_at(self, fragment: TextFragment) -> Box | None:
        """The box holding the fragment's origin: one it lies strictly inside before one it
        lies near, the smaller before the larger."""
        near = [box for box in self.boxes if box.contains(fragment, TOLERANCE)]
        return min(near, key=lambda box: (not box.contains(fragment, 0), box.area), default=None)


def parse_layout(data: Mapping[str, Any]) -> FormLayout:
    boxes = tuple(
        Box(item["field"], item["state"], item["page"], tuple(item["rect"]))
        for item in data["widgets"]
    )
    printed: dict[str, list[tuple[int, float, float]]] = {}
    for item in data["printed_text"]:
        printed.setdefault(item["text"], []).append((item["page"], item["x"], item["y"]))
    return FormLayout(boxes, {text: tuple(places) for text, places in printed.items()})


@cache
def cms1500_layout() -> FormLayout:
    text = resources.files("extractor.read").joinpath(LAYOUT_FILE).read_text("utf-8")
    return parse_layout(json.loads(text))


def flattened_form_values(
    fragments: Sequence[TextFragment], layout: FormLayout | None = None
) -> dict[str, str]:
    """{field name: text} of a flattened CMS-1500, as `claim_values` takes it: the text drawn
    inside each box, in reading order; a check box holding any mark gives its field that
    box's state. Text the blank form prints itself is skipped."""
    layout = layout or cms1500_layout()
    drawn: dict[str, list[TextFragment]] = {}
    states: dict[str, str] = {}
    for fragment in fragments:
        if not fragment.text or layout.is_printed(fragment):
            continue
        box = layout.box_at(fragment)
        if box is None:
            continue
        if box.state is not None:
            states[box.field] = box.state
        else:
            drawn.setdefault(box.field, []).append(fragment)
    values = {
        field: " ".join(f.text for f in sorted(parts, key=lambda f: (-round(f.y), f.x)))
        for field, parts in drawn.items()
    }
    return values | states


def is_drawn_cms1500(fragments: Sequence[TextFragment], layout: FormLayout | None = None) -> bool:
    """Whether a page's text is a flattened CMS-1500's: most of it lies inside the form's
    boxes, and the boxes that every claim fills hold text."""
    layout = layout or cms1500_layout()
    text = [f for f in fragments if f.text and not layout.is_printed(f)]
    inside = [f for f in text if layout.box_at(f) is not None]
    share = len(inside) / len(text) if text else 0.0
    return share >= MIN_SHARE_IN_BOXES and is_cms1500(flattened_form_values(inside, layout))


def page_fragments(page: PageObject, page_index: int) -> list[TextFragment]:
    """The page's text runs, each at its origin: the text matrix's translation mapped
    through the current transformation matrix."""
    fragments: list[TextFragment] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            fragments.append(TextFragment(text.strip(), x, y, page_index))

    page.extract_text(visitor_text=visit)
    return fragments
