"""Score extracted data against known true values, field by field."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cleanco import basename
from pydantic import BaseModel

from extractor.normalize import normalize_text
from extractor.schema_walk import flatten, leaves, template_of
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


def name_templates(model: type[BaseModel]) -> frozenset[str]:
    """The text fields that hold a name: compared without a legal form."""
    return frozenset(
        leaf.template
        for leaf in leaves(model)
        if leaf.data_class is DataClass.NAME and leaf.kind is FieldKind.TEXT
    )


def compare(
    extracted: dict[str, Any], truth: dict[str, Any], *, names: frozenset[str] = frozenset()
) -> dict[str, bool]:
    """Exact match per leaf after normalisation. A missing list item counts as wrong, and so
    does every value of an item beyond the end of a list the truth gives (an invented line).
    Names (templates in `names`) are compared without a trailing legal form: a letterhead
    prints "Au bon moulin SARL" where the e-invoice names the seller "Au bon moulin"."""
    found, expected = flatten(_jsonable(extracted)), flatten(truth)
    matches = {
        path: _same(found.get(path), value, as_name=template_of(path) in names)
        for path, value in expected.items()
    }
    invented = {
        path: False
        for path, value in found.items()
        if path not in expected and value is not None and _beyond_truth(path, truth)
    }
    return matches | invented


def _same(found: Any, expected: Any, *, as_name: bool) -> bool:
    found_text, expected_text = canonical(found), canonical(expected)
    if as_name and found_text is not None and expected_text is not None:
        return bool(basename(found_text) == basename(expected_text))
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
