"""What the extractor knows about the CMS-1500 (02/12) health insurance claim form: the
fillable template's field names and the boxes they are, how split boxes join into one value,
and where each box lies on the page, for forms whose values were flattened into page text.

Field names (the template of 1500CMS.COM, layout in `cms1500_layout.json`):
- box 2 `pt_name` ("LAST, FIRST MI" as printed); box 3 `birth_mm`, `birth_dd`, `birth_yy`
  (the year box holds 4 digits, or 2) and `sex`, two check boxes whose states are `M`, `F`;
- box 1a `insurance_id`; box 4 `ins_name`;
- box 21 `diagnosis1`..`diagnosis12` (A-L), codes usually without their dot ("E119");
- box 24, service lines n = 1..6: `svN_mm_from`, `svN_dd_from`, `svN_yy_from` and `svN_mm_end`,
  `svN_dd_end`, `svN_yy_end` (2-digit years), `placeN` (24B), `cptN` (24D) with modifiers
  `modN`, `modNa`, `modNb`, `modNc`, `diagN` (24E pointer letters), `chN` (24F charges),
  `dayN` (24G units), `localN` (24J rendering NPI);
- box 25 `tax_id`; box 28 `t_charge`; box 33 `doc_name`, box 33a `pin`.
Charges are printed across the form's dollars | cents split as "125 00", or as "125.00".

Apart from reading the packaged layout and a page's text, the functions are pure; nothing
here logs or raises a value.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pypdf import PageObject

LAYOUT_FILE = "cms1500_layout.json"
LINES = range(1, 7)
DIAGNOSIS_BOXES = tuple(f"diagnosis{n}" for n in range(1, 13))  # box 21 A-L
_UNCHECKED = ("", "Off")
_SIGNATURE = frozenset(
    {"pt_name", "insurance_id", "birth_mm", "birth_yy", "diagnosis1", "sv1_mm_from", "ch1",
     "t_charge", "doc_name"}
)  # fmt: skip
_TEXT_BOXES = {
    "patient.name": "pt_name",
    "insured.name": "ins_name",
    "insured.id": "insurance_id",
    "billing_provider.name": "doc_name",
    "billing_provider.npi": "pin",
    "billing_provider.tax_id": "tax_id",
}
_SPLIT_AMOUNT = re.compile(r"\$?\s*(\d[\d,]*)\s+(\d{2})")
_POINTER_SEPARATORS = re.compile(r"[\s,;/-]")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
TOLERANCE = 2.0  # points a drawn value's origin may lie outside its box
# A flattened CMS-1500 of this template draws its values inside the boxes; its printed form
# is a picture, so it has no title or labels in the text layer to recognise it by.
MIN_SHARE_IN_BOXES = 0.75


@dataclass(frozen=True)
class FormValue:
    raw: str  # the value as the form holds it; split boxes joined (dates as ISO)
    fields: tuple[str, ...]  # the form fields it came from


def is_cms1500(field_names: Iterable[str]) -> bool:
    return set(field_names) >= _SIGNATURE


def _text(form: Mapping[str, str], name: str) -> str:
    return " ".join(form.get(name, "").split())


def _full_year(digits: str, not_after: int | None) -> int | None:
    """A 4-digit year as is; a 2-digit one in the latest century that keeps it at or before
    `not_after` (None: the year cannot be placed)."""
    if len(digits) == 4:
        return int(digits)
    if not_after is None:
        return None
    year = 2000 + int(digits)
    return year if year <= not_after else year - 100


def _date(
    form: Mapping[str, str], names: tuple[str, str, str], not_after: int | None
) -> FormValue | None:
    """Month, day and year boxes as an ISO date; boxes that do not make one are joined as
    they are, for the date normaliser to refuse."""
    parts = [_text(form, name) for name in names]
    held = tuple(name for name, part in zip(names, parts, strict=True) if part)
    if not held:
        return None
    month, day, year = parts
    digits = all(part.isdigit() for part in parts) and len(year) in (2, 4)
    full = _full_year(year, not_after) if digits else None
    if full is None:
        return FormValue(" ".join(part for part in parts if part), held)
    return FormValue(f"{full:04d}-{int(month):02d}-{int(day):02d}", held)


def _amount(text: str) -> str:
    split = _SPLIT_AMOUNT.fullmatch(text)
    return f"{split[1].replace(',', '')}.{split[2]}" if split else text


def _pointer(text: str) -> str:
    return _POINTER_SEPARATORS.sub("", text).upper()


def _single(
    form: Mapping[str, str], name: str, clean: Callable[[str], str] | None = None
) -> FormValue | None:
    text = _text(form, name)
    if not text:
        return None
    return FormValue(clean(text) if clean else text, (name,))


def _joined(form: Mapping[str, str], names: Sequence[str]) -> FormValue | None:
    held = [(name, text) for name in names if (text := _text(form, name))]
    if not held:
        return None
    return FormValue(" ".join(text for _, text in held), tuple(name for name, _ in held))


def _service_line(form: Mapping[str, str], n: int) -> dict[str, FormValue]:
    line = {
        # service dates are recent: a 2-digit year is in this century
        "date_from": _date(form, (f"sv{n}_mm_from", f"sv{n}_dd_from", f"sv{n}_yy_from"), 2099),
        "date_to": _date(form, (f"sv{n}_mm_end", f"sv{n}_dd_end", f"sv{n}_yy_end"), 2099),
        "place_of_service": _single(form, f"place{n}"),
        "cpt": _single(form, f"cpt{n}"),
        "modifiers": _joined(form, [f"mod{n}{suffix}" for suffix in ("", "a", "b", "c")]),
        "diagnosis_pointer": _single(form, f"diag{n}", _pointer),
        "charge": _single(form, f"ch{n}", _amount),
        "units": _single(form, f"day{n}"),
        "rendering_npi": _single(form, f"local{n}"),
    }
    return {leaf: value for leaf, value in line.items() if value is not None}


def _latest_service_year(lines: Sequence[Mapping[str, FormValue]]) -> int | None:
    years = [
        int(value.raw[:4])
        for line in lines
        for leaf in ("date_from", "date_to")
        if (value := line.get(leaf)) is not None and _ISO_DATE.fullmatch(value.raw)
    ]
    return max(years, default=None)


def claim_values(form: Mapping[str, str]) -> dict[str, FormValue]:
    """{schema path: value} from a CMS-1500's fields ({field name: value as text}, button
    states without their slash). Diagnosis codes and service lines are numbered in box order,
    skipping empty ones; paths without a value are left out."""
    values: dict[str, FormValue] = {}
    for path, name in _TEXT_BOXES.items():
        if (value := _single(form, name)) is not None:
            values[path] = value
    if (total := _single(form, "t_charge", _amount)) is not None:
        values["total_charge"] = total
    if (sex := _text(form, "sex")) not in _UNCHECKED:
        values["patient.sex"] = FormValue(sex, ("sex",))
    codes = [value for name in DIAGNOSIS_BOXES if (value := _single(form, name)) is not None]
    for index, code in enumerate(codes):
        values[f"diagnosis_codes.{index}.code"] = code
    lines = [line for n in LINES if (line := _service_line(form, n))]
    for index, line in enumerate(lines):
        for leaf, value in line.items():
            values[f"service_lines.{index}.{leaf}"] = value
    birth = _date(form, ("birth_mm", "birth_dd", "birth_yy"), _latest_service_year(lines))
    if birth is not None:
        values["patient.birth_date"] = birth
    return values


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
    text = resources.files("extractor").joinpath(LAYOUT_FILE).read_text("utf-8")
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
