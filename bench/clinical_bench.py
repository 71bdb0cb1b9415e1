"""Clinical documents: accuracy on the generated lab reports, letters and CMS-1500 claims
(filled and flattened), with and without the model, and `schema="auto"` routing over every
generated document, invoices included.

Each set runs through the evaluation harness with its schema; routing classifies every
document (`Extractor.classify`) and counts the right schema. Figures go to
docs/benchmarks.md ("Clinical documents").

    .venv/bin/python -m bench.clinical_bench [--no-write]
"""

import argparse
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import machine, percent, rate, write_block
from extractor.api import load_extractor
from extractor.evaluate import harness
from extractor.pipeline import Extractor
from extractor.schema_walk import leaves
from extractor.settings import load_settings
from schemas import SchemaSpec, get_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "bench" / "samples"


@dataclass(frozen=True)
class LabelledSet:
    name: str
    folder: Path
    schema: SchemaSpec

    @property
    def pdfs(self) -> list[Path]:
        return sorted(self.folder.glob("*.pdf"))


CLINICAL_SETS = (
    LabelledSet("lab reports", SAMPLES / "clinical" / "lab_reports", get_schema("lab_report")),
    LabelledSet("letters", SAMPLES / "clinical" / "letters", get_schema("clinical_letter")),
    LabelledSet("claims, filled", SAMPLES / "clinical" / "claims", get_schema("claim_form")),
    LabelledSet(
        "claims, flattened", SAMPLES / "clinical" / "claims_flat", get_schema("claim_form")
    ),
)
INVOICE_FOLDERS = (SAMPLES / "invoices", SAMPLES / "varied")


def routing_documents() -> list[tuple[Path, str]]:
    """Every generated document and the schema it is."""
    documents = [
        (pdf, "invoice") for folder in INVOICE_FOLDERS for pdf in sorted(folder.glob("*.pdf"))
    ]
    documents += [
        (pdf, labelled.schema.name) for labelled in CLINICAL_SETS for pdf in labelled.pdfs
    ]
    return documents


@dataclass(frozen=True)
class RoutingScore:
    right: int
    total: int
    by_method: Counter[str]
    wrong: list[str]


def score_routing(extractor: Extractor, documents: list[tuple[Path, str]]) -> RoutingScore:
    right, by_method, wrong = 0, Counter[str](), []
    for pdf, expected in documents:
        routing = extractor.classify(pdf)
        by_method[routing.method.value] += 1
        if routing.schema == expected:
            right += 1
        else:
            wrong.append(f"{pdf.parent.name}/{pdf.name} -> {routing.schema}")
    return RoutingScore(right, len(documents), by_method, wrong)


def evaluate_set(extractor: Extractor, labelled: LabelledSet) -> dict[str, Any]:
    report = harness.evaluate(labelled.pdfs, extractor, labelled.schema)
    templates = [leaf.template for leaf in leaves(labelled.schema.model)]
    summary = harness.summary(report, templates, labelled.schema.cues.core_fields)
    every = (sum(f.correct for f in report.fields), len(report.fields))
    summary["every_field"] = every
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    settings = load_settings()
    rows = []
    for use_model in (True, False):
        extractor = load_extractor(settings.model_copy(update={"use_model": use_model}))
        for labelled in CLINICAL_SETS:
            print(
                f"evaluating {labelled.name}, model {'on' if use_model else 'off'}...", flush=True
            )
            rows.append((labelled, use_model, evaluate_set(extractor, labelled)))
    print("routing...", flush=True)
    routing = score_routing(load_extractor(settings), routing_documents())
    text = _report(rows, routing)
    print(text)
    if not args.no_write:
        write_block("clinical", text)


def _report(rows: list[tuple[LabelledSet, bool, dict[str, Any]]], routing: RoutingScore) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Measured {stamp} on {machine()}.",
        "",
        "Command: `.venv/bin/python -m bench.clinical_bench`",
        "",
        "Generated sets (`python -m sample_sets.make_clinical`), % exact per field over every "
        "item.",
        "",
        "| set | model | core fields (%) | every field | all core right "
        "| hallucinated | right at confidence >= 0.9 | s/document |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for labelled, use_model, summary in rows:
        fields = summary["fields"]
        core = " / ".join(
            f"{name} {percent(fields[name]['files'])}" for name in labelled.schema.cues.core_fields
        )
        lines.append(
            f"| {labelled.name} ({len(labelled.pdfs)}) | {'on' if use_model else 'off'} | {core} "
            f"| {rate(summary['every_field'])} | {rate(summary['all_core_correct']['files'])} "
            f"| {rate(summary['hallucinated'])} | {rate(summary['high_confidence_correct'])} "
            f"| {summary['steady_seconds_per_document']:.2f} |"
        )
    methods = ", ".join(f"{method}: {count}" for method, count in sorted(routing.by_method.items()))
    lines += [
        "",
        f'`schema="auto"` routing over every generated document (invoices, the varied set and '
        f"the clinical sets): **{rate((routing.right, routing.total))}** right; decided by "
        f"{methods}.",
    ]
    if routing.wrong:
        lines.append("Wrong: " + "; ".join(routing.wrong))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
