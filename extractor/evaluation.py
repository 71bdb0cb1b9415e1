"""Score extracted data against known true values, field by field."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from extractor.normalize import normalize_text
from extractor.schema_walk import flatten, template_of


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


def compare(extracted: dict[str, Any], truth: dict[str, Any]) -> dict[str, bool]:
    """Exact match per leaf after normalisation; a missing line counts as wrong."""
    found, expected = flatten(_jsonable(extracted)), flatten(truth)
    return {
        path: canonical(found.get(path)) == canonical(value) for path, value in expected.items()
    }


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
