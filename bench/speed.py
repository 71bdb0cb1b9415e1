"""Speed with one worker process and the shipped pipeline (the model on, as a user gets it):
seconds per one-page text-layer document and the model's share of them, embedded e-invoices
per second, and peak resident memory.

    python -m bench.speed [--receipts N] [--no-write]

Text-layer documents: every one-page PDF of the text-path development sets (invoices-dev and
invoices-more with their XML removed, the varied and shipped samples, the third-party sets)
and the first N receipts of sroie-train (default 100), extracted in this one process as the
batch runner does (its reader processes read ahead). A document's seconds are the
pipeline's own (`run.seconds["total"]`: reading, the rules, the candidate scorer and the
model); the model's are those inside its choices and generations (`run.seconds["model"]`).
E-invoices: the embedded-XML documents of invoices-dev (every one read from its XML), per
second of wall-clock time after the first result. Memory: this process's peak resident set (the
model loaded) and the largest of its reader processes'.
"""

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.families import (
    LabelledSet,
    invoices_dev,
    invoices_more,
    shipped_samples,
    sroie,
    third_party,
    varied,
)
from bench.report import machine, write_block
from extractor.api import load_extractor
from extractor.einvoice.embedded import strip_attachments
from extractor.errors import InputError
from extractor.pipeline import Extractor
from extractor.read.isolation import readers
from extractor.result import ExtractionResult
from extractor.settings import ExtractorSettings, load_settings
from schemas import get_schema

GOAL_MEDIAN_SECONDS = 3.0
GOAL_EINVOICES_PER_SECOND = 20.0
GOAL_RSS_MIB = 1024
DEFAULT_RECEIPTS = 100


@dataclass
class TextTimes:
    total: list[float] = field(default_factory=list)
    model: list[float] = field(default_factory=list)
    other_pages: int = 0  # documents of more than one page, not counted
    failed: int = 0


def text_documents(receipts: int) -> Iterator[tuple[LabelledSet, Path]]:
    sets = [invoices_dev(), invoices_more(), varied(), shipped_samples(), third_party()]
    for labelled in sets:
        if labelled is not None:
            yield from ((labelled, pdf) for pdf in sorted(labelled.families))
    receipts_set = sroie()
    yield from ((receipts_set, pdf) for pdf in sorted(receipts_set.families)[:receipts])


def text_times(extractor: Extractor, receipts: int) -> TextTimes:
    times = TextTimes()
    schema = get_schema("invoice")
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as scratch:
        targets = []
        for number, (labelled, pdf) in enumerate(text_documents(receipts)):
            if labelled.without_xml:
                target = Path(scratch) / f"{number:05d}.pdf"
                strip_attachments(pdf, target)
                targets.append(target)
            else:
                targets.append(pdf)
        for result in extractor.extract_many(((target, None) for target in targets), schema):
            if not isinstance(result, ExtractionResult):
                times.failed += 1
            elif result.pages != 1:
                times.other_pages += 1
            else:
                times.total.append(result.run.seconds["total"])
                times.model.append(result.run.seconds.get("model", 0.0))
    return times


def einvoices_per_second(extractor: Extractor) -> tuple[float, int]:
    """Documents per second after the first result, and how many were read."""
    pdfs = sorted(invoices_dev(without_xml=False).families)
    results = extractor.extract_many(((pdf, None) for pdf in pdfs), get_schema("invoice"))
    stamps = list(_stamps(results))
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]), len(stamps)


def _stamps(results: Iterable[ExtractionResult | InputError]) -> Iterator[float]:
    for _ in results:
        yield time.perf_counter()


def render(
    settings: ExtractorSettings,
    times: TextTimes,
    einvoices: tuple[float, int],
    seconds: float,
    command: str,
) -> str:
    total, model = times.total, times.model
    ordered = sorted(total)
    share = sum(model) / sum(total)
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    readers_peak = readers(settings).peak_rss_kb / 1024
    rate, count = einvoices
    lines = [
        f"Machine: {machine()}. Command: `{command}` ({seconds:.0f} s).",
        "",
        "| measure | goal | measured |",
        "|---|---|---|",
        f"| one-page text-layer documents: median seconds ({len(total)} documents; 90th "
        f"percentile; worst) | <= {GOAL_MEDIAN_SECONDS:.0f} | {statistics.median(total):.2f} "
        f"({ordered[int(0.9 * len(ordered))]:.2f}; {ordered[-1]:.2f}) |",
        f"| the model's share of their time (median seconds in the model) | - | "
        f"{100 * share:.0f}% ({statistics.median(model):.2f}) |",
        f"| documents the model was asked about at all | - | "
        f"{sum(m > 0 for m in model)}/{len(model)} |",
        f"| embedded e-invoices per second, one worker process ({count} documents) | "
        f">= {GOAL_EINVOICES_PER_SECOND:.0f} | {rate:.1f} |",
        f"| peak resident memory: the worker process (model loaded) | < {GOAL_RSS_MIB} MiB | "
        f"{own_peak:.0f} MiB |",
        f"| peak resident memory: the largest of its reader processes | - | "
        f"{readers_peak:.0f} MiB |",
    ]
    if times.other_pages or times.failed:
        lines.append(
            f"\n{times.other_pages} documents of more than one page and {times.failed} refused "
            "ones are not counted."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=DEFAULT_RECEIPTS)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the docs")
    args = parser.parse_args()
    started = time.perf_counter()
    settings = load_settings()
    extractor = load_extractor(settings)
    times = text_times(extractor, args.receipts)
    einvoices = einvoices_per_second(extractor)
    command = "python -m bench.speed" + (
        f" --receipts {args.receipts}" if args.receipts != DEFAULT_RECEIPTS else ""
    )
    report = render(settings, times, einvoices, time.perf_counter() - started, command)
    print(report)
    if not args.no_write:
        write_block("speed", report)


if __name__ == "__main__":
    main()
