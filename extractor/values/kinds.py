"""Which kind of document a result is (an invoice, a receipt, a lab report), whether it is
of any kind its schema covers, and which of the fields a user cannot act without it lacks.

The kinds and their required fields are declared by each schema (`schemas.DocumentKind`).
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from extractor.schema_walk import flatten
from schemas import DocumentKind, SchemaSpec

_INDEX = re.compile(r"\.\d+(?=\.|$)")


def _given(value: Any) -> bool:
    return value is not None and value != ""


def cue_hits(cues: Sequence[str], text: str) -> int:
    """How many of the cues (regular expressions, case-insensitive) the text matches, a
    title printed letter-spaced ("I N V O I C E") read as its word."""
    joined = _LETTER_SPACED.sub(lambda match: match.group().replace(" ", ""), text)
    return sum(1 for cue in cues if re.search(cue, joined, re.IGNORECASE))


_LETTER_SPACED = re.compile(r"\b(?:\w ){3,}\w\b")


def document_kind(schema: SchemaSpec, text: str) -> DocumentKind | None:
    """The first of the schema's kinds whose cues the text matches enough times, or the
    kind without cues; None when the schema declares no kinds."""
    return kind_of(schema.cues.kinds, text)


def kind_of(kinds: Sequence[DocumentKind], text: str) -> DocumentKind | None:
    """`document_kind` among these kinds."""
    for kind in kinds:
        if not kind.cues or cue_hits(kind.cues, text) >= kind.min_cues:
            return kind
    return None


def deciding_fields(schema: SchemaSpec, kind: DocumentKind | None) -> frozenset[str]:
    """The field templates whose doubt keeps a result of this kind from `succeeded`."""
    return frozenset(kind.deciding if kind is not None else schema.cues.core_fields)


def missing_required(kind: DocumentKind, data: Mapping[str, Any]) -> tuple[str, ...]:
    """The kind's required fields without a value (`results.*.test_name`: no item has one)."""
    present = {
        _INDEX.sub(".*", path) for path, value in flatten(dict(data)).items() if _given(value)
    }
    return tuple(path for path in kind.required if path not in present)


def not_of_kind(schema: SchemaSpec, text: str, data: Mapping[str, Any]) -> str | None:
    """Why the document is of no kind the schema covers, or None when it may be one.

    It is of none when its text carries none of the schema's cues (its routing words, or
    enough of a kind's own), or when not one of its kind's required fields was found: then
    the values are whatever text was there, not an answer."""
    claimed = cue_hits(schema.cues.routing, text) > 0 or any(
        kind.cues and cue_hits(kind.cues, text) >= kind.min_cues for kind in schema.cues.kinds
    )
    if schema.cues.routing and not claimed:
        return "none of its cue words in the text"
    if not any(_given(value) for value in flatten(dict(data)).values()):
        return "no value found"
    kind = document_kind(schema, text)
    if kind is not None and len(missing_required(kind, data)) == len(kind.required):
        return f"none of the fields a {kind.name} requires found"
    return None
