"""Score the field writer's answers (from `bench.slm.finetune --task fields`) against the
truth, beside the rules-only pipeline's answers for the same documents and fields.

    python -m bench.slm.score_fields ANSWERS.jsonl... --rules OUTCOMES.pkl

OUTCOMES is what `python -m bench.out_of_family --rules-only --save OUTCOMES` kept. A field is
scored where the truth gives it (a complete truth gives nulls too), as the harness scores it.
A written value counts as right when it reads (normalised by its kind) as the true value; it
is "ungrounded" when its text is nowhere in the document text the model was shown.
"""

import argparse
import json
import pickle
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.families import all_sets
from bench.out_of_family import Scored
from bench.slm.field_examples import FIELDS, SCHEMA
from extractor.errors import NormalizationError
from extractor.evaluate.compare import comparison_folds, same_value
from extractor.evaluate.harness import load_truth
from extractor.model.backend import LlamaBackend
from extractor.schema_walk import flatten, leaves
from extractor.settings import load_settings
from extractor.values.normalize import normalize

_SPACES = re.compile(r"\s+")


def written_fields(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


_KINDS = {leaf.template: leaf.kind for leaf in leaves(SCHEMA.model)}
_FOLDS = comparison_folds(SCHEMA.model)


def reads_as(path: str, written: Any, expected: Any) -> bool:
    value = None
    if isinstance(written, str) and written.strip():
        try:
            value = normalize(_KINDS[path], written)
        except (ValueError, NormalizationError):
            return False
    return same_value(value, expected, _FOLDS.get(path))


def load_scored(saved: Path) -> list[Scored]:
    """The sets scored by a `bench.out_of_family --save` run."""
    with saved.open("rb") as handle:
        scored, _ = _OutOfFamilyUnpickler(handle).load()
    return list(scored)


class _OutOfFamilyUnpickler(pickle.Unpickler):
    """`--save` pickles from `python -m bench.out_of_family`, whose `Scored` is `__main__`'s."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "__main__" and name == "Scored":
            return Scored
        return super().find_class(module, name)


def rules_outcomes(saved: Path) -> dict[tuple[str, str], bool]:
    return {
        (field.document, field.path): field.correct
        for item in load_scored(saved)
        for field in item.evaluation.fields
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", type=Path, nargs="+")
    parser.add_argument("--rules", type=Path, required=True)
    arguments = parser.parse_args()
    backend = LlamaBackend.from_settings(load_settings())
    folders = {labelled.name: labelled.folder for labelled in all_sets()}
    by_rules = rules_outcomes(arguments.rules)
    # per set: fields scored, right by rules, right by the writer, either, ungrounded values
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    per_field: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for answers in arguments.answers:
        for line in answers.read_text().splitlines():
            answer = json.loads(line)
            pdf = folders[answer["set"]] / answer["document"]
            truth = load_truth(pdf, SCHEMA)
            if truth is None:
                continue
            expected = flatten(truth.scored())
            written_text = answer.get("text") or backend.detokenize(answer.get("written", []))
            written = written_fields(written_text)
            for path in FIELDS:
                if path not in expected or (str(pdf), path) not in by_rules:
                    continue
                rules_right = by_rules[(str(pdf), path)]
                model_right = reads_as(path, written.get(path), expected[path])
                row = counts[answer["set"]]
                row[0] += 1
                row[1] += rules_right
                row[2] += model_right
                row[3] += rules_right or model_right
                field_row = per_field[(answer["set"], path)]
                field_row[0] += 1
                field_row[1] += rules_right
                field_row[2] += model_right
    for name, (total, rules, model, either, _) in sorted(counts.items()):
        print(
            f"{name}: {total} core fields; rules {rules / total:.1%}, writer {model / total:.1%}, "
            f"either {either / total:.1%}"
        )
    for (name, path), (total, rules, model) in sorted(per_field.items()):
        print(f"  {name} {path}: n={total} rules {rules / total:.0%} writer {model / total:.0%}")


if __name__ == "__main__":
    main()
