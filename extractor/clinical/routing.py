"""`schema="auto"`: choose a document's schema among the registered ones.

Cheap cues come first: each schema lists words that mark its documents ("reference range",
"Health Insurance Claim Form", "Rechnung"), and a document counts the distinct cues of each
schema it contains. A clear lead decides alone. Otherwise the model chooses among the schema
names, under a grammar of their option numbers, and its probabilities are weighed with the
cues. The choice, its method and its confidence are recorded on the result.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.model.protocol import MAX_CHOICES, Message, ModelBackend
from extractor.result import Method, Routing
from extractor.values.kinds import cue_hits
from schemas import SchemaSpec

CUE_MARGIN = 2  # distinct cues the leading schema must be ahead by to be chosen without the model
CUE_WEIGHT = 2.0  # each cue multiplies a schema's odds by e^2
ROUTING_CHARS = 3000  # the beginning of the text: titles, headers and the first table
_PROMPT_CHARS = 1200
_SYSTEM = (
    "You sort documents by type. Read the beginning of a document and answer with the "
    "number of its type only."
)
_QUESTION = "Document:\n{text}\n\nWhich type is it?\n{options}\nNumber:"


@dataclass(frozen=True)
class CueCount:
    schema: SchemaSpec
    cues: int


def count_cues(text: str, schemas: Sequence[SchemaSpec]) -> list[CueCount]:
    """For each schema, how many of its distinct cues the text contains; best first."""
    head = text[:ROUTING_CHARS]
    counts = [
        CueCount(
            schema,
            cue_hits(schema.cues.routing, head),
        )
        for schema in schemas
    ]
    return sorted(counts, key=lambda count: -count.cues)


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    weights = [math.exp(score - top) for score in scores]
    return [weight / sum(weights) for weight in weights]


def route(
    text: str, schemas: Sequence[SchemaSpec], backend: ModelBackend | None
) -> tuple[SchemaSpec, Routing]:
    """The schema for a document's text, and how it was chosen."""
    counts = count_cues(text, schemas)
    leads_by = counts[0].cues - (counts[1].cues if len(counts) > 1 else 0)
    cue_scores = [CUE_WEIGHT * count.cues for count in counts]
    if backend is None or leads_by >= CUE_MARGIN or len(counts) > MAX_CHOICES:
        confidence = _softmax(cue_scores)[0]
        return counts[0].schema, Routing(counts[0].schema.name, confidence, Method.RULES)
    choice = backend.choose(routing_messages(text, [c.schema for c in counts]), len(counts))
    combined = _softmax(
        [
            score + math.log(max(probability, 1e-9))
            for score, probability in zip(cue_scores, choice.probabilities, strict=True)
        ]
    )
    best = max(range(len(counts)), key=lambda index: combined[index])
    schema = counts[best].schema
    return schema, Routing(schema.name, combined[best], Method.MODEL)


def routing_messages(text: str, schemas: Sequence[SchemaSpec]) -> list[Message]:
    options = "\n".join(
        f"{number}. {schema.name.replace('_', ' ')}: {describe(schema)}"
        for number, schema in enumerate(schemas, start=1)
    )
    head = " ".join(text[:_PROMPT_CHARS].split())
    return [
        {"role": "system", "content": _SYSTEM},
        {"role": "user", "content": _QUESTION.format(text=head, options=options)},
    ]


def describe(schema: SchemaSpec) -> str:
    """The first line of the schema model's docstring, or its name."""
    doc = (schema.model.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else schema.name
