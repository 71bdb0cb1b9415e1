"""Score extracted data against known true values, field by field."""

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cleanco import basename
from pydantic import BaseModel

from extractor.schema_walk import flatten, leaves, template_of
from extractor.values.countries import country_code
from extractor.values.normalize import normalize_text
from schemas.kinds import DataClass, FieldKind


def canonical(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = normalize_text(str(value))
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


Folding = Callable[[str], str]


def _without_legal_form(name: str) -> str:
    return str(basename(name))


def _address_key(address: str) -> str:
    """The parts of an address, its country (a name or code, alone or before the postcode:
    "DE 80333 München") moved to the end as its ISO code."""
    parts, country = [], None
    for part in (part.strip() for part in address.split(",")):
        prefixed = _COUNTRY_BEFORE_POSTCODE.match(part)
        if prefixed and country_code(prefixed["country"]) is not None:
            country, part = country_code(prefixed["country"]), part[prefixed.end() :]
        elif country_code(part) is not None:
            country = country_code(part)
            continue
        if part:
            parts.append(part)
    return ", ".join([*parts, *([country] if country else [])])


_COUNTRY_BEFORE_POSTCODE = re.compile(r"(?P<country>[A-Z]{2})[- ](?=\d{4,5}\s+\D)")


def comparison_folds(model: type[BaseModel]) -> dict[str, Folding]:
    """How some text fields are compared. Names lose a trailing legal form: a letterhead
    prints "Au bon moulin SARL" where the e-invoice names the seller "Au bon moulin".
    Addresses compare their country by its code: an e-invoice writes "80333 München, DE"
    where the page prints "DE 80333 München" or "..., Deutschland"."""
    folds: dict[str, Folding] = {}
    for leaf in leaves(model):
        if leaf.kind is not FieldKind.TEXT:
            continue
        if leaf.data_class is DataClass.NAME:
            folds[leaf.template] = _without_legal_form
        elif leaf.data_class is DataClass.CONTACT and leaf.template.endswith("address"):
            folds[leaf.template] = _address_key
    return folds


def compare(
    extracted: dict[str, Any], truth: dict[str, Any], *, folds: Mapping[str, Folding] = {}
) -> dict[str, bool]:
    """Exact match per leaf after normalisation (and, for templates in `folds`, after that
    folding). A missing list item counts as wrong, and so does every value of an item beyond
    the end of a list the truth gives (an invented line)."""
    found, expected = flatten(_jsonable(extracted)), flatten(truth)
    matches = {
        path: same_value(found.get(path), value, folds.get(template_of(path)))
        for path, value in expected.items()
    }
    invented = {
        path: False
        for path, value in found.items()
        if path not in expected and value is not None and _beyond_truth(path, truth)
    }
    return matches | invented


def same_value(found: Any, expected: Any, fold: Folding | None) -> bool:
    found_text, expected_text = canonical(found), canonical(expected)
    if fold is not None and found_text is not None and expected_text is not None:
        return fold(found_text) == fold(expected_text)
    return found_text == expected_text


def _beyond_truth(path: str, truth: Any) -> bool:
    """Whether `path` lies in a list item past the end of that list in the truth."""
    node = truth
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit():
            if int(part) >= len(node):
                return True
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return False


def _jsonable(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _jsonable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_jsonable(value) for value in data]
    return data


@dataclass
class AccuracyTable:
    """Correct / total per field template (`lines.*.net_amount` pools all lines)."""

    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, matches: dict[str, bool]) -> None:
        for path, ok in matches.items():
            template = template_of(path)
            self.total[template] += 1
            self.correct[template] += int(ok)

    def rate(self, template: str) -> float:
        return self.correct[template] / self.total[template] if self.total[template] else 0.0

    @property
    def overall(self) -> float:
        total = sum(self.total.values())
        return sum(self.correct.values()) / total if total else 0.0
