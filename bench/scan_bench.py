"""Scanned PDFs: accuracy of the scanned copies against the same documents' text layer, and
OCR seconds per page.

The generated varied set and the shipped samples are scanned (`sample_sets.make_scans`: 300 dpi
greyscale and 200 dpi fax, every other document turned by a few degrees, with noise), then
each set is run through the evaluation harness with the bundled model: the text-layer
originals, the 300 dpi scans and the 200 dpi scans. OCR speed is timed separately, page by
page, in this process (one Tesseract at a time), with Tesseract's peak memory.

    .venv/bin/python -m bench.scan_bench [--no-write]
"""

import argparse
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import machine, percent, rate, write_block
from extractor.api import load_extractor
from extractor.evaluate import harness
from extractor.evaluate.harness import Evaluation
from extractor.read.ocr.engine import OcrOptions
from extractor.read.pdf import read_pdf
from extractor.schema_walk import leaves
from extractor.settings import load_settings
from sample_sets.make_scans import scan_set
from schemas import get_schema

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "varied (generated)": ROOT / "bench" / "samples" / "varied",
    "samples (shipped)": ROOT / "bench" / "samples" / "invoices",
}
KINDS = ("300dpi", "200dpi")
INVOICE = get_schema("invoice")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    settings = load_settings()
    options = OcrOptions(settings.ocr_languages, settings.ocr_dpi, settings.ocr_page_seconds)
    rows, speed = [], {}
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as scratch:
        folders = {
            (name, kind): scan_set(source, Path(scratch) / f"{source.name}-{kind}", kind)
            for name, source in SOURCES.items()
            for kind in KINDS
        }
        # first, while Tesseract is the only child process this process has waited for:
        # the children's peak memory is then Tesseract's
        for kind in KINDS:
            print(f"timing OCR, {kind}...", flush=True)
            made = [folders[name, kind] for name in SOURCES]
            speed[kind] = _ocr_speed([pdf for pdfs in made for pdf in pdfs], options)
        extractor = load_extractor(settings)
        for name, source in SOURCES.items():
            sets = {"text layer": sorted(source.glob("*.pdf"))}
            sets.update({f"scanned {kind}": folders[name, kind] for kind in KINDS})
            for label, pdfs in sets.items():
                print(f"evaluating {name}, {label}...", flush=True)
                report = harness.evaluate(pdfs, extractor, INVOICE)
                rows.append(_row(name, label, report))
    text = _report(rows, speed, settings.ocr_languages)
    print(text)
    if not args.no_write:
        write_block("scanned", text)


def _row(name: str, label: str, report: Evaluation) -> list[str]:
    templates = [leaf.template for leaf in leaves(INVOICE.model)]
    summary = harness.summary(report, templates, INVOICE.cues.core_fields)
    fields = summary["fields"]
    per_field = " / ".join(percent(fields[f]["files"]) for f in INVOICE.cues.core_fields)
    return [
        name,
        label,
        per_field,
        rate(summary["all_core_correct"]["files"]),
        rate(summary["hallucinated"]),
        rate(summary["high_confidence_correct"]),
        f"{summary['steady_seconds_per_document']:.2f}",
    ]


def _ocr_speed(pdfs: list[Path], options: OcrOptions) -> dict[str, Any]:
    """Seconds per OCR'd page, reading one document at a time in this process, and the
    peak memory of the Tesseract processes (the only children waited for so far)."""
    per_page: list[float] = []  # a document's seconds over its pages, once per page
    for pdf in pdfs:
        started = time.perf_counter()
        document = read_pdf(pdf, max_pages=50, max_bytes=1 << 30, ocr=options)
        scanned = sum(page is not None for page in document.ocr)
        per_page.extend([(time.perf_counter() - started) / scanned] * scanned)
    return {
        "pages": len(per_page),
        "mean": statistics.mean(per_page),
        "median": statistics.median(per_page),
        "worst": max(per_page),
        "tesseract_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _report(rows: list[list[str]], speed: dict[str, dict[str, Any]], languages: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    core = ", ".join(INVOICE.cues.core_fields)
    lines = [
        f"Measured {stamp} on {machine()}.",
        "",
        "Command: `.venv/bin/python -m bench.scan_bench`",
        "",
        f"Core fields, % exact per file, in this order: {core}. OCR model: `{languages}`.",
        "",
        "| set | pages as | core fields (%) | all core right | hallucinated "
        "| right at confidence >= 0.9 | s/document |",
        "|---|---|---|---|---|---|---|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        "OCR alone (render, clean-up, Tesseract), one page at a time:",
        "",
        "| scans | pages | s/page mean | median | slowest | Tesseract peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for kind, figures in speed.items():
        lines.append(
            f"| {kind} | {figures['pages']} | {figures['mean']:.2f} | {figures['median']:.2f} "
            f"| {figures['worst']:.2f} | {figures['tesseract_peak_mib']:.0f} MiB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
