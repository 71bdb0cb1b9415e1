"""Score the chooser's answers (from `bench.slm.finetune --task choice`): per set, how many
examples the rules' first option gets right and how many the adapter's choice does.

    python -m bench.slm.score_choices OUT/choice.heldout.jsonl OUT/choice.test.jsonl
"""

import argparse
import json
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", type=Path, nargs="+")
    arguments = parser.parse_args()
    print("| answers | set | examples | rules | adapter |")
    print("|---|---|---|---|---|")
    for answers in arguments.answers:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for line in answers.read_text().splitlines():
            answer = json.loads(line)
            probabilities = answer["probabilities"]
            chosen = max(range(len(probabilities)), key=probabilities.__getitem__)
            row = counts[answer["set"]]
            row[0] += 1
            row[1] += 0 in answer["right"]
            row[2] += chosen in answer["right"]
        for name, (total, rules, adapter) in counts.items():
            print(f"| {answers.name} | {name} | {total} | {rules} | {adapter} |")


if __name__ == "__main__":
    main()
