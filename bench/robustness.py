"""Every file of the shared hostile corpus through the embedded pipeline; writes
docs/robustness.md (counts by outcome, slowest files, peak memory, machine, command).

The model is replaced by the fixed-latency stand-in (0 s): what is measured is the PDF stage,
its limits and the batch runner around it. Passwords come from the corpus' passwords.tsv.

    python -m bench.robustness [--corpus PATH] [--no-write]
"""

import argparse
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from extractor.model.standin import FixedLatencyBackend
from extractor.pipeline import Extractor
from extractor.read import isolation
from extractor.settings import load_settings
from extractor.store.batch import BatchRunner, FileOutcome
from extractor.store.engine import make_engine, upgrade
from schemas import get_schema
from tests.corpus import BAD_PDFS, corpus_files, corpus_passwords

READ_TIME_LIMIT = 20.0
REPORT = Path(__file__).resolve().parent.parent / "docs" / "robustness.md"


def run_corpus(root: Path, database_url: str) -> tuple[list[FileOutcome], dict[str, object]]:
    settings = load_settings(
        database_url=database_url,
        model_backend="fixed-latency",
        fixed_latency_seconds=0.0,
        read_time_limit=READ_TIME_LIMIT,
        passwords=corpus_passwords(root),
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    extractor = Extractor(FixedLatencyBackend(0.0), settings)
    runner = BatchRunner(engine, lambda: extractor, get_schema("invoice"))
    started = time.perf_counter()
    outcomes = list(runner.run_files(corpus_files(root), force=True))
    reader = isolation.readers(settings)
    stats: dict[str, object] = {
        "seconds": time.perf_counter() - started,
        "reader_peak_mb": reader.peak_rss_kb / 1024,
        "reader_restarts": reader.restarts,
        "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    engine.dispose()
    return outcomes, stats


def outcome_label(outcome: FileOutcome) -> str:
    if outcome.status != "failed":
        return outcome.status
    reason = (outcome.error or "unknown").split(":")[0].split("(")[0].strip()
    return "failed: " + re.sub(r"\d+", "N", reason)


def report(root: Path, outcomes: list[FileOutcome], stats: dict[str, object]) -> str:
    from bench.report import machine

    counts = Counter(outcome_label(outcome) for outcome in outcomes)
    slowest = sorted(outcomes, key=lambda outcome: outcome.seconds, reverse=True)[:5]
    lines = [
        "# Robustness: the hostile corpus",
        "",
        f"{len(outcomes)} files of `{root.name}` (every file INDEX.tsv lists) through the embedded",
        "pipeline (`BatchRunner`, SQLite), the PDF stage in its isolated reader "
        f"(read time limit {READ_TIME_LIMIT:g} s,",
        "default memory and decompression limits), the model replaced by the 0 s stand-in.",
        "",
        f"- machine: {machine()}",
        "- command: `python -m bench.robustness`",
        f"- total: {stats['seconds']:.1f} s; every file accounted for: "
        f"{len({outcome.path for outcome in outcomes}) == len(outcomes)}",
        f"- peak memory: reader child {stats['reader_peak_mb']:.0f} MB RSS, "
        f"runner process {stats['parent_peak_mb']:.0f} MB RSS",
        f"- reader children killed or lost: {stats['reader_restarts']}",
        "",
        "| outcome | files |",
        "|---|---:|",
        *(f"| {label} | {count} |" for label, count in sorted(counts.items())),
        "",
        "Slowest files:",
        "",
        "| file | seconds | outcome |",
        "|---|---:|---|",
        *(
            f"| `{outcome.path.relative_to(root)}` | {outcome.seconds:.2f} | "
            f"{outcome_label(outcome)} |"
            for outcome in slowest
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=BAD_PDFS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "INDEX.tsv").is_file():
        sys.exit(f"corpus not found at {args.corpus}")
    with tempfile.TemporaryDirectory() as folder:
        outcomes, stats = run_corpus(args.corpus, f"sqlite:///{folder}/robustness.db")
    text = report(args.corpus, outcomes, stats)
    print(text)
    if not args.no_write:
        REPORT.write_text(text)


if __name__ == "__main__":
    main()
