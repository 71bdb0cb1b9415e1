"""Throughput: the model path against the cost of reading each document once, the grammar's
overhead, cold start, structured-source documents per second and peak memory, with the
accuracy of the same runs, for this checkout and an earlier revision, in one table.

    python -m bench.throughput_bench [--corpus DIR] [--baseline-rev REV] [--no-write]

Every extraction runs in a fresh process (`bench/throughput_child.py`) through the
evaluation harness; the earlier revision runs the same script in a git worktree. The prefill
times (the model reading a document's whole text once, from an empty cache) and the
grammar's overhead are measured in this process with the same model, in the same run.
The Celery figure (`bench/celery_rate.py`) needs the PostgreSQL and Redis of the README.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import celery_rate
from bench.report import machine, write_block
from extractor.model.backend import LlamaBackend
from extractor.model.grounding import CopySource, DocumentGrounding, GroundedCopyProcessor
from extractor.model.prompt import build_prompt
from extractor.model.protocol import Generation
from extractor.pipeline import model_parts
from extractor.read.pdf import read_pdf
from extractor.settings import load_settings
from schemas import get_schema

ROOT = Path(__file__).resolve().parent.parent
CHILD = ROOT / "bench" / "throughput_child.py"
BASELINE_REV = "810cb30"  # the accuracy engine as it landed, before this benchmark's changes
SAMPLES = ROOT / "bench" / "samples"
TEXT_SETS = ("corpus, XML removed", "varied (generated)", "samples (shipped)")
XML_SET = "corpus, embedded XML"
OVERHEAD_TOKENS = 128
CELERY_COPIES = 2
OVERHEAD_ROUNDS = 25

Row = tuple[str, str, str, str]


@dataclass(frozen=True)
class Overhead:
    name: str
    tokens: int
    constrained: float  # ms per token
    unconstrained: float
    inside: float  # ms per token spent in the grammar and grounding code (median)

    @property
    def overhead(self) -> float:
        return self.constrained / self.unconstrained - 1


def run_child(tree: Path, *arguments: str) -> Any:
    done = subprocess.run(
        [sys.executable, str(CHILD), *arguments],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_tree(tree: Path, corpus: Path) -> dict[str, Any]:
    sets = [
        [XML_SET, str(corpus), False],
        ["corpus, XML removed", str(corpus), True],
        ["varied (generated)", str(SAMPLES / "varied"), False],
        ["samples (shipped)", str(SAMPLES / "invoices"), False],
    ]
    print(f"evaluating {tree}...", file=sys.stderr)
    figures = run_child(tree, "evaluate", json.dumps(sets))["sets"]
    print(f"cold start in {tree}...", file=sys.stderr)
    cold = run_child(tree, "cold", str(SAMPLES / "varied"))
    print(f"Celery worker in {tree}...", file=sys.stderr)
    celery = asdict(celery_rate.measure(corpus, CELERY_COPIES, tree))
    return {"sets": figures, "cold": cold, "celery": celery}


def measure_baseline(rev: str, corpus: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="baseline-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
            check=True,
            capture_output=True,
        )
        try:
            return measure_tree(tree, corpus)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )


def prefill_times(backend: LlamaBackend, documents: set[str]) -> dict[str, float]:
    settings = load_settings()
    print(f"prefill of {len(documents)} documents...", file=sys.stderr)
    return {
        document: backend.prefill_seconds(
            read_pdf(
                Path(document), max_pages=settings.max_pages, max_bytes=settings.max_file_bytes
            ).full
        )
        for document in sorted(documents)
    }


def constraint_overhead(backend: LlamaBackend, sample: Path) -> list[Overhead]:
    """ms per generated token under the invoice-lines grammar (alone, and with the grounding
    the pipeline adds) against unconstrained generation of the same number of tokens from the
    same prompt; the best of several interleaved rounds each (interference on a shared
    machine only ever adds time, so the fastest run is the closest to the true cost)."""
    settings = load_settings()
    schema = get_schema("invoice")
    text = read_pdf(sample, max_pages=settings.max_pages, max_bytes=settings.max_file_bytes).full
    prompt = build_prompt(
        schema,
        text,
        count_tokens=backend.count_tokens,
        token_budget=settings.n_ctx - settings.max_list_tokens,
    )
    part = model_parts(schema)[0]
    messages = prompt.messages(part)
    source = CopySource.from_text(prompt.document_text)

    def grammar() -> Generation:
        return backend.generate_json(messages, part.json_schema, max_tokens=OVERHEAD_TOKENS)

    def grounded() -> Generation:
        grounding = DocumentGrounding(backend.token_table, source, settings.max_value_chars)
        return backend.generate_json(
            messages,
            part.json_schema,
            max_tokens=OVERHEAD_TOKENS,
            processors=[GroundedCopyProcessor(grounding)],
        )

    def unconstrained(tokens: int) -> Generation:
        return backend.generate_unconstrained(messages, max_tokens=tokens, exact_length=True)

    figures = []
    for name, constrained in (("grammar", grammar), ("grammar + grounding", grounded)):
        tokens = constrained().completion_tokens  # also puts the prompt in the KV cache
        rounds = [(constrained(), unconstrained(tokens)) for _ in range(OVERHEAD_ROUNDS)]
        best_constrained = min(_ms_per_token(c) for c, _ in rounds)
        best_unconstrained = min(_ms_per_token(u) for _, u in rounds)
        inside = statistics.median(
            1000 * c.constraint_seconds / c.completion_tokens for c, _ in rounds
        )
        figures.append(Overhead(name, tokens, best_constrained, best_unconstrained, inside))
    return figures


def _ms_per_token(generation: Generation) -> float:
    return 1000 * generation.seconds / generation.completion_tokens


def ratio(figures: dict[str, Any], prefill: dict[str, float]) -> tuple[float, float, int]:
    """Total model-path seconds over total prefill seconds; the worst document's ratio; how
    many documents are above 0.5."""
    pairs = [
        (seconds, prefill[document])
        for seconds, document in zip(figures["seconds"], figures["documents"], strict=True)
    ]
    total = sum(seconds for seconds, _ in pairs) / sum(read for _, read in pairs)
    worst = max(seconds / read for seconds, read in pairs)
    return total, worst, sum(seconds / read > 0.5 for seconds, read in pairs)


def per_second(seconds: list[float]) -> float:
    later = seconds[1:] or seconds
    return len(later) / sum(later)


def cold_ratio(cold: dict[str, Any]) -> str:
    first, rest = cold["seconds"][0], statistics.median(cold["seconds"][1:])
    return f"{first / rest:.2f} ({first:.3f} s / {rest:.3f} s)"


def rows(
    now: dict[str, Any],
    before: dict[str, Any],
    prefill: dict[str, float],
    overheads: list[Overhead],
) -> list[Row]:
    table: list[Row] = []
    for name in TEXT_SETS:
        measured = [ratio(run["sets"][name], prefill) for run in (now, before)]
        table.append(
            (
                f"model path / full-text prefill, {name} (total; worst; documents > 0.5)",
                "<= 0.50",
                *(f"{total:.2f}; {worst:.2f}; {over}" for total, worst, over in measured),
            )
        )
    for overhead in overheads:
        table.append(
            (
                f"constraint overhead: {overhead.name} vs unconstrained, ms/token, best of "
                f"{OVERHEAD_ROUNDS} ({overhead.tokens} tokens, same prompt); time inside the "
                "constraint code",
                "<= 5%",
                f"{overhead.constrained:.1f} vs {overhead.unconstrained:.1f} "
                f"({100 * overhead.overhead:+.1f}%); {overhead.inside:.2f} ms/token "
                f"({100 * overhead.inside / overhead.unconstrained:.1f}%)",
                "-",
            )
        )
    table.append(
        (
            "cold start: first document / median after it (varied set, fresh process)",
            "<= 2",
            cold_ratio(now["cold"]),
            cold_ratio(before["cold"]),
        )
    )
    table.append(
        (
            "start-up: model load, self-test, warm-up",
            "-",
            *(f"{run['cold']['startup']:.1f} s" for run in (now, before)),
        )
    )
    table.append(
        (
            f"structured source ({XML_SET}): documents per second, one worker process "
            "(batch: its reader processes read ahead)",
            ">= 20",
            *(f"{per_second(run['sets'][XML_SET]['seconds']):.1f}" for run in (now, before)),
        )
    )
    table.append(
        (
            f"structured source ({XML_SET}, {CELERY_COPIES} distinct copies of each): documents "
            "per second through one Celery worker process, PostgreSQL and Redis (model tokens)",
            ">= 20",
            *(_celery(run["celery"]) for run in (now, before)),
        )
    )
    table.append(
        (
            "peak resident memory: worker process (model loaded)",
            "< 1024 MiB",
            *(f"{run['cold']['worker_peak_kib'] / 1024:.0f} MiB" for run in (now, before)),
        )
    )
    table.append(
        (
            "peak resident memory: its PDF reader processes (each)",
            "-",
            *(_readers(run["cold"]["reader_peak_kib"]) for run in (now, before)),
        )
    )
    for name in (*TEXT_SETS, XML_SET):
        summaries = [run["sets"][name]["summary"] for run in (now, before)]
        table.append(
            (
                f"accuracy, {name}: all core fields correct (unique)",
                "not lower",
                *(_rate(summary["all_core_correct"]["unique"]) for summary in summaries),
            )
        )
        table.append(
            (
                f"accuracy, {name}: line quantities (unique)",
                "not lower",
                *(
                    _rate(summary["fields"].get("lines.*.quantity", {}).get("unique"))
                    for summary in summaries
                ),
            )
        )
        table.append(
            (
                f"hallucinated values, {name}",
                "0",
                *(_rate(summary["hallucinated"]) for summary in summaries),
            )
        )
    return table


def _celery(figures: dict[str, Any]) -> str:
    rate = celery_rate.CeleryRate(**figures)
    return f"{rate.per_second:.1f} ({rate.model_tokens})"


def _readers(peaks_kib: list[int]) -> str:
    return f"{len(peaks_kib)} x at most {max(peaks_kib) / 1024:.0f} MiB"


def _rate(pair: list[int] | None) -> str:
    return f"{pair[0]}/{pair[1]} ({100 * pair[0] / pair[1]:.1f}%)" if pair and pair[1] else "-"


def render(table: list[Row], baseline: str, threads: int) -> str:
    return "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; model threads: "
            f"{threads}.",
            "",
            "Command: `.venv/bin/python -m bench.throughput_bench`",
            "",
            f"| measure | goal | this checkout | before ({baseline}) |",
            "|---|---|---|---|",
            *[f"| {measure} | {goal} | {now} | {before} |" for measure, goal, now, before in table],
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "invoices-dev"
    )
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json-out", type=Path, help="also write the raw figures as JSON")
    args = parser.parse_args()

    now = measure_tree(ROOT, args.corpus)
    before = measure_baseline(args.baseline_rev, args.corpus)
    settings = load_settings()
    backend = LlamaBackend.from_settings(settings)
    documents = {
        doc for run in (now, before) for name in TEXT_SETS for doc in run["sets"][name]["documents"]
    }
    prefill = prefill_times(backend, documents)
    overheads = constraint_overhead(backend, SAMPLES / "invoices" / "de_equipment.pdf")
    report = render(rows(now, before, prefill, overheads), args.baseline_rev, settings.n_threads)
    print(report)
    if args.json_out is not None:
        args.json_out.write_text(
            json.dumps(
                {
                    "now": now,
                    "before": before,
                    "prefill": prefill,
                    "overhead": [asdict(overhead) for overhead in overheads],
                },
                indent=2,
            )
        )
    if not args.no_write:
        write_block("throughput", report)


if __name__ == "__main__":
    main()
