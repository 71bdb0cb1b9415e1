"""The packaged models side by side on the text-path sets, through the evaluation harness.

Each model runs in a fresh process (`bench/throughput_child.py evaluate`, with
`EXTRACTOR_MODEL` set), on the shared corpus without its embedded XML, the generated varied
set and the shipped samples: core-field accuracy per unique invoice, documents with every
core field right, hallucinations, the share of confident fields that are right, steady
seconds per document and the process's peak memory. Gemma 3 270M needs the `gemma` extra.

    .venv/bin/python -m bench.model_comparison [--models smollm2-135m gemma3-270m] [--no-write]

The confidence calibration (extractor/calibration.json) is fitted for the default model; for
another model the confident-and-right figure shows how far its probabilities can be trusted
without refitting (`python -m bench.accuracy_bench` refits for the configured model).
"""

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import machine, percent, rate, write_block
from schemas import get_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "bench" / "samples"
CHILD = ROOT / "bench" / "throughput_child.py"


def evaluate(model: str, corpus: Path) -> dict[str, Any]:
    sets = [
        ["corpus, XML removed", str(corpus), True],
        ["varied (generated)", str(SAMPLES / "varied"), False],
        ["samples (shipped)", str(SAMPLES / "invoices"), False],
    ]
    print(f"evaluating {model}...", file=sys.stderr)
    done = subprocess.run(
        [sys.executable, str(CHILD), "evaluate", json.dumps(sets)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "EXTRACTOR_MODEL": model},
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def rows(results: dict[str, dict[str, Any]]) -> list[str]:
    core = get_schema("invoice").cues.core_fields
    lines = []
    for model, result in results.items():
        for name, figures in result["sets"].items():
            summary = figures["summary"]
            fields = summary["fields"]
            per_field = " / ".join(percent(fields[field]["unique"]) for field in core)
            cells = [
                model,
                name,
                per_field,
                rate(summary["all_core_correct"]["unique"]),
                rate(summary["hallucinated"]),
                rate(summary["high_confidence_correct"]),
                f"{summary['steady_seconds_per_document']:.2f}",
                f"{result['peak_rss_kib'] / 1024:.0f} MiB",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def render(results: dict[str, dict[str, Any]]) -> str:
    core = ", ".join(get_schema("invoice").cues.core_fields)
    return "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
            "",
            "Command: `.venv/bin/python -m bench.model_comparison`",
            "",
            f"Core fields, % exact per unique invoice, in this order: {core}.",
            "",
            "| model | set | core fields (%) | all core right | hallucinated | right at "
            "confidence >= 0.9 | s/document | peak memory |",
            "|---|---|---|---|---|---|---|---|",
            *rows(results),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    corpus = ROOT.parent / "shared" / "corpus" / "invoices-dev"
    parser.add_argument("--corpus", type=Path, default=corpus)
    parser.add_argument("--models", nargs="+", default=["smollm2-135m", "gemma3-270m"])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    results = {model: evaluate(model, args.corpus) for model in args.models}
    report = render(results)
    print(report)
    if not args.no_write:
        write_block("model-comparison", report)


if __name__ == "__main__":
    main()
