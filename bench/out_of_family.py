"""The out-of-family benchmark: every labelled development set, each document scored with
everything fitted from labelled data refit without its family.

    python -m bench.out_of_family [--rules-only] [--sets NAME ...] [--json-out F] [--no-write]
                                  [--save F | --load F] [--mistakes]

Each document is extracted once (the shipped pipeline; `--rules-only` switches the model off),
with the candidate scorer fitted without its family's fold (`bench.scorer_folds`;
`--shipped-scorer` uses the shipped weights instead, which saw every family).
The confidence calibration is then refit once per family, leaving that family out, and the
family's documents are given their confidence and status from that table: a document is
`succeeded` when it has no error or failed check and every value it produced that decides
it is at or above the review threshold, each alone and all together (`jointly_unsure`, as
the pipeline decides). The hand-written rules cannot be refit: the last column says whether
rules were written while looking at the set ("never tuned on" where none were).

Figures per set (and per family in the JSON): per-field accuracy, documents with every core
field right, automation (documents `succeeded`), `succeeded` precision (of those, every core
field right), accuracy at confidence >= 0.9, and the curve of automation against precision as
the review threshold moves. `--save` keeps the extracted outcomes (a pickle) and `--load`
scores them again without extracting, to try a threshold or a table; `--mistakes` lists the
documents `succeeded` with a core field wrong (paths and field names, never values). Core
fields are the invoice schema's; a receipt's truth gives seller, date and total only, and only
the fields a truth gives are scored.

Documents of no kind we extract are measured apart: the readable files of the shared hostile
corpus, the generated clinical sets and a few papers and manuals, all run as invoices; none
may come back `succeeded`.
"""

import argparse
import csv
import json
import pickle
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.families import CORPUS, ROOT, LabelledSet, all_sets
from bench.report import machine, rate, write_block
from bench.scorer_folds import examples_by_set, family_key, fold_of, fold_scorers
from extractor.api import load_extractor
from extractor.evaluate.harness import HIGH_CONFIDENCE, DocumentOutcome, Evaluation, evaluate
from extractor.learn.scorer import Scorer
from extractor.model.confidence import TABLE_FILE, Calibration, fit, jointly_unsure
from extractor.pipeline import Extractor
from extractor.result import Status
from extractor.schema_walk import template_of
from extractor.settings import load_settings
from schemas import get_schema

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99)
TARGET_PRECISION = 0.98
PAPERS = (Path("/usr/share/doc"),)  # manuals and specifications that ship with the system
CLINICAL = ROOT / "bench" / "samples" / "clinical"
SHIPPED = Calibration.bundled()


@dataclass(frozen=True)
class Scored:
    """One set's evaluation and the family of each document."""

    labelled: LabelledSet
    evaluation: Evaluation
    family_of: dict[str, str]


def run_set(
    labelled: LabelledSet, extractor: Extractor, scorers: dict[int, Scorer] | None = None
) -> Scored:
    """The set extracted; with `scorers`, each document by the candidate scorer of its
    family's fold (fitted without that family), otherwise by the shipped one."""
    print(f"{labelled.name}: {len(labelled.families)} documents...", file=sys.stderr)
    family_of = {str(pdf): family_key(labelled.folder, f) for pdf, f in labelled.families.items()}
    folds: dict[int | None, list[Path]] = {}
    for pdf in labelled.families:
        fold = fold_of(family_of[str(pdf)]) if scorers is not None else None
        folds.setdefault(fold, []).append(pdf)
    evaluation = Evaluation()
    for fold, pdfs in sorted(folds.items(), key=lambda item: item[0] or 0):
        scorer = scorers[fold] if scorers is not None and fold is not None else extractor.scorer
        folded = Extractor(extractor.backend, extractor.settings, extractor.calibration, scorer)
        part = evaluate(pdfs, folded, get_schema("invoice"), without_xml=labelled.without_xml)
        evaluation.documents.extend(part.documents)
        evaluation.unique_of.update(part.unique_of)
        evaluation.fields.extend(part.fields)
        evaluation.seconds.extend(part.seconds)
        evaluation.failed.extend(part.failed)
        evaluation.outcomes.update(part.outcomes)
    return Scored(labelled, evaluation, family_of)


def samples_by_family(scored: Sequence[Scored]) -> dict[str, list[tuple[str, float, bool]]]:
    """Per family, its calibration samples: (table key, evidence, right)."""
    samples: dict[str, list[tuple[str, float, bool]]] = {}
    for item in scored:
        for outcome in item.evaluation.fields:
            if outcome.calibrates and outcome.evidence is not None:
                key = outcome.key
                family = item.family_of[outcome.document]
                samples.setdefault(family, []).append((key, outcome.evidence, outcome.correct))
    return samples


def held_out_tables(scored: Sequence[Scored]) -> dict[str, Calibration]:
    """Per family: the calibration fitted on every other family's scored fields."""
    samples = samples_by_family(scored)
    families = {family for item in scored for family in item.family_of.values()}
    return {
        family: Calibration.from_table(
            fit(s for other, values in samples.items() if other != family for s in values)
        )
        for family in families
    }


def _held_out(confidence: float, key: str, evidence: float | None, table: Calibration) -> float:
    """The run's confidence with the shipped table's share replaced by the held-out table's;
    the factors applied after the table (OCR word confidence) are kept."""
    if evidence is None:
        return confidence
    shipped = SHIPPED.confidence(key, evidence)
    return table.confidence(key, evidence) * (confidence / shipped if shipped else 1.0)


def held_out_status(outcome: DocumentOutcome, table: Calibration, threshold: float) -> str:
    if outcome.status in (Status.FAILED, Status.OTHER_KIND):
        return outcome.status
    if outcome.flagged:
        return Status.NEEDS_REVIEW
    confidences = [
        _held_out(confidence, key, evidence, table)
        for key, evidence, confidence in outcome.produced
    ]
    sure = all(confidence >= threshold for confidence in confidences)
    jointly = not jointly_unsure(dict(enumerate(confidences)), threshold)
    return Status.SUCCEEDED if sure and jointly else Status.NEEDS_REVIEW


def figures(
    item: Scored, tables: dict[str, Calibration], threshold: float, documents: Iterable[str]
) -> dict[str, Any]:
    """Automation, succeeded precision, core and confident-field accuracy for documents."""
    chosen = set(documents)
    core = get_schema("invoice").cues.core_fields
    right = item.evaluation.core_right(core)
    statuses = {
        d: held_out_status(o, tables[item.family_of[d]], threshold)
        for d, o in item.evaluation.outcomes.items()
        if d in chosen
    }
    automated = [d for d, status in statuses.items() if status == Status.SUCCEEDED]
    confident = [
        o.correct
        for o in item.evaluation.fields
        if o.document in chosen
        and o.confidence is not None
        and _held_out(
            o.confidence,
            o.key,
            o.evidence,
            tables[item.family_of[o.document]],
        )
        >= HIGH_CONFIDENCE
    ]
    einvoices = [
        d
        for d, o in item.evaluation.outcomes.items()
        if d in chosen
        and any(key.startswith("xml:") for key, _, _ in o.produced)
        and not any(code.startswith("check:xml_matches_text") for code in o.error_codes)
    ]
    return {
        "einvoices_cross_checked_automation": (
            sum(statuses[d] == Status.SUCCEEDED for d in einvoices),
            len(einvoices),
        ),
        "documents": len(chosen),
        "all_core_right": (sum(right.get(d, False) for d in chosen), len(chosen)),
        "automation": (len(automated), len(chosen)),
        "succeeded_precision": (sum(right[d] for d in automated), len(automated)),
        "confident_right": (sum(confident), len(confident)),
        "statuses": dict(Counter(statuses.values())),
    }


def mistakes(item: Scored, tables: dict[str, Calibration], threshold: float) -> list[str]:
    """The documents `succeeded` with a core field wrong: document, family, the wrong fields
    with their method and held-out confidence."""
    core = get_schema("invoice").cues.core_fields
    found = []
    for document, outcome in item.evaluation.outcomes.items():
        table = tables[item.family_of[document]]
        if held_out_status(outcome, table, threshold) != Status.SUCCEEDED:
            continue
        wrong = [
            f"{o.path} ({o.method}, {_held_out(o.confidence or 0.0, o.key, o.evidence, table):.2f})"
            for o in item.evaluation.fields
            if o.document == document and o.path in core and not o.correct
        ]
        if wrong:
            found.append(f"{item.family_of[document]} | {Path(document).name}: {', '.join(wrong)}")
    return found


def field_accuracy(item: Scored) -> dict[str, tuple[int, int]]:
    table: dict[str, list[int]] = {}
    for outcome in item.evaluation.fields:
        pair = table.setdefault(template_of(outcome.path), [0, 0])
        pair[0] += outcome.correct
        pair[1] += 1
    return {template: (c, t) for template, (c, t) in sorted(table.items())}


def curve(scored: Sequence[Scored], tables: dict[str, Calibration]) -> dict[str, list[Any]]:
    return {
        item.labelled.name: [
            (threshold, *_pair(figures(item, tables, threshold, item.evaluation.documents)))
            for threshold in THRESHOLDS
        ]
        for item in scored
    }


def _pair(found: dict[str, Any]) -> tuple[float, float | None]:
    automated, total = found["automation"]
    right, succeeded = found["succeeded_precision"]
    return automated / total if total else 0.0, right / succeeded if succeeded else None


def choose_threshold(curves: dict[str, list[Any]]) -> float:
    """The lowest threshold at which every set's `succeeded` precision reaches the target."""
    for index, threshold in enumerate(THRESHOLDS):
        precisions = [points[index][2] for points in curves.values()]
        if all(p is None or p >= TARGET_PRECISION for p in precisions):
            return threshold
    return THRESHOLDS[-1]


def non_documents() -> dict[str, list[Path]]:
    """PDFs of no kind we extract, by source."""
    readable = []
    index = CORPUS / "bad-pdfs" / "INDEX.tsv"
    with index.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["pypdf_7.1.0_outcome"] in ("ok_text", "encrypted_empty_pw_ok"):
                readable.append(CORPUS / "bad-pdfs" / row["file"])
    papers = sorted(pdf for folder in PAPERS for pdf in folder.rglob("*.pdf"))
    return {
        "hostile corpus, readable files": readable,
        "generated clinical documents": sorted(CLINICAL.rglob("*.pdf")),
        "papers and manuals": papers,
    }


def run_non_documents(extractor: Extractor) -> dict[str, dict[str, int]]:
    schema = get_schema("invoice")
    found = {}
    for name, pdfs in non_documents().items():
        print(f"{name}: {len(pdfs)} documents...", file=sys.stderr)
        statuses: Counter[str] = Counter()
        for outcome in extractor.extract_many(((pdf, None) for pdf in pdfs), schema):
            statuses[getattr(outcome, "status", "input error")] += 1
        found[name] = dict(statuses)
    return found


def render(
    scored: Sequence[Scored],
    tables: dict[str, Calibration],
    threshold: float,
    curves: dict[str, list[Any]],
    others: dict[str, dict[str, int]],
    command: str,
) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Command: `{command}`",
        "",
        "Every figure is out of family: each document's confidence comes from a calibration "
        "fitted without its family; its status from that confidence at the review threshold "
        f"({threshold}). The last column says whether rules were written while looking at the set.",
        "",
        "| set | families | documents | all core right | automation | `succeeded` precision "
        "| right at confidence >= 0.9 | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for item in scored:
        found = figures(item, tables, threshold, item.evaluation.documents)
        families = len(set(item.family_of.values()))
        tuned = item.labelled.tuning
        lines.append(
            f"| {item.labelled.name} | {families} | {found['documents']} "
            f"| {rate(found['all_core_right'])} | {rate(found['automation'])} "
            f"| {rate(found['succeeded_precision'])} | {rate(found['confident_right'])} "
            f"| {tuned} |"
        )
    lines += ["", "Embedded e-invoices whose cross-check with the visible text passed:", ""]
    for item in scored:
        found = figures(item, tables, threshold, item.evaluation.documents)
        if found["einvoices_cross_checked_automation"][1]:
            automated = rate(found["einvoices_cross_checked_automation"])
            lines.append(f"- {item.labelled.name}: {automated} `succeeded`")
    lines += ["", "### Per field, out of family", ""]
    for item in scored:
        accuracy = field_accuracy(item)
        cells = ", ".join(f"{t} {rate(p)}" for t, p in accuracy.items() if not t.startswith("l"))
        lines.append(f"- {item.labelled.name}: {cells}")
    lines += ["", "### Per family (sets of up to 30 families)", ""]
    lines += ["| set | family | documents | all core right | automation | precision |"]
    lines += ["|---|---|---|---|---|---|"]
    for item in scored:
        families = sorted(set(item.family_of.values()))
        if len(families) > 30:
            continue
        for family in families:
            members = [d for d, f in item.family_of.items() if f == family]
            found = figures(item, tables, threshold, members)
            lines.append(
                f"| {item.labelled.name} | {family.partition(' | ')[2]} | {found['documents']} "
                f"| {rate(found['all_core_right'])} | {rate(found['automation'])} "
                f"| {rate(found['succeeded_precision'])} |"
            )
    lines += ["", "### Automation against `succeeded` precision as the threshold moves", ""]
    lines += ["| threshold | " + " | ".join(curves) + " |"]
    lines += ["|---" * (len(curves) + 1) + "|"]
    for index, value in enumerate(THRESHOLDS):
        cells = []
        for points in curves.values():
            _, automation, precision = points[index]
            shown = "-" if precision is None else f"{100 * precision:.1f}%"
            cells.append(f"{100 * automation:.0f}% / {shown}")
        lines.append(f"| {value} | " + " | ".join(cells) + " |")
    lines += ["", "### Documents of no kind we extract, run as invoices", ""]
    lines += ["| source | statuses |", "|---|---|"]
    for name, statuses in others.items():
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        lines.append(f"| {name} | {shown} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules-only", action="store_true", help="the model off")
    parser.add_argument("--sets", nargs="*", help="only the sets whose names start so")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--save", type=Path, help="keep the extracted outcomes in this file")
    parser.add_argument("--load", type=Path, help="score outcomes kept by --save")
    parser.add_argument(
        "--shipped-scorer",
        action="store_true",
        help="score with the shipped candidate scorer (fitted on every family: in family)",
    )
    parser.add_argument("--mistakes", action="store_true", help="list succeeded but wrong")
    parser.add_argument(
        "--write-table",
        action="store_true",
        help="fit the shipped calibration on every family (with --rules-only: all but the "
        "model's tables)",
    )
    args = parser.parse_args()
    settings = load_settings(use_model=not args.rules_only)
    chosen = [
        s for s in all_sets() if not args.sets or any(s.name.startswith(p) for p in args.sets)
    ]
    scored: list[Scored]
    others: dict[str, dict[str, int]]
    if args.load is not None:
        scored, others = pickle.loads(args.load.read_bytes())
        scored = [s for s in scored if any(s.labelled.name == c.name for c in chosen)]
    else:
        extractor = load_extractor(settings)
        scorers = None if args.shipped_scorer else fold_scorers(examples_by_set(settings))
        scored = [run_set(labelled, extractor, scorers) for labelled in chosen]
        others = run_non_documents(extractor)
    if args.save is not None:
        args.save.write_bytes(pickle.dumps((scored, others)))
    tables = held_out_tables(scored)
    curves = curve(scored, tables)
    threshold = settings.review_threshold
    if args.mistakes:
        for item in scored:
            for line in mistakes(item, tables, threshold):
                print(f"succeeded, wrong: {line}", file=sys.stderr)
    command = "python -m bench.out_of_family" + (" --rules-only" if args.rules_only else "")
    if args.load is not None:
        command += f" --save {args.load.name}`, then `... --load {args.load.name}"
    report = render(scored, tables, threshold, curves, others, command)
    report += "\n\nLowest threshold with `succeeded` precision >= 98% on every set: "
    report += f"{choose_threshold(curves)}."
    print(report)
    if args.json_out is not None:
        data = {
            item.labelled.name: {
                "figures": figures(item, tables, threshold, item.evaluation.documents),
                "fields": field_accuracy(item),
                "families": {
                    family: figures(
                        item,
                        tables,
                        threshold,
                        [d for d, f in item.family_of.items() if f == family],
                    )
                    for family in sorted(set(item.family_of.values()))
                },
            }
            for item in scored
        }
        data["curves"] = curves
        data["non_documents"] = others
        args.json_out.write_text(json.dumps(data, indent=1, default=str))
    if args.write_table:
        everything = [s for values in samples_by_family(scored).values() for s in values]
        table = ROOT / "extractor" / "model" / TABLE_FILE
        fitted = fit(everything)
        if args.rules_only:  # no model decisions in this run: the model's tables are kept
            shipped = json.loads(table.read_text())
            fitted |= {key: value for key, value in shipped.items() if key.startswith("model")}
        table.write_text(json.dumps(fitted, indent=2) + "\n")
    if not args.no_write:
        block = "out-of-family" + ("-rules-only" if args.rules_only else "")
        write_block(block, report)


if __name__ == "__main__":
    main()
