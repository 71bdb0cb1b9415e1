"""Fit the candidate scorer on labelled examples: one L2-regularised logistic regression per
field (scikit-learn), over the candidates' named features.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from extractor.learn.features import Candidate
from extractor.learn.scorer import FieldWeights, Scorer

REGULARISATION = 1.0  # scikit-learn's C: measured out of family, 0.3-3 change little
MIN_WEIGHT = 0.01  # smaller weights are dropped: half the features, no probability that matters
MIN_EXAMPLES = 5  # fields with fewer labelled documents keep the rules' ranking


class Example(Protocol):
    """What fitting needs of a labelled field (`extractor.evaluate.training.FieldExample`)."""

    @property
    def document(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def candidates(self) -> tuple[Candidate, ...]: ...
    @property
    def right(self) -> tuple[bool, ...]: ...
    @property
    def truth(self) -> Any: ...
    @property
    def rules_value(self) -> Any: ...


def fit_scorer(examples: Iterable[Example], trained_on: dict[str, Any] | None = None) -> Scorer:
    by_field: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_field[example.path].append(example)
    fields = {}
    for path, field_examples in sorted(by_field.items()):
        if len(field_examples) < MIN_EXAMPLES:
            continue
        weights = _fit_field(field_examples)
        if weights is None:
            continue
        fields[path] = weights
    documents = len({example.document for group in by_field.values() for example in group})
    return Scorer(fields, {"documents": documents, **(trained_on or {})})


def _fit_field(examples: Sequence[Example]) -> FieldWeights | None:
    rows = [c.features for example in examples for c in example.candidates]
    labels = [right for example in examples for right in example.right]
    if len(set(labels)) < 2:  # nothing to tell apart
        return None
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): float(w)
        for name, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= MIN_WEIGHT
    }
    return FieldWeights(float(model.intercept_[0]), weights)
