"""Confidence that means what it says: evidence scores mapped through a calibration table.

Each decision has an evidence score in [0, 1] (the rules' support and margin, or the model's
probability for the option it chose). `bench/calibrate.py` measures, on labelled documents,
how often decisions with a given score were right, per method, and writes the table this
module reads. A field's confidence is that measured accuracy.
"""

import json
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from extractor.model.choose import Decision
from extractor.schema_walk import template_of

TABLE_FILE = "calibration.json"
NULL_KEY = "null"
Table = dict[str, dict[str, list[float]]]


def evidence(decision: Decision) -> float:
    """How strongly the evidence points at the decision, before calibration."""
    if decision.option is None:
        return 1.0
    runner_up = max(0.0, decision.support - decision.margin)
    rules = min(1.0, decision.support) * (1.0 - runner_up)
    if decision.model_probability is None:
        return rules
    return decision.model_probability * (0.5 + 0.5 * rules)


def table_key(method: str | None, path: str) -> str:
    """The calibration table for a field: by method (nulls apart) and field template, since
    fields differ in how far their evidence can be trusted ("rules:total_net")."""
    return f"{method or NULL_KEY}:{template_of(path)}"


def _method_key(key: str) -> str:
    return key.partition(":")[0]


@dataclass(frozen=True)
class Calibration:
    """Per key: ascending score bounds and the accuracy measured up to each bound."""

    bounds: Mapping[str, tuple[float, ...]]
    accuracy: Mapping[str, tuple[float, ...]]

    @classmethod
    def bundled(cls) -> "Calibration":
        text = resources.files("extractor.model").joinpath(TABLE_FILE).read_text()
        return cls.from_table(json.loads(text))

    @classmethod
    def from_table(cls, table: Table) -> "Calibration":
        return cls(
            {key: tuple(value["bounds"]) for key, value in table.items()},
            {key: tuple(value["accuracy"]) for key, value in table.items()},
        )

    def confidence(self, key: str, score: float) -> float:
        """The measured accuracy for this field and score; for a field the table has not
        seen, that of its method; with no table, the score itself."""
        if key not in self.bounds:
            key = _method_key(key)
        bounds = self.bounds.get(key)
        if not bounds:
            return score
        index = min(bisect_left(bounds, score), len(bounds) - 1)
        return self.accuracy[key][index]


def fit(samples: Iterable[tuple[str, float, bool]], bins: int = 6) -> Table:
    """A table from (key, score, correct) samples: equal-count bins per key, accuracies made
    monotonic in the score (pool-adjacent-violators), smoothed towards 1/2 by one sample."""
    by_key: dict[str, list[tuple[float, bool]]] = {}
    for key, score, correct in samples:
        for pooled in (key, _method_key(key)):  # per field, and per method as the fallback
            by_key.setdefault(pooled, []).append((score, correct))
    table: Table = {}
    for key, values in by_key.items():
        values.sort()
        size = max(1, len(values) // bins)
        groups: list[list[tuple[float, bool]]] = [[]]
        for value in values:
            full = len(groups[-1]) >= size and groups[-1][-1][0] != value[0]
            if full:  # equal scores always share a bin
                groups.append([])
            groups[-1].append(value)
        bounds = [group[-1][0] for group in groups]
        bounds[-1] = 1.0
        rates = _monotonic([(sum(c for _, c in g) + 0.5) / (len(g) + 1) for g in groups], groups)
        table[key] = {"bounds": bounds, "accuracy": [round(rate, 4) for rate in rates]}
    return table


def _monotonic(rates: Sequence[float], groups: Sequence[Sequence[object]]) -> list[float]:
    blocks: list[tuple[float, int, int]] = []  # (rate, weight, members)
    for rate, group in zip(rates, groups, strict=True):
        blocks.append((rate, len(group), 1))
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (rate_a, weight_a, count_a), (rate_b, weight_b, count_b) = blocks[-2], blocks[-1]
            weight = weight_a + weight_b
            merged = ((rate_a * weight_a + rate_b * weight_b) / weight, weight, count_a + count_b)
            blocks[-2:] = [merged]
    return [rate for rate, _, count in blocks for _ in range(count)]
