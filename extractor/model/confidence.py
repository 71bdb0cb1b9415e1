"""Confidence that means what it says: evidence scores mapped through a calibration table.

Each decision has an evidence score in [0, 1] (the rules' support and margin, or the model's
probability for the option it chose). `python -m bench.out_of_family --write-table`
measures, on every labelled development family, how often decisions with a given score were
right, per method, field and kind of document, and writes the table this module reads. A
field's confidence is that measured accuracy.
"""

import json
import math
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TypeVar

from extractor.model.choose import Decision
from extractor.result import FieldRecord, Method
from extractor.schema_walk import template_of

TABLE_FILE = "calibration.json"
NULL_KEY = "null"
KIND_MARK = "@"
CONFIRMED_MARK = "+"
Table = dict[str, dict[str, list[float]]]
Field = TypeVar("Field")  # what names a document's field: its path, or its place in a list


def evidence(decision: Decision) -> float:
    """How strongly the evidence points at the decision, before calibration."""
    if decision.option is None:
        return 1.0
    runner_up = max(0.0, decision.support - decision.margin)
    rules = min(1.0, decision.support) * (1.0 - runner_up)
    if decision.model_probability is None:
        return rules
    return decision.model_probability * (0.5 + 0.5 * rules)


def table_key(
    method: str | None, path: str, kind: str | None = None, *, confirmed: bool = False
) -> str:
    """The calibration table for a field: by method (nulls apart) and field template, since
    fields differ in how far their evidence can be trusted ("rules:total_net"); by the kind
    of document where it is known ("rules:total_gross@receipt"): the same evidence is worth
    less on a till slip than on an invoice; and apart for values that evidence independent
    of the layout confirms ("rules:buyer.name@invoice+": a name with a legal form)."""
    key = f"{method or NULL_KEY}:{template_of(path)}"
    if kind:
        key = f"{key}{KIND_MARK}{kind}{CONFIRMED_MARK if confirmed else ''}"
    return key


def _method_key(key: str) -> str:
    return key.partition(":")[0]


def _fallbacks(key: str) -> tuple[str, ...]:
    """The key, then the same unconfirmed, then without its kind, then its method alone."""
    unconfirmed = key.removesuffix(CONFIRMED_MARK)
    base = key.partition(KIND_MARK)[0]
    return tuple(dict.fromkeys((key, unconfirmed, base, _method_key(key))))


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
        seen, that of the field on any kind of document, or else of its method; with no
        table, the score itself."""
        key = next((k for k in _fallbacks(key) if k in self.bounds), key)
        bounds = self.bounds.get(key)
        if not bounds:
            return score
        index = min(bisect_left(bounds, score), len(bounds) - 1)
        return self.accuracy[key][index]


def for_kind(
    records: Sequence[FieldRecord],
    calibration: Calibration,
    kind: str | None,
    confirmed: Collection[str] = (),
) -> list[FieldRecord]:
    """The records with their confidence measured on documents of their kind, apart for the
    `confirmed` fields: the share of the table's value is replaced, the factors applied after
    it (OCR words, failed checks) are kept."""
    if kind is None:
        return list(records)
    adjusted = []
    for record in records:
        score = record.evidence
        if score is None or record.method not in (Method.RULES, Method.MODEL):
            adjusted.append(record)
            continue
        method = record.method.value if record.value is not None else None
        sure = record.path in confirmed
        base = calibration.confidence(table_key(method, record.path), score)
        kinded = calibration.confidence(table_key(method, record.path, kind, confirmed=sure), score)
        share = record.confidence / base if base else 1.0
        adjusted.append(replace(record, confidence=min(1.0, kinded * share), confirmed=sure))
    return adjusted


BINS = 15  # per key at most; out of family, 6 bins pooled right and wrong values
MIN_BIN = 40  # samples per bin at least (standard error near 0.05; one or two: 0.25 or 0.75)
PRIOR = 4  # samples' weight of the parent key's accuracy in each bin (a key's own data wins)


def fit(
    samples: Iterable[tuple[str, float, bool]],
    bins: int = BINS,
    min_bin: int = MIN_BIN,
    prior: float = PRIOR,
) -> Table:
    """A table from (key, score, correct) samples: equal-count bins per key (as many as
    `min_bin` samples each allow, up to `bins`), each bin's accuracy shrunk towards that of
    the key it falls back to by `prior` samples (a field on a kind of document towards the
    field, a field towards its method, a method towards 1/2), made monotonic in the score
    (pool-adjacent-violators)."""
    by_key: dict[str, list[tuple[float, bool]]] = {}
    for key, score, correct in samples:
        for pooled in _fallbacks(key):  # per field and kind, per field, per method
            by_key.setdefault(pooled, []).append((score, correct))
    table: Table = {}
    for key, values in by_key.items():
        values.sort()
        parent = next(iter(_fallbacks(key)[1:]), None)
        pooled_rate = 0.5 if parent is None else _rate(by_key[parent])
        count = min(bins, max(1, len(values) // min_bin))  # bins this key's samples allow
        size = max(1, len(values) // count)
        groups: list[list[tuple[float, bool]]] = [[]]
        for value in values:
            full = len(groups[-1]) >= size and groups[-1][-1][0] != value[0]
            if full:  # equal scores always share a bin
                groups.append([])
            groups[-1].append(value)
        bounds = [group[-1][0] for group in groups]
        bounds[-1] = 1.0
        shrunk = [(sum(c for _, c in g) + prior * pooled_rate) / (len(g) + prior) for g in groups]
        rates = _monotonic(shrunk, groups)
        table[key] = {"bounds": bounds, "accuracy": [round(rate, 4) for rate in rates]}
    return table


def _rate(values: Sequence[tuple[float, bool]]) -> float:
    return sum(correct for _, correct in values) / len(values)


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


def jointly_unsure(confidences: Mapping[Field, float], threshold: float) -> list[Field]:
    """The fewest, least confident, of the fields that decide a document, whose review
    leaves the others jointly at or above the threshold. A document whose fields are all
    right has, at worst, the product of their confidences as its chance (errors on one
    document go together more often than not, which only raises it): three fields at 0.6
    each clear a threshold of 0.5, and all three together are right about one time in five."""
    ordered = sorted(confidences.items(), key=lambda item: item[1])
    unsure = []
    while ordered and math.prod(confidence for _, confidence in ordered) < threshold:
        unsure.append(ordered.pop(0)[0])
    return unsure
