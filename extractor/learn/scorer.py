"""The learned candidate scorer: per field, a logistic model over the features of every printed
date or amount, or of each line that may be a party's name (`extractor.learn.features`),
fitted on labelled documents (`extractor.learn.fit`, `extractor train`). It re-ranks the
rules' options for the fields it has weights for; everything else stays the rules' ranking.

The weights are a small JSON table (feature name -> weight per field), shipped with the
package and refit on a user's own labelled folder.
"""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from extractor.learn.features import (
    LEARNED_KINDS,
    Candidate,
    field_candidates,
    name_candidates,
    printed_candidates,
)
from extractor.text.decide import Option, Ranking
from extractor.text.locate import Proposal, split_lines
from schemas.kinds import FieldKind

BUNDLED = Path(__file__).with_name("scorer.json")
LEARNED_CUE = "learned"
OVERRIDE_CUE = "learned_over_rules"  # first by the scorer, not by the rules: a disagreement
UNLIKELY_CUE = "learned_unlikely"  # below FILL_LEVEL: the scorer deems it more likely wrong
DOUBTED_CUES = frozenset({OVERRIDE_CUE, UNLIKELY_CUE})  # the text path halves their confidence
FILL_LEVEL = 0.5  # a field the rules found nothing for takes a value at least this likely
DISAGREEMENT_FACTOR = 0.5  # confidence kept by a value the rules ranked below another
FORMAT = 1
DIGITS = 3  # weights kept to a thousandth: smaller ones change no probability that matters


@dataclass(frozen=True)
class FieldWeights:
    """One field's model: its bias and a weight per feature."""

    bias: float
    weights: Mapping[str, float]

    def probability(self, features: Mapping[str, float]) -> float:
        score = self.bias + sum(
            self.weights.get(name, 0.0) * value for name, value in features.items()
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@dataclass(frozen=True)
class Scorer:
    fields: Mapping[str, FieldWeights] = field(default_factory=dict)
    trained_on: Mapping[str, Any] = field(default_factory=dict)  # what it was fitted on

    @staticmethod
    @cache
    def bundled() -> "Scorer":
        return Scorer.load(BUNDLED)

    @classmethod
    def load(cls, path: Path) -> "Scorer":
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"{path} is not a scorer of format {FORMAT}")
        return cls(
            {
                name: FieldWeights(
                    float(model["bias"]),
                    {str(k): float(v) for k, v in model["weights"].items()},
                )
                for name, model in data["fields"].items()
            },
            data.get("trained_on", {}),
        )

    @classmethod
    def configured(cls, path: Path | None) -> "Scorer":
        """The weights at `path` (written by `extractor train`), or the shipped ones."""
        return cls.load(path) if path is not None else cls.bundled()

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "trained_on": dict(self.trained_on),
            "fields": {
                name: {
                    "bias": round(model.bias, DIGITS),
                    "weights": {
                        k: round(v, DIGITS)
                        for k, v in sorted(model.weights.items())
                        if round(v, DIGITS)
                    },
                }
                for name, model in sorted(self.fields.items())
            },
        }
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")

    def rerank(
        self,
        text: str,
        rankings: Mapping[str, Ranking],
        kinds: Mapping[str, FieldKind],
        document_kind: str | None = None,
    ) -> dict[str, Ranking]:
        """The rankings with every field this scorer has weights for ranked by its
        probabilities, over every printed value of the field's kind."""
        learned = [
            path
            for path, kind in kinds.items()
            if (kind in LEARNED_KINDS or kind == FieldKind.TEXT)
            and path in self.fields
            and path in rankings
        ]
        if not learned:
            return dict(rankings)
        lines = split_lines(text)
        by_kind = printed_candidates(text, lines, {kinds[path] for path in learned})
        reranked = dict(rankings)
        for path in learned:
            base = (
                name_candidates(text, lines, rankings[path])
                if kinds[path] == FieldKind.TEXT
                else by_kind[kinds[path]]
            )
            candidates = field_candidates(base, rankings[path], document_kind)
            reranked[path] = self.ranked(rankings[path], candidates)
        return reranked

    def ranked(self, ranking: Ranking, candidates: Sequence[Candidate]) -> Ranking:
        """Options by probability. A rules' value that is no printed value (a total read as
        the sum of printed parts) keeps the rules' ranking: there is nothing to compare.
        Where the scorer puts another value first than the rules did, that option's cue says
        so (OVERRIDE_CUE), and so does an option that neither put first and the scorer deems
        more likely wrong than right (UNLIKELY_CUE: what is left once the other party took the
        first option, say); the text path halves their confidence. A field
        the rules left empty is filled only by a value at least FILL_LEVEL likely: a guess
        would send the document to review, and an amount taken for a total no longer counts
        as an invoice line's."""
        top = ranking.options[0].value if ranking.options else None
        if top is not None and all(candidate.value != top for candidate in candidates):
            return ranking
        model = self.fields[ranking.path]
        best: dict[Any, tuple[float, Candidate]] = {}
        for candidate in candidates:
            probability = model.probability(candidate.features)
            if candidate.value not in best or probability > best[candidate.value][0]:
                best[candidate.value] = (probability, candidate)
        ordered = sorted(best.values(), key=lambda item: (-item[0], item[1].span.start))
        if top is None and (not ordered or ordered[0][0] < FILL_LEVEL):
            return ranking  # a guess would only fill the field to send it to review
        existing = {option.value: option for option in ranking.options}
        options: list[Option] = []
        for probability, candidate in ordered:
            span = candidate.span
            overrides = not options and top is not None and candidate.value != top
            cue = (
                OVERRIDE_CUE
                if overrides
                else UNLIKELY_CUE
                if probability < FILL_LEVEL and candidate.value != top
                else LEARNED_CUE
            )
            learned = Proposal(ranking.path, span.text, span.start, span.end, probability, cue)
            earlier = existing[candidate.value].proposals if candidate.value in existing else ()
            options.append(Option(candidate.value, (learned, *earlier), probability))
        return Ranking(ranking.path, ranking.kind, tuple(options))
