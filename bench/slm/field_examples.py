"""The field writer's examples: a document's text in, its core fields out as JSON.

    python -m bench.slm.field_examples [--out F]

The model reads the document as the pipeline reads it (embedded XML removed where the XML is
the truth) and writes one JSON object of the invoice schema's core fields, each copied as the
document prints it (normalisation turns the copy into a date, an amount or a code), or null.
The target copy is the printed text whose normalised value is the true one: for dates and
amounts the first span of that kind that reads as the true value; for names and numbers the
true text as printed (case and spacing of the page). A value the page does not print in any
readable form is not taught (its tokens carry no loss), nor is a field the truth leaves out
(a receipt's truth gives seller, date and total only).

Each example holds the prompt and answer as llama.cpp tokens of the bundled model, so the
trainer needs no tokenizer; the answer comes in pieces, each marked taught or not.
"""

import argparse
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from bench.families import ROOT, LabelledSet
from bench.slm.choice_examples import SCHEMA, split_of, training_sets
from extractor.einvoice.embedded import strip_attachments
from extractor.evaluate.compare import canonical
from extractor.evaluate.harness import load_truth
from extractor.model.backend import LlamaBackend
from extractor.model.protocol import Message
from extractor.read.isolation import read_document
from extractor.schema_walk import flatten, leaves
from extractor.settings import load_settings
from extractor.values.candidates import find_spans
from extractor.values.normalize import normalize
from schemas.invoice import CORE_FIELDS
from schemas.kinds import FieldKind

EXAMPLES = ROOT / "bench" / "slm" / "field_examples.jsonl"
DOCUMENT_TOKENS = 1200  # the document's first tokens; receipts and most invoices fit
FIELDS = CORE_FIELDS
SYSTEM = (
    "You read one invoice or receipt and write its core fields as JSON. Copy each value "
    "exactly as the document prints it; write null when the document does not give it."
)
QUESTION = "{document}\n\nFields: " + ", ".join(FIELDS)
_SPACES = re.compile(r"\s+")


def field_messages(document_text: str) -> list[Message]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": QUESTION.format(document=document_text)},
    ]


def printed(text: str, kind: FieldKind, truth: Any) -> str | None:
    """The text on the page that reads as `truth`, or None where the page prints none."""
    expected = canonical(truth)
    if kind in (FieldKind.DATE, FieldKind.AMOUNT, FieldKind.CURRENCY):
        for span in find_spans(text, kind):
            try:
                if canonical(normalize(kind, span.text)) == expected:
                    return span.text
            except ValueError:
                continue
        return None
    pattern = r"\s+".join(re.escape(word) for word in _SPACES.split(str(truth).strip()))
    found = re.search(pattern, text, re.IGNORECASE)
    return found.group(0) if found else None


def answer_pieces(
    text: str, truth: dict[str, Any], backend: LlamaBackend, *, complete: bool
) -> list[tuple[list[int], bool]]:
    kinds = {leaf.template: leaf.kind for leaf in leaves(SCHEMA.model)}
    pieces: list[tuple[str, bool]] = [("{", True)]
    for number, path in enumerate(FIELDS):
        pieces.append(((", " if number else "") + json.dumps(path) + ": ", True))
        if path in truth and truth[path] is None and complete:
            pieces.append(("null", True))
            continue
        copy = printed(text, kinds[path], truth[path]) if truth.get(path) is not None else None
        pieces.append((json.dumps(copy, ensure_ascii=False), copy is not None))
    pieces.append(("}", True))
    tokenized = [(backend.tokens(piece), taught) for piece, taught in pieces]
    return [*tokenized, ([backend.end_of_turn], True)]


def shown_text(pdf: Path, labelled: LabelledSet, backend: LlamaBackend, scratch: Path) -> str:
    """The document's text as the pipeline reads it, cut to its first `DOCUMENT_TOKENS`."""
    target = pdf
    if labelled.without_xml:
        target = scratch / "without-xml.pdf"
        strip_attachments(pdf, target)
    text = read_document(target, load_settings()).full
    return backend.detokenize(backend.tokens(text)[:DOCUMENT_TOKENS])


def document_example(
    pdf: Path, labelled: LabelledSet, backend: LlamaBackend, scratch: Path
) -> dict[str, Any] | None:
    truth = load_truth(pdf, SCHEMA)
    if truth is None:
        return None
    shown = shown_text(pdf, labelled, backend, scratch)
    return {
        "split": split_of(labelled, labelled.families[pdf]),
        "set": labelled.name,
        "family": labelled.families[pdf],
        "document": str(pdf.relative_to(labelled.folder)),
        "tokens": backend.prompt_tokens(field_messages(shown)),
        "answer": answer_pieces(shown, flatten(truth.values), backend, complete=truth.complete),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=EXAMPLES)
    arguments = parser.parse_args()
    backend = LlamaBackend.from_settings(load_settings())
    with arguments.out.open("w") as out, tempfile.TemporaryDirectory() as scratch:
        for labelled in training_sets():
            count = 0
            for pdf in sorted(labelled.families):
                example = document_example(pdf, labelled, backend, Path(scratch))
                if example is not None:
                    out.write(json.dumps(example) + "\n")
                    count += 1
            print(f"{labelled.name}: {count} documents", flush=True)


if __name__ == "__main__":
    main()
