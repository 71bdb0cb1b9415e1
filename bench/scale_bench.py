"""Batch throughput through Redis and PostgreSQL with real `extractor worker` processes.

1. With the model replaced by the fixed-latency stand-in, jobs per second for 1, 2, 4 and 8
   worker processes: if the queue and the database are not the bottleneck, throughput grows
   with the processes.
2. With the real model on this machine's cores: one process with all threads against one
   process per core with one thread each: documents per minute and queue latency.

Needs PostgreSQL (EXTRACTOR_TEST_POSTGRES_URL or the local default) and `redis-server`.

    python -m bench.scale_bench [--no-write] [--skip-model]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import extractor
from bench.report import machine, write_block
from extractor.settings import load_settings
from extractor.store.engine import make_engine, upgrade
from extractor.store.models import Job
from tests.conftest import POSTGRES_URL, SAMPLES
from tests.integration.batch_support import (
    RedisServer,
    distinct_pdfs,
    free_port,
    running_workers,
)

STAND_IN_LATENCY = 0.05  # seconds per model call; 18 calls per invoice
RESET = "TRUNCATE jobs, document_contents, field_values, extraction_runs, documents CASCADE"


def measure(database: str, redis: RedisServer, files: list[Path], processes: int,
            **settings: str) -> dict[str, float]:  # fmt: skip
    """Run one batch; jobs/s between the first start and the last finish, and latencies."""
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(text(RESET))
    config = load_settings(database_url=database, broker_url=redis.url)
    with running_workers(database, redis.url, concurrency=processes, **settings):
        ids = extractor.submit(files, settings=config)
        extractor.wait(ids, timeout=3600, settings=config)
    with Session(engine) as session:
        jobs = list(session.scalars(select(Job)))
    engine.dispose()
    first = min(job.started_at for job in jobs if job.started_at)
    last = max(job.finished_at for job in jobs if job.finished_at)
    span = (last - first).total_seconds()
    return {
        "jobs": len(jobs),
        "per_second": len(jobs) / span,
        "queue_latency": statistics.mean(
            (job.started_at - job.queued_at).total_seconds() for job in jobs if job.started_at
        ),
        "service": statistics.mean(
            (job.finished_at - job.started_at).total_seconds()
            for job in jobs
            if job.finished_at and job.started_at
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--skip-model", action="store_true")
    args = parser.parse_args()
    samples = sorted(SAMPLES.glob("*.pdf"))
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"extractor_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(database)
    upgrade(engine)
    engine.dispose()
    redis = RedisServer(free_port())
    redis.start()
    rows: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            base = None
            for processes in (1, 2, 4, 8):
                files = distinct_pdfs(samples, Path(folder) / f"p{processes}", 24 * processes,
                                      f"scale{processes}")  # fmt: skip
                figures = measure(
                    database, redis, files, processes,
                    EXTRACTOR_MODEL_BACKEND="fixed-latency",
                    EXTRACTOR_FIXED_LATENCY_SECONDS=str(STAND_IN_LATENCY),
                    EXTRACTOR_N_THREADS="1",
                )  # fmt: skip
                base = base or figures["per_second"]
                rows.append(
                    f"| stand-in, {processes} process(es) | {figures['jobs']:.0f} | "
                    f"{figures['per_second'] * 60:.1f} | {figures['per_second'] / base:.2f}x | "
                    f"{figures['queue_latency']:.2f} | {figures['service']:.2f} |"
                )
                print(rows[-1], file=sys.stderr)
            cores = os.cpu_count() or 1
            layouts = [] if args.skip_model else [(1, cores), (cores, 1)]
            for processes, threads in layouts:
                files = distinct_pdfs(samples, Path(folder) / f"m{processes}", 8,
                                      f"model{processes}")  # fmt: skip
                figures = measure(database, redis, files, processes,
                                  EXTRACTOR_MODEL_BACKEND="llama",
                                  EXTRACTOR_N_THREADS=str(threads),
                                  EXTRACTOR_STALE_AFTER_SECONDS="120")  # fmt: skip
                rows.append(
                    f"| real model, {processes} process(es) x {threads} thread(s) | "
                    f"{figures['jobs']:.0f} | {figures['per_second'] * 60:.1f} | - | "
                    f"{figures['queue_latency']:.1f} | {figures['service']:.1f} |"
                )
                print(rows[-1], file=sys.stderr)
    finally:
        redis.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    report = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
            "",
            "Command: `.venv/bin/python -m bench.scale_bench`",
            "",
            f"Stand-in: {STAND_IN_LATENCY} s per model call (18 calls per invoice), no CPU.",
            "",
            "| setup | jobs | jobs per minute | vs 1 process | mean wait, submit to start (s) | "
            "mean time per job (s) |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(report)
    if not args.no_write:
        write_block("scale", report)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"finished in {time.perf_counter() - started:.0f} s", file=sys.stderr)
