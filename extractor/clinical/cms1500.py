"""What the boxes of the CMS-1500 (02/12) health insurance claim form mean for a claim: which
field is which box, and how split boxes join into one value. Recognising the form, and reading
the boxes of a flattened copy by position, is the reader's (`extractor.read.cms1500_form`).

Field names (the template of 1500CMS.COM):
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

The functions are pure; nothing here logs or raises a value.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

LINES = range(1, 7)
DIAGNOSIS_BOXES = tuple(f"diagnosis{n}" for n in range(1, 13))  # box 21 A-L
_UNCHECKED = ("", "Off")
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


@dataclass(frozen=True)
class FormValue:
    raw: str  # the value as the form holds it; split boxes joined (dates as ISO)
    fields: tuple[str, ...]  # the form fields it came from


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
