"""The supplier-memory benchmark: on the `sroie-train/` shops with 3 or more receipts, a
reviewer confirms each shop's first receipt (simulated with its truth) in the review store,
then the shop's other receipts are extracted with and without the memory.

    python -m bench.supplier_memory [--rules-only] [--limit-shops N] [--no-write]

The confirmation goes the review app's way: the machine's result is stored in a scratch SQLite
database, the form sends the truth of each labelled field, and where the truth differs from
the machine's value the simulated person picks the words that spell it (for an amount or a
date, the words it reads as; where several do, the first whose line begins with a label the
schema knows for the field, else the last). The app's own code turns this into positions and
the memory rows. A field the page does not spell is typed, and a typed value teaches no
position. Fields the truth does not give (SROIE labels four) are cleared.

Figures, over the repeat receipts: per field, accuracy without and with memory and how often
the memory gave the value (and how often that value was right); the "learned fields" (each
shop's fields that have a memory row) right with memory; automation (documents `succeeded`)
and `succeeded` precision (a receipt's required fields, seller, date and total, all right)
without and with memory. Every receipt is extracted with the candidate scorer fitted without
its shop's family fold (`bench.scorer_folds`), in both arms.
"""

import argparse
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.families import sroie
from bench.report import machine, rate, write_block
from bench.scorer_folds import examples_by_set, family_key, fold_of, fold_scorers
from extractor.api import load_extractor
from extractor.evaluate.compare import comparison_folds, same_value
from extractor.evaluate.harness import load_truth
from extractor.pipeline import Extractor
from extractor.read.page_isolation import PageLimits
from extractor.read.page_words import Box, PageWord, PageWords, locate_text
from extractor.result import ExtractionResult, Method, Status
from extractor.schema_walk import flatten, leaves
from extractor.settings import load_settings
from extractor.store.engine import make_engine, upgrade
from extractor.store.review_runs import HumanValue, load_review_run
from extractor.store.review_store import ReviewStore
from extractor.store.runs import canonical_text, save_result
from extractor.store.supplier_memory import MemoryBook, supplier_key
from schemas import SchemaSpec, get_schema
from schemas.kinds import FieldKind
from workers.review.document_layout import read_layout
from workers.review.field_positions import confirmed_positions, printings

MIN_RECEIPTS = 3
FIELDS = ("seller.name", "seller.address", "issue_date", "total_gross")
DECIDING = ("seller.name", "issue_date", "total_gross")  # a receipt's required fields


@dataclass
class Tally:
    right: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    recalled: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    learned: list[int] = field(default_factory=lambda: [0, 0])
    succeeded: list[int] = field(default_factory=lambda: [0, 0])
    precise: list[int] = field(default_factory=lambda: [0, 0])


def shops(limit: int | None) -> list[list[Path]]:
    """Each shop's receipts in key order, for the shops with MIN_RECEIPTS or more."""
    by_shop: dict[str, list[Path]] = defaultdict(list)
    for pdf, family in sroie().families.items():
        if family != "unknown shop":
            by_shop[family].append(pdf)
    found = [sorted(pdfs) for _, pdfs in sorted(by_shop.items()) if len(pdfs) >= MIN_RECEIPTS]
    return found[:limit] if limit else found


def pick(kind: FieldKind, truth: str, pages: Sequence[PageWords], labels: Sequence[str]) -> Any:
    """(page, box) of the words a person would pick for this truth, or None."""
    found: list[tuple[int, Box]] = []
    for page in pages:
        if kind is FieldKind.TEXT:
            box = locate_text(page.words, truth)
            if box is not None:
                found.append((page.page, box))
            continue
        found.extend((page.page, box) for box in printings(kind, truth, page))
    for number, box in found:
        text = _line_before(pages[number - 1].words, box)
        if any(re.search(cue, text, re.IGNORECASE) for cue in labels):
            return number, box
    return found[-1] if found else None


def _line_before(words: Sequence[PageWord], box: Box) -> str:
    """The text left of a box on its line, as a person reads the line."""
    middle = (box[1] + box[3]) / 2
    before = [w for w in words if w.box[2] <= box[0] and w.box[1] <= middle <= w.box[3]]
    return " ".join(w.text for w in sorted(before, key=lambda w: w.box[0]))


def teach(
    engine: Engine, result: ExtractionResult, pdf: Path, truth: dict[str, Any], spec: SchemaSpec
) -> None:
    """Store the machine's result and confirm it with the truth, as the review app would."""
    with Session(engine) as session, session.begin():
        stored = save_result(session, result)
        session.flush()
        run_id = stored.id
    with Session(engine) as session:
        run = load_review_run(session, run_id)
    assert run is not None
    pages = read_layout(pdf.read_bytes(), PageLimits())
    kinds = {leaf.template: leaf.kind for leaf in leaves(spec.model)}
    machine_values = {f.path: f.value for f in run.fields}
    truths = {path: canonical_text(value) for path, value in flatten(truth).items()}
    values = {  # what the truth does not give, the person clears
        path: HumanValue(None) for path, value in machine_values.items() if path not in truths
    }
    for path, text in truths.items():
        if path not in kinds or text is None:
            continue
        if machine_values.get(path) == text:
            values[path] = HumanValue(text)
            continue
        picked = pick(kinds[path], text, pages, spec.cues.labels.get(path, ()))
        values[path] = HumanValue(text, *picked) if picked else HumanValue(text)
    positions = confirmed_positions(run, values, pages)
    ReviewStore(engine).save_review(run_id, values, reviewer="bench", positions=positions)


def out_of_family(base: Extractor) -> Callable[[Path], Extractor]:
    """Per receipt, an extractor whose candidate scorer was fitted without its shop's fold
    (`bench.scorer_folds`): the shipped weights saw every sroie shop."""
    scorers = fold_scorers(examples_by_set(base.settings))
    labelled = sroie()
    extractors = {
        fold: Extractor(base.backend, base.settings, base.calibration, scorer)
        for fold, scorer in scorers.items()
    }
    return lambda pdf: extractors[fold_of(family_key(labelled.folder, labelled.families[pdf]))]


def measure(
    extractor_of: Callable[[Path], Extractor], receipts: list[list[Path]], spec: SchemaSpec
) -> dict[str, Any]:
    folds = comparison_folds(spec.model)
    without, with_memory = Tally(), Tally()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
        engine = make_engine(f"sqlite:///{scratch}/memory.db")
        upgrade(engine)
        book = MemoryBook(engine)
        for shop in receipts:
            first = shop[0]
            result = extractor_of(first).extract(first, spec)
            teach(engine, result, first, _truth(first, spec), spec)
        for shop in receipts:
            learned = _learned(shop[0], spec, book)
            for pdf in shop[1:]:
                truth = flatten(_truth(pdf, spec))
                extractor = extractor_of(pdf)
                plain = extractor.extract(pdf, spec)
                remembered = extractor.extract(pdf, spec, memories=book)
                for tally, result in ((without, plain), (with_memory, remembered)):
                    _score(tally, result, truth, folds, learned)
        engine.dispose()
    return {"without": without, "with": with_memory}


def _learned(first: Path, spec: SchemaSpec, book: MemoryBook) -> set[str]:
    """The fields a shop's memory holds (the supplier its first receipt's truth names)."""
    key = supplier_key({k: canonical_text(v) for k, v in flatten(_truth(first, spec)).items()})
    return {memory.field for memory in book(spec.name) if memory.supplier_key == key}


def _truth(pdf: Path, spec: SchemaSpec) -> dict[str, Any]:
    truth = load_truth(pdf, spec)
    assert truth is not None
    return truth.values


def _score(
    tally: Tally,
    result: ExtractionResult,
    truth: dict[str, Any],
    folds: dict[str, Any],
    learned: set[str],
) -> None:
    records = {record.path: record for record in result.fields}
    all_right = True
    for path in FIELDS:
        if path not in truth:
            continue
        record = records.get(path)
        right = record is not None and same_value(record.value, truth[path], folds.get(path))
        all_right &= right or path not in DECIDING
        tally.right[path][0] += right
        tally.right[path][1] += 1
        if record is not None and record.method is Method.MEMORY:
            tally.recalled[path][0] += right
            tally.recalled[path][1] += 1
        if path in learned:
            tally.learned[0] += right
            tally.learned[1] += 1
    succeeded = result.status is Status.SUCCEEDED
    tally.succeeded[0] += succeeded
    tally.succeeded[1] += 1
    if succeeded:
        tally.precise[0] += all_right
        tally.precise[1] += 1


def render(
    figures: dict[str, Any], receipts: list[list[Path]], command: str, seconds: float
) -> str:
    without, with_memory = figures["without"], figures["with"]
    repeats = sum(len(shop) - 1 for shop in receipts)
    lines = [
        f"Machine: {machine()}. Command: `{command}` ({seconds:.0f} s). "
        f"{len(receipts)} shops with {MIN_RECEIPTS}+ receipts; {repeats} repeat receipts.",
        "",
        "| field | without memory | with memory | taken from memory (right) |",
        "|---|---|---|---|",
    ]
    for path in FIELDS:
        lines.append(
            f"| {path} | {rate(without.right[path])} | {rate(with_memory.right[path])} "
            f"| {rate(with_memory.recalled[path])} |"
        )
    lines += [
        f"| learned fields | {rate(without.learned)} | {rate(with_memory.learned)} | |",
        f"| documents `succeeded` | {rate(without.succeeded)} | {rate(with_memory.succeeded)} | |",
        f"| `succeeded` precision | {rate(without.precise)} | {rate(with_memory.precise)} | |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules-only", action="store_true", help="the model off")
    parser.add_argument("--limit-shops", type=int, help="the first N shops only")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the docs")
    args = parser.parse_args()
    settings = load_settings()
    if args.rules_only:
        settings = settings.model_copy(update={"use_model": False})
    spec = get_schema("invoice")
    receipts = shops(args.limit_shops)
    started = time.perf_counter()
    figures = measure(out_of_family(load_extractor(settings)), receipts, spec)
    command = "python -m bench.supplier_memory" + (" --rules-only" if args.rules_only else "")
    report = render(figures, receipts, command, time.perf_counter() - started)
    print(report)
    if not args.no_write and not args.limit_shops:
        write_block("supplier-memory", report)


if __name__ == "__main__":
    main()
