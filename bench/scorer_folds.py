"""The candidate scorer, fitted out of family and for shipping.

    python -m bench.scorer_folds [--write]

Every labelled development set's text-path examples (`extractor.evaluate.training`) are
grouped by family (`bench.families`); the families are dealt into FOLDS folds by a stable
hash, and each fold's documents are scored by weights fitted on the other folds only: no
document is ever scored by weights that saw its family. `--write` fits the shipped weights
(`extractor/learn/scorer.json`) on every family; without it, the out-of-family accuracy of
the chosen value per set and field is printed beside the rules' own choice, with how often
the truth is among the candidates at all and how often the scorer overrode the rules' first
value (and was right).
"""

import argparse
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from bench.families import all_sets
from extractor.evaluate.compare import comparison_folds, same_value
from extractor.evaluate.training import FieldExample, labelled_examples
from extractor.learn.fit import fit_scorer
from extractor.learn.scorer import BUNDLED, Scorer
from extractor.schema_walk import leaves
from extractor.settings import ExtractorSettings, load_settings
from extractor.text.decide import Option, Ranking
from schemas import get_schema

FOLDS = 5
SCHEMA = get_schema("invoice")
KINDS = {leaf.template: leaf.kind for leaf in leaves(SCHEMA.model)}
FOLDINGS = comparison_folds(SCHEMA.model)


def family_key(folder: Path, family: str) -> str:
    """A family across sets: the XML-removed and embedded sets of one folder share it."""
    return f"{folder.name} | {family}"


def fold_of(family: str) -> int:
    return zlib.crc32(family.encode()) % FOLDS


def examples_by_set(settings: ExtractorSettings) -> dict[str, list[tuple[str, FieldExample]]]:
    """Per text-path set, (family, example) pairs."""
    found = {}
    for labelled in all_sets():
        if labelled.name.endswith("embedded XML"):  # the same PDFs as their XML-removed set
            continue
        print(f"{labelled.name}: reading {len(labelled.families)} documents", file=sys.stderr)
        examples, _ = labelled_examples(labelled.families, SCHEMA, settings)
        family = {str(pdf): family_key(labelled.folder, f) for pdf, f in labelled.families.items()}
        found[labelled.name] = [(family[example.document], example) for example in examples]
    return found


def fold_scorers(by_set: dict[str, list[tuple[str, FieldExample]]]) -> dict[int, Scorer]:
    every = [pair for pairs in by_set.values() for pair in pairs]
    return {
        fold: fit_scorer(
            (example for family, example in every if fold_of(family) != fold),
            {"fold": fold, "folds": FOLDS},
        )
        for fold in range(FOLDS)
    }


def chosen_value(scorer: Scorer, example: FieldExample) -> object:
    """The value the scorer would put first, given the rules' own first value."""
    if example.path not in scorer.fields:
        return example.rules_value
    options = () if example.rules_value is None else (Option(example.rules_value, (), 1.0),)
    ranking = scorer.ranked(Ranking(example.path, KINDS[example.path], options), example.candidates)
    return ranking.options[0].value if ranking.options else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="refit the shipped weights")
    arguments = parser.parse_args()
    by_set = examples_by_set(load_settings(use_model=False))
    if arguments.write:
        every = [example for pairs in by_set.values() for _, example in pairs]
        fit_scorer(every, {"sets": sorted(by_set)}).save(BUNDLED)
        print(f"wrote {BUNDLED}")
        return
    scorers = fold_scorers(by_set)
    print(
        "| set | field | scored | truth among candidates | rules | learned, out of family "
        "| overrides of the rules (right) |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, pairs in by_set.items():
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for family, example in pairs:
            count = counts[example.path]
            count["scored"] += 1
            count["reachable"] += any(example.right)
            folding = FOLDINGS.get(example.path)
            count["rules"] += same_value(example.rules_value, example.truth, folding)
            learned = chosen_value(scorers[fold_of(family)], example)
            right = same_value(learned, example.truth, folding)
            count["learned"] += right
            if example.rules_value is not None and learned != example.rules_value:
                count["overrides"] += 1
                count["overrides right"] += right
        for path, c in sorted(counts.items()):
            print(
                f"| {name} | {path} | {c['scored']} | {c['reachable']} | {c['rules']} | "
                f"{c['learned']} | {c['overrides']} ({c['overrides right']}) |"
            )


if __name__ == "__main__":
    main()
