"""Benchmark the embedded pipeline on the shipped sample invoices.

Prints speed, tokens, memory, the cost of constrained decoding and per-field accuracy,
and writes the same figures into docs/benchmarks.md (between the bench markers).

    python -m bench.run_bench [--samples DIR] [--no-write]
"""

import argparse
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import machine, write_block
from extractor.backend import LlamaBackend
from extractor.evaluation import AccuracyTable, compare
from extractor.grounding import CopySource, DocumentGrounding, GroundedCopyProcessor
from extractor.harness import load_truth
from extractor.pdf import read_pdf
from extractor.pipeline import Extractor
from extractor.prompt import build_prompt
from extractor.schema_walk import generation_parts, leaves
from extractor.settings import load_settings
from schemas import get_schema

ROOT = Path(__file__).resolve().parent.parent
OVERHEAD_TOKENS = 128


def constraint_overhead(backend: LlamaBackend, sample: Path) -> list[tuple[str, float]]:
    """ms per generated token: grammar, grammar + grounding, and unconstrained, same prompt."""
    settings = load_settings()
    schema = get_schema("invoice")
    text = read_pdf(sample, max_pages=settings.max_pages, max_bytes=settings.max_file_bytes).full
    prompt = build_prompt(
        schema, text, count_tokens=backend.count_tokens, token_budget=settings.n_ctx - 512
    )
    part = next(part for part in generation_parts(schema.model) if part.name == "lines")
    grounding = DocumentGrounding(backend.token_table, CopySource.from_text(prompt.document_text),
                                  settings.max_value_chars)  # fmt: skip
    messages = prompt.messages(part)
    runs = {
        "grammar only": lambda: backend.generate_json(messages, part.json_schema,
                                                      max_tokens=OVERHEAD_TOKENS),
        "grammar + grounding": lambda: backend.generate_json(
            messages, part.json_schema, processors=[GroundedCopyProcessor(grounding)],
            max_tokens=OVERHEAD_TOKENS),
        "unconstrained": lambda: backend.generate_unconstrained(
            messages, max_tokens=OVERHEAD_TOKENS, exact_length=True),
    }  # fmt: skip
    figures = []
    for name, run in runs.items():
        run()  # warm: the prompt is now in the KV cache, so only generation is timed
        samples = [run() for _ in range(3)]
        best = min(samples, key=lambda generation: generation.seconds)
        figures.append((name, 1000 * best.seconds / max(best.completion_tokens, 1)))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=Path, default=ROOT / "bench" / "samples" / "invoices")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    pdfs = sorted(args.samples.glob("*.pdf"))
    settings = load_settings()
    schema = get_schema("invoice")

    started = time.perf_counter()
    backend = LlamaBackend.from_settings(settings)
    extractor = Extractor(backend, settings)
    extractor.warm_up([schema])
    startup = time.perf_counter() - started
    accuracy = AccuracyTable()
    timings, prompt_tokens, completion_tokens, statuses = [], [], [], []
    for pdf in pdfs:
        result = extractor.extract(pdf, schema)
        timings.append(result.run.seconds["total"])
        prompt_tokens.append(result.run.prompt_tokens)
        completion_tokens.append(result.run.completion_tokens)
        statuses.append(result.status.value)
        truth = load_truth(pdf)
        if truth is not None:
            accuracy.add(compare(result.data, truth.scored()))
        print(f"{pdf.name}: {result.status.value} in {timings[-1]:.1f} s", file=sys.stderr)
    steady = statistics.median(timings[1:]) if len(timings) > 1 else timings[0]
    overhead = constraint_overhead(backend, pdfs[0])
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    unconstrained = dict(overhead)["unconstrained"]
    status_counts = ", ".join(f"{s}: {statuses.count(s)}" for s in sorted(set(statuses)))
    rows = [
        ("documents", f"{len(pdfs)} ({status_counts})"),
        ("start-up: model load, grammar self-test, grammar compilation", f"{startup:.1f} s"),
        ("first document (fresh process)", f"{timings[0]:.1f} s"),
        ("steady state, median per document", f"{steady:.1f} s"),
        ("documents per minute (steady)", f"{60 / steady:.1f}"),
        ("prompt tokens per document (mean, summed over field prompts)",
         f"{statistics.mean(prompt_tokens):.0f}"),
        ("generated tokens per document (mean)", f"{statistics.mean(completion_tokens):.0f}"),
        ("peak resident memory", f"{peak_mib:.0f} MiB"),
        *[(f"decode ms/token, {name}", f"{ms:.1f} ({100 * (ms / unconstrained - 1):+.0f}%)")
          for name, ms in overhead],
    ]  # fmt: skip
    fields = [leaf.template for leaf in leaves(schema.model)]
    accuracy_rows = [(name, f"{accuracy.correct[name]}/{accuracy.total[name]}",
                      f"{100 * accuracy.rate(name):.0f}%") for name in fields]  # fmt: skip
    correct, total = sum(accuracy.correct.values()), sum(accuracy.total.values())
    accuracy_rows.append(("all fields", f"{correct}/{total}", f"{100 * accuracy.overall:.0f}%"))

    report = render(rows, accuracy_rows, settings.n_threads)
    print(report)
    if not args.no_write:
        write_block("bench", report)


def render(rows: list[tuple[str, str]], accuracy: list[tuple[str, str, str]], threads: int) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"model threads: {threads}.",
        "",
        "Command: `.venv/bin/python -m bench.run_bench`",
        "",
        "| measure | value |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
        "",
        "Per-field exact-match accuracy on the shipped samples (after normalisation):",
        "",
        "| field | correct | accuracy |",
        "|---|---|---|",
        *[f"| {name} | {count} | {rate} |" for name, count, rate in accuracy],
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
