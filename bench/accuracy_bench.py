"""The accuracy benchmark: the evaluation harness on every labelled set, with and without the
model, the confidence calibration fitted from the same runs, and speed before and after.

    python -m bench.accuracy_bench [--corpus DIR] [--baseline-rev REV] [--no-write]

Sets: the shared corpus as it is (embedded XML), the same PDFs without their attachments
(text path), the generated varied set and the shipped samples. The confidence figures use the
shipped table (fitted on every development family by `python -m bench.out_of_family
--write-table`) and are also given held out: each field scored by a table fitted on these
sets without its invoice (5 folds). Out-of-family figures are `bench.out_of_family`'s.
Speed compares this checkout with `--baseline-rev` (default: the last release
before the accuracy engine) on the shipped samples, in this run, on this machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import machine, write_block
from extractor.api import load_extractor
from extractor.evaluate import harness
from extractor.evaluate.harness import HIGH_CONFIDENCE, Evaluation, FieldOutcome
from extractor.model.confidence import Calibration, fit
from extractor.schema_walk import leaves
from extractor.settings import load_settings
from extractor.store.batch import find_pdfs
from schemas import get_schema

ROOT = Path(__file__).resolve().parent.parent
FOLDS = 5
BASELINE_REV = "3d20a6f"  # the core and batch issues, before the accuracy engine
SETS = {
    "corpus, embedded XML": ("corpus", False),
    "corpus, XML removed": ("corpus", True),
    "varied (generated)": (ROOT / "bench" / "samples" / "varied", False),
    "samples (shipped)": (ROOT / "bench" / "samples" / "invoices", False),
}
_BASELINE_TIMER = """
import json, sys, time
from pathlib import Path
from extractor.api import load_extractor
from extractor.settings import load_settings
from schemas import get_schema
extractor = load_extractor(load_settings())
seconds = []
for pdf in sorted(Path(sys.argv[1]).glob("*.pdf")):
    started = time.perf_counter()
    extractor.extract(pdf, get_schema("invoice"))
    seconds.append(time.perf_counter() - started)
print(json.dumps(seconds))
"""


def run_sets(corpus: Path, *, use_model: bool) -> dict[str, Evaluation]:
    extractor = load_extractor(load_settings(use_model=use_model))
    extractor.calibration = Calibration.bundled()  # the table may have been refitted
    schema = get_schema("invoice")
    reports = {}
    for name, (folder, without_xml) in SETS.items():
        if without_xml is False and folder == "corpus" and not use_model:
            continue  # the XML path does not use the model
        path = corpus if folder == "corpus" else Path(folder)
        print(f"{name}, model {'on' if use_model else 'off'}...", file=sys.stderr)
        reports[name] = harness.evaluate(
            find_pdfs([path]), extractor, schema, without_xml=without_xml
        )
    return reports


def _text_path(reports: dict[str, Evaluation]) -> dict[str, Evaluation]:
    return {name: report for name, report in reports.items() if "embedded XML" not in name}


def _samples(outcomes: list[FieldOutcome]) -> list[tuple[str, float, bool]]:
    return [
        (outcome.key, outcome.evidence, outcome.correct)
        for outcome in outcomes
        if outcome.calibrates and outcome.evidence is not None
    ]


def calibrate(reports: dict[str, Evaluation]) -> dict[str, Any]:
    """The table these sets alone would give (shown, not shipped)."""
    outcomes = [o for report in _text_path(reports).values() for o in report.fields]
    return fit(_samples(outcomes))


def _fold(set_name: str, report: Evaluation, document: str) -> int:
    """Copies of one invoice share a fold, so no document is scored by a table fitted on it."""
    unique = report.unique_of.get(document, document)
    return zlib.crc32(f"{set_name}|{unique}".encode()) % FOLDS


def held_out_confidence(reports: dict[str, Evaluation]) -> dict[str, tuple[int, int]]:
    """Per set: correct / total among fields at confidence >= 0.9 when each field's confidence
    comes from a table fitted on the other folds of every text-path set (5-fold, by invoice).
    The factors the pipeline applies after the table (OCR word confidence, failed checks)
    are kept: the run's confidence divided by the shipped table's value."""
    shipped = Calibration.bundled()
    folded = [
        (name, _fold(name, report, outcome.document), outcome)
        for name, report in _text_path(reports).items()
        for outcome in report.fields
    ]
    figures: dict[str, list[int]] = {name: [0, 0] for name in _text_path(reports)}
    for fold in range(FOLDS):
        table = fit(_samples([outcome for _, f, outcome in folded if f != fold]))
        held_out = Calibration.from_table(table)
        for name, f, outcome in folded:
            if f != fold or outcome.evidence is None or outcome.confidence is None:
                continue
            key = outcome.key
            before = shipped.confidence(key, outcome.evidence)
            after_table = outcome.confidence / before if before else 1.0
            if held_out.confidence(key, outcome.evidence) * after_table >= HIGH_CONFIDENCE:
                figures[name][0] += int(outcome.correct)
                figures[name][1] += 1
    return {name: (correct, total) for name, (correct, total) in figures.items()}


def baseline_seconds(rev: str, samples: Path) -> list[float]:
    """Seconds per sample for the pipeline at `rev`, in a fresh process of this machine."""
    with tempfile.TemporaryDirectory(prefix="baseline-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
                       check=True, capture_output=True)  # fmt: skip
        try:
            done = subprocess.run(
                [sys.executable, "-c", _BASELINE_TIMER, str(samples)],
                cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)  # fmt: skip
    seconds: list[float] = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds


def per_minute(seconds: list[float]) -> str:
    steady = statistics.median(seconds[1:] or seconds)
    return f"{60 / steady:.1f} (median {steady:.2f} s)"


def render(
    with_model: dict[str, Evaluation],
    rules_only: dict[str, Evaluation],
    held_out: dict[str, tuple[int, int]],
    table: dict[str, Any],
    speed: list[tuple[str, str]],
) -> str:
    schema = get_schema("invoice")
    core = schema.cues.core_fields
    templates = [leaf.template for leaf in leaves(schema.model)]

    def rate(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]} ({100 * pair[0] / pair[1]:.1f}%)" if pair[1] else "-"

    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        "Command: `.venv/bin/python -m bench.accuracy_bench`",
        "",
    ]
    for name, report in with_model.items():
        rules = rules_only.get(name)
        lines += [f"### {name}", "", "| field | model on: files | unique | model off: unique |",
                  "|---|---|---|---|"]  # fmt: skip
        for template in templates:
            files, unique = report.accuracy(template), report.accuracy(template, unique=True)
            off = rules.accuracy(template, unique=True) if rules else (0, 0)
            if files[1]:
                mark = " *" if template in core else ""
                lines.append(f"| {template}{mark} | {rate(files)} | {rate(unique)} | {rate(off)} |")
        summary = [
            ("documents (unique invoices)",
             f"{len(report.documents)} ({len(report.chosen(unique=True))})"),
            ("all core fields correct, unique", rate(report.all_correct_rate(core, unique=True))),
            ("hallucinated values", rate(report.hallucination())),
            ("correct at confidence >= 0.9, shipped table (fitted on all sets)",
             rate(report.high_confidence())),
            ("steady s/document", f"{report.steady_seconds:.2f}"),
        ]  # fmt: skip
        if name in held_out:
            summary.append((f"correct at confidence >= 0.9, held out ({FOLDS} folds by invoice)",
                            rate(held_out[name])))  # fmt: skip
        if rules:
            summary.append(("model off: all core fields correct, unique",
                            rate(rules.all_correct_rate(core, unique=True))))  # fmt: skip
        lines += ["", "| measure | value |", "|---|---|"]
        lines += [f"| {measure} | {value} |" for measure, value in summary] + [""]
    lines += ["### Speed, same run", "", "| pipeline | documents per minute |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in speed]
    lines += [
        "",
        "### Calibration (evidence score -> measured accuracy)",
        "",
        "Per method and field; shown: the methods pooled, and the core fields.",
        "",
    ]
    shown = {key: entry for key, entry in table.items() if key.partition(":")[2] in ("", *core)}
    for key, entry in shown.items():
        pairs = ", ".join(
            f"<= {bound:.2f}: {accuracy:.2f}"
            for bound, accuracy in zip(entry["bounds"], entry["accuracy"], strict=True)
        )
        lines.append(f"- `{key}`: {pairs}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    corpus = ROOT.parent / "shared" / "corpus" / "invoices-dev"
    parser.add_argument("--corpus", type=Path, default=corpus)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json-out", type=Path, help="also write every set's figures as JSON")
    args = parser.parse_args()

    with_model = run_sets(args.corpus, use_model=True)
    table = calibrate(with_model)
    rules_only = run_sets(args.corpus, use_model=False)
    samples = ROOT / "bench" / "samples" / "invoices"
    speed = [
        ("this checkout, model on", per_minute(with_model["samples (shipped)"].seconds)),
        ("this checkout, rules only", per_minute(rules_only["samples (shipped)"].seconds)),
        (f"baseline {args.baseline_rev} (model for every field)",
         per_minute(baseline_seconds(args.baseline_rev, samples))),
    ]  # fmt: skip
    report = render(with_model, rules_only, held_out_confidence(with_model), table, speed)
    print(report)
    if args.json_out is not None:
        templates = [leaf.template for leaf in leaves(get_schema("invoice").model)]
        core = get_schema("invoice").cues.core_fields
        figures = {
            f"{name}, model {mode}": harness.summary(evaluation, templates, core)
            for mode, reports in (("on", with_model), ("off", rules_only))
            for name, evaluation in reports.items()
        }
        args.json_out.write_text(json.dumps({"sets": figures, "speed": speed}, indent=2))
    if not args.no_write:
        write_block("accuracy", report)


if __name__ == "__main__":
    main()
