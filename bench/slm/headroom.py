"""How much choosing among the rules' candidates could add at most: the core fields the
rules-only pipeline gets wrong although the true value was one of the options offered.

    python -m bench.slm.headroom --rules OUTCOMES.pkl [--examples choice_examples.jsonl]

OUTCOMES is what `python -m bench.out_of_family --rules-only --save OUTCOMES` kept; the
examples are `bench.slm.choice_examples`'s (they list, per ranking, which options are right).
"""

import argparse
import json
from pathlib import Path

from bench.families import all_sets
from bench.slm.choice_examples import EXAMPLES
from bench.slm.score_fields import load_scored
from schemas.invoice import CORE_FIELDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, required=True)
    parser.add_argument("--examples", type=Path, default=EXAMPLES)
    arguments = parser.parse_args()
    folders = {labelled.name: labelled.folder for labelled in all_sets()}
    offered = set()
    for line in arguments.examples.read_text().splitlines():
        example = json.loads(line)
        if example["path"] in CORE_FIELDS and 0 not in example["right"]:
            pdf = folders[example["set"]] / example["document"]
            offered.add((str(pdf), example["path"]))
    print("| set | core fields | right by the rules | wrong, truth among the options | at most |")
    print("|---|---|---|---|---|")
    for item in load_scored(arguments.rules):
        scored = [f for f in item.evaluation.fields if f.path in CORE_FIELDS]
        if not scored or item.labelled.name.endswith("embedded XML"):  # no text path there
            continue
        right = sum(f.correct for f in scored)
        choosable = sum(not f.correct and (f.document, f.path) in offered for f in scored)
        print(
            f"| {item.labelled.name} | {len(scored)} | {right / len(scored):.1%} | "
            f"{choosable} | +{choosable / len(scored):.1%} |"
        )


if __name__ == "__main__":
    main()
