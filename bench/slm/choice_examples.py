"""The chooser's examples: every close call the text path makes, with the right answer.

    python -m bench.slm.choice_examples [--out F]

Each labelled document of the sets below is read as the pipeline reads it (embedded XML
removed where the XML is the truth), its scalar fields are ranked by the layout rules, and
every ranking with two or more options becomes one example: the exact prompt the model is
shown (as llama.cpp tokens of the bundled model), the option tokens, and which options hold
the true value. Rankings where no option holds it teach nothing and are left out.

`split` says what an example is for (`split_of`): the adapter is fitted on "train" only,
"test" only measures it.
"""

import argparse
import hashlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.families import ROOT, LabelledSet, all_sets
from extractor.einvoice.embedded import strip_attachments
from extractor.evaluate.compare import comparison_folds, same_value
from extractor.evaluate.harness import load_truth
from extractor.model.backend import LlamaBackend
from extractor.model.choose import MAX_OPTIONS, Decision, by_rules, choice_messages
from extractor.model.protocol import MAX_CHOICES
from extractor.model.textpath import decide_scalars
from extractor.read.isolation import read_document
from extractor.schema_walk import flatten, leaves
from extractor.settings import load_settings
from extractor.text.decide import Ranking
from extractor.text.locate import split_lines
from extractor.text.party_columns import column_party_proposals
from schemas import get_schema

EXAMPLES = ROOT / "bench" / "slm" / "choice_examples.jsonl"
SCHEMA = get_schema("invoice")


HELD_OUT = ("invoices-more", "third-party")


def training_sets() -> list[LabelledSet]:
    """Every labelled set read on the text path (the embedded-XML runs decide nothing here)."""
    return [s for s in all_sets() if not s.name.endswith("embedded XML")]


def split_of(labelled: LabelledSet, family: str) -> str:
    """ "train" for the development sets, "test" for the sets nobody had tuned on when the
    adapters of `docs/benchmarks.md` were trained (2026-12-04), except the receipts:
    `sroie-train/` is their development set, so half of its shops (by a stable hash of the
    shop) develop and the other half test."""
    if labelled.name == "sroie-train":
        return "train" if hashlib.sha256(family.encode()).digest()[0] % 2 == 0 else "test"
    return "test" if labelled.name.startswith(HELD_OUT) else "train"


def document_examples(
    pdf: Path, labelled: LabelledSet, backend: LlamaBackend, scratch: Path
) -> Iterator[dict[str, Any]]:
    truth = load_truth(pdf, SCHEMA)
    if truth is None:
        return
    settings = load_settings()
    target = pdf
    if labelled.without_xml:
        target = scratch / "without-xml.pdf"
        strip_attachments(pdf, target)
    document = read_document(target, settings)
    schema_leaves = leaves(SCHEMA.model)
    descriptions = {leaf.template: leaf.description for leaf in schema_leaves}
    lines = split_lines(document.full)
    expected = flatten(truth.values)
    folds = comparison_folds(SCHEMA.model)
    rankings: list[Ranking] = []

    def record(ranking: Ranking) -> Decision:
        rankings.append(ranking)
        return by_rules(ranking)

    layout = list(column_party_proposals(document, SCHEMA.cues.party_labels))
    decide_scalars(document.full, SCHEMA, schema_leaves, record, layout=layout)
    for ranking in rankings:
        options = ranking.options[: min(MAX_OPTIONS, MAX_CHOICES)]
        if len(options) < 2 or ranking.path not in expected:
            continue
        right = [
            number
            for number, option in enumerate(options)
            if same_value(option.value, expected[ranking.path], folds.get(ranking.path))
        ]
        if not right:
            continue
        messages = choice_messages(
            ranking.path,
            options,
            schema=SCHEMA.name,
            description=descriptions[ranking.path],
            lines=lines,
        )
        yield {
            "split": split_of(labelled, labelled.families[pdf]),
            "set": labelled.name,
            "family": labelled.families[pdf],
            "document": str(pdf.relative_to(labelled.folder)),
            "path": ranking.path,
            "margin": round(ranking.margin, 4),
            "right": right,
            "tokens": backend.prompt_tokens(messages),
            "option_tokens": backend.option_tokens[: len(options)],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=EXAMPLES)
    arguments = parser.parse_args()
    settings = load_settings()
    backend = LlamaBackend.from_settings(settings)
    counts: dict[str, int] = {}
    with arguments.out.open("w") as out, tempfile.TemporaryDirectory() as scratch:
        for labelled in training_sets():
            for pdf in sorted(labelled.families):
                for example in document_examples(pdf, labelled, backend, Path(scratch)):
                    out.write(json.dumps(example) + "\n")
                    counts[labelled.name] = counts.get(labelled.name, 0) + 1
            print(f"{labelled.name}: {counts.get(labelled.name, 0)} examples", flush=True)


if __name__ == "__main__":
    main()
