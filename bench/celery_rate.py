"""Structured-source documents per second through one real Celery worker process.

Copies of the corpus's e-invoices (distinct bytes, so each is its own job) are submitted to a
scratch PostgreSQL database; one `extractor worker --concurrency 1` (real model loaded,
Redis as broker) then works through them. The rate runs from the first job's start to the
last job's finish, as the jobs table records them: claiming, reading, storing and the
queue's round trips are all inside it, the worker's start-up is not. No job may fail, and the
model's token count over all of them is reported (0: it was never asked).

    .venv/bin/python -m bench.celery_rate [--copies 4]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from extractor import client
from extractor.einvoice.embedded import read_einvoice
from extractor.settings import load_settings
from extractor.store.engine import make_engine, upgrade
from extractor.store.jobs import FINAL_STATUSES
from extractor.store.models import ExtractionRun, Job
from tests.integration.batch_support import distinct_pdfs

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "EXTRACTOR_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BROKER_URL = os.environ.get("EXTRACTOR_BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")
EXTRACTOR = Path(sys.executable).parent / "extractor"


@dataclass(frozen=True)
class CeleryRate:
    documents: int
    seconds: float  # first job started to last job finished
    model_tokens: int  # prompt and completion tokens over all runs: 0 means never asked

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds


def measure(corpus: Path, copies: int, tree: Path = ROOT) -> CeleryRate:
    with scratch_database() as database_url, tempfile.TemporaryDirectory() as folder:
        pdfs = distinct_einvoices(corpus, Path(folder), copies)
        upgrade(make_engine(database_url))
        settings = load_settings(database_url=database_url, broker_url=BROKER_URL)
        ids = client.submit(pdfs, "invoice", source="bench", settings=settings)
        with _worker(tree, database_url):
            _wait_for(database_url, len(ids), timeout=60 + 5 * len(ids))
        return _figures(database_url)


@contextmanager
def scratch_database() -> Iterator[str]:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"extractor_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def distinct_einvoices(corpus: Path, folder: Path, copies: int) -> list[Path]:
    """`copies` byte-distinct copies (a metadata tag) of every corpus PDF with an e-invoice."""
    sources = [pdf for pdf in sorted(corpus.rglob("*.pdf")) if read_einvoice(PdfReader(pdf))]
    return distinct_pdfs(sources, folder, copies * len(sources), "celery rate")


@contextmanager
def _worker(tree: Path, database_url: str) -> Iterator[None]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "EXTRACTOR_DATABASE_URL": database_url,
        "EXTRACTOR_BROKER_URL": BROKER_URL,
    }
    with Path(os.devnull).open("w") as sink:
        process = subprocess.Popen(
            [str(EXTRACTOR), "worker", "--concurrency", "1"],
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield
        finally:
            os.killpg(process.pid, 9)
            process.wait()


def _wait_for(database_url: str, count: int, timeout: float) -> None:
    engine = create_engine(database_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with Session(engine) as session:
                done = session.scalar(
                    select(func.count()).where(Job.status.in_([s.value for s in FINAL_STATUSES]))
                )
            if done == count:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the worker finished only {done} of {count} jobs in {timeout:.0f} s")
    finally:
        engine.dispose()


def _figures(database_url: str) -> CeleryRate:
    engine = create_engine(database_url)
    with Session(engine) as session:
        query = select(Job.status, func.count()).group_by(Job.status)
        statuses = {status: count for status, count in session.execute(query)}
        if "failed" in statuses:
            raise RuntimeError(f"an e-invoice failed: {statuses}")
        first, last = session.execute(
            select(func.min(Job.started_at), func.max(Job.finished_at))
        ).one()
        tokens = session.scalar(
            select(func.sum(ExtractionRun.prompt_tokens + ExtractionRun.completion_tokens))
        )
    engine.dispose()
    return CeleryRate(sum(statuses.values()), (last - first).total_seconds(), int(tokens or 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "invoices-dev"
    )
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    rate = measure(args.corpus, args.copies)
    print(
        f"{rate.documents} e-invoices in {rate.seconds:.1f} s through one Celery worker process: "
        f"{rate.per_second:.1f} per second; model tokens: {rate.model_tokens}"
    )


if __name__ == "__main__":
    main()
