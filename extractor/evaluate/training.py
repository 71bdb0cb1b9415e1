"""Training examples for the learned candidate scorer from labelled documents: every printed
date or amount offered for each date or amount field, and the first lines and the rules'
options for each party's name, marked right where the value is the field's true value (as
the evaluation compares it).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import InputError
from extractor.evaluate.compare import comparison_folds, same_value
from extractor.evaluate.harness import load_truth
from extractor.learn.features import (
    LEARNED_KINDS,
    Candidate,
    field_candidates,
    name_candidates,
    printed_candidates,
)
from extractor.read.isolation import read_document
from extractor.read.pdf import DocumentText
from extractor.schema_walk import flatten, leaves
from extractor.settings import ExtractorSettings
from extractor.text.decide import rank_fields
from extractor.text.locate import split_lines
from extractor.text.party_columns import column_party_proposals
from extractor.values.kinds import document_kind
from schemas import SchemaSpec
from schemas.kinds import DataClass, FieldKind


@dataclass(frozen=True)
class FieldExample:
    """One field of one labelled document: its candidates, which are right, and the rules'
    own choice (to compare with)."""

    document: str
    path: str
    candidates: tuple[Candidate, ...]
    right: tuple[bool, ...]
    truth: Any
    rules_value: Any


def field_examples(
    name: str, document: DocumentText, truth: dict[str, Any], schema: SchemaSpec
) -> Iterator[FieldExample]:
    """The examples of one document; fields its truth does not give are left out."""
    text = document.full
    scalar = [leaf for leaf in leaves(schema.model) if "*" not in leaf.template]
    expected = flatten(truth)
    layout = list(column_party_proposals(document, schema.cues.party_labels))
    rankings = rank_fields(text, scalar, schema.cues, layout)
    lines = split_lines(text)
    by_kind = printed_candidates(text, lines, LEARNED_KINDS)
    kind = document_kind(schema, text)
    kind_name = kind.name if kind is not None else None
    folds = comparison_folds(schema.model)
    for leaf in scalar:
        if leaf.template not in expected:
            continue
        ranking = rankings[leaf.template]
        if leaf.kind in by_kind:
            base = by_kind[leaf.kind]
        elif leaf.kind == FieldKind.TEXT and leaf.data_class == DataClass.NAME:
            base = name_candidates(text, lines, ranking)
        else:
            continue
        candidates = field_candidates(base, ranking, kind_name)
        value = expected[leaf.template]
        fold = folds.get(leaf.template)
        yield FieldExample(
            name,
            leaf.template,
            tuple(candidates),
            tuple(same_value(c.value, value, fold) for c in candidates),
            value,
            ranking.options[0].value if ranking.options else None,
        )


def labelled_examples(
    pdfs: Iterable[Path], schema: SchemaSpec, settings: ExtractorSettings
) -> tuple[list[FieldExample], list[tuple[Path, str]]]:
    """The examples of every labelled PDF (truth as the evaluation harness reads it), each
    read in an isolated reader under the settings' limits; and the PDFs that were left out,
    with why (no truth, unreadable)."""
    examples: list[FieldExample] = []
    skipped: list[tuple[Path, str]] = []
    for pdf in sorted(pdfs):
        truth = load_truth(pdf, schema)
        if truth is None:
            skipped.append((pdf, "no truth beside it or inside it"))
            continue
        try:
            document = read_document(pdf, settings)
        except InputError as error:
            skipped.append((pdf, f"unreadable ({error.code})"))
            continue
        examples.extend(field_examples(str(pdf), document, truth.scored(), schema))
    return examples, skipped
