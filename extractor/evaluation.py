"""Score extracted data against known true values, field by field."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from extractor.normalize import normalize_text
from extractor.schema_walk import flatten, template_of


def load_truth(pdf: Path) -> dict[str, Any]:
    """The true values stored beside a sample: `name.pdf` -> `name.truth.json`."""
    truth: dict[str, Any] = json.loads(pdf.with_suffix(".truth.json").read_text())
    return truth


def _canonical(value: Any) -> str | None:
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
        path: _canonical(found.get(path)) == _canonical(value) for path, value in expected.items()
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
