"""The `extractor` command: thin wiring around the library."""

import json
import logging
import os
import resource
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractor import client
from extractor.api import load_extractor
from extractor.errors import ExtractorError
from extractor.evaluate import harness
from extractor.model.packaged import PACKAGED_MODELS
from extractor.result import Status
from extractor.schema_walk import leaves
from extractor.settings import ExtractorSettings, load_settings
from extractor.store.batch import SKIPPED, BatchRunner, FileOutcome, find_pdfs
from extractor.store.engine import make_engine, upgrade
from extractor.store.worker_queue import WorkerQueue
from schemas import UnknownSchemaError, get_schema
from workers import eval_report
from workers.export_cli import export
from workers.ocr_cli import ocr_app
from workers.retention_cli import retention_app
from workers.review.cli import review_app
from workers.train_cli import train

app = typer.Typer(
    help="Extract validated fields from PDFs with a local model.", no_args_is_help=True
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(ocr_app, name="ocr")
app.add_typer(retention_app, name="retention")
app.add_typer(review_app, name="review")
app.command()(export)
app.command()(train)
console = Console()

DatabaseOption = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (default from settings)")
]


def _settings(database_url: str | None) -> ExtractorSettings:
    return load_settings(database_url=database_url) if database_url else load_settings()


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


@app.command()
def run(
    paths: Annotated[
        list[Path], typer.Argument(help="PDF files or folders (searched recursively)")
    ],
    schema: Annotated[str, typer.Option(help="document schema")] = "invoice",
    force: Annotated[bool, typer.Option(help="extract again even if already stored")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Extract PDFs in this process and store the results in the database."""
    try:
        spec = get_schema(schema)
        settings = _settings(database_url)
        engine = make_engine(settings.database_url)
        upgrade(engine)
    except (UnknownSchemaError, ExtractorError, ValueError) as error:
        raise typer.BadParameter(str(error)) from error
    files = find_pdfs(paths)
    if not files:
        console.print("No PDF files found.")
        raise typer.Exit(code=1)
    runner = BatchRunner(engine, lambda: load_extractor(settings), spec)
    outcomes: list[FileOutcome] = []
    try:
        with _progress() as progress:
            task = progress.add_task("extracting", total=len(files))
            for outcome in runner.run_files(files, force=force):
                outcomes.append(outcome)
                progress.advance(task)
    except ExtractorError as error:
        console.print(f"[red]fatal:[/red] {error}")
        raise typer.Exit(code=2) from error
    _print_summary(outcomes)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _print_summary(outcomes: list[FileOutcome]) -> None:
    table = Table(title="Extraction results")
    for column in ("file", "status", "seconds", "run", "first error"):
        table.add_column(column)
    for outcome in outcomes:
        table.add_row(
            outcome.path.name,
            outcome.status,
            f"{outcome.seconds:.2f}",
            str(outcome.run_id or ""),
            outcome.error or "",
        )
    console.print(table)
    extracted = [status for status in Status if status != Status.REJECTED]  # only a person rejects
    counts = {status: 0 for status in (*extracted, SKIPPED)}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    processed = [o.seconds for o in outcomes if o.status != SKIPPED]
    mean = sum(processed) / len(processed) if processed else 0.0
    console.print(
        ", ".join(f"{status}: {count}" for status, count in counts.items())
        + f"; {mean:.2f} s per extracted document"
    )


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOption = None) -> None:
    """Create or migrate the database schema to the latest version."""
    settings = _settings(database_url)
    upgrade(make_engine(settings.database_url))
    console.print("database is up to date")


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="worker processes (default: setting worker_concurrency)")
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Start a Celery worker: model loaded once per process, jobs taken from Redis."""
    settings = _settings(database_url)
    processes = concurrency or settings.worker_concurrency
    cores = os.cpu_count() or 1
    if "EXTRACTOR_N_THREADS" not in os.environ:  # processes x threads must not exceed the cores
        os.environ["EXTRACTOR_N_THREADS"] = str(max(1, cores // processes))
    if database_url:
        os.environ["EXTRACTOR_DATABASE_URL"] = database_url
    from workers.celery_app import QUEUE, configure

    celery = configure(load_settings())
    celery.worker_main(
        ["worker", "--pool=prefork", f"--concurrency={processes}", f"--queues={QUEUE}",
         "--loglevel=INFO", "--without-gossip", "--without-mingle"]
    )  # fmt: skip


@app.command()
def submit(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders, searched recursively")],
    schema: Annotated[str, typer.Option(help="document schema")] = "invoice",
    wait: Annotated[bool, typer.Option(help="wait for the jobs and show progress")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Submit files as jobs for the workers; prints the job ids."""
    settings = _settings(database_url)
    try:
        ids = client.submit(paths, schema, source="cli", settings=settings)
    except (UnknownSchemaError, ExtractorError) as error:
        raise typer.BadParameter(str(error)) from error
    console.print(f"submitted {len(ids)} jobs: {', '.join(map(str, ids))}")
    if wait and ids:
        _follow(ids, settings)


def _follow(ids: list[int], settings: ExtractorSettings) -> None:
    with _progress() as progress:
        task = progress.add_task("jobs finished", total=len(ids))
        while True:
            infos = [client.status(job_id, settings=settings) for job_id in ids]
            progress.update(task, completed=sum(info.finished for info in infos))
            if all(info.finished for info in infos):
                break
            time.sleep(1.0)
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.status] = counts.get(info.status, 0) + 1
    console.print(", ".join(f"{status}: {count}" for status, count in sorted(counts.items())))


@app.command()
def status(database_url: DatabaseOption = None) -> None:
    """Jobs by status, queue depth, throughput and the oldest waiting job."""
    settings = _settings(database_url)
    queue = WorkerQueue(settings.database_url)
    try:
        summary = queue.summary()
    finally:
        queue.close()
    table = Table(title="Jobs")
    table.add_column("status")
    table.add_column("count", justify="right")
    for name, count in summary.counts.items():
        table.add_row(name, str(count))
    console.print(table)
    console.print(f"queue depth (Redis): {_queue_depth(settings)}")
    console.print(f"finished in the last hour: {summary.finished_last_hour}")
    oldest = summary.oldest_queued_at
    console.print(f"oldest waiting job queued at: {oldest.isoformat() if oldest else '-'}")


def _queue_depth(settings: ExtractorSettings) -> str:
    import redis

    from workers.celery_app import QUEUE

    try:
        return str(redis.Redis.from_url(settings.broker_url, socket_timeout=2).llen(QUEUE))
    except redis.RedisError as error:
        return f"unavailable ({type(error).__name__})"


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="the inbox folder", file_okay=False)],
    schema: Annotated[
        str, typer.Option(help="schema for files at the top level; auto: chosen per document")
    ] = "auto",
    settle: Annotated[float, typer.Option(help="seconds a file must stay unchanged")] = 2.0,
    rescan: Annotated[float, typer.Option(help="seconds between full rescans")] = 30.0,
    poll: Annotated[bool, typer.Option(help="poll instead of OS events (network shares)")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Watch a folder: settled files become jobs, finished files move to processed/ or failed/."""
    from workers.watcher import FolderWatcher

    folder.mkdir(parents=True, exist_ok=True)
    settings = _settings(database_url)
    console.print(f"watching {folder} (Ctrl-C to stop)")
    try:
        FolderWatcher(
            folder, settings, default_schema=schema, settle_seconds=settle,
            rescan_seconds=rescan, polling=poll,
        ).run()  # fmt: skip
    except KeyboardInterrupt:
        console.print("stopped")


@app.command(name="eval")
def evaluate_folder(
    folder: Annotated[Path, typer.Argument(help="labelled PDFs: NAME.truth.json or e-invoices")],
    schema: Annotated[str, typer.Option(help="document schema")] = "invoice",
    without_xml: Annotated[
        bool, typer.Option(help="remove embedded e-invoices first: score the text path")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            help="GGUF file, or a packaged model (smollm2-135m, gemma3-270m), to evaluate "
            "instead of the configured one"
        ),
    ] = None,
    use_model: Annotated[
        bool, typer.Option(help="--no-use-model: the layout rules alone, as a baseline")
    ] = True,
    json_out: Annotated[Path | None, typer.Option(help="also write the figures as JSON")] = None,
) -> None:
    """Score extraction on a labelled folder: per-field accuracy, hallucinations, confidence."""
    try:
        spec = get_schema(schema)
        overrides: dict[str, object] = {"use_model": use_model}
        if model in PACKAGED_MODELS:
            overrides["model"] = model
        elif model is not None:
            overrides["model_path"] = Path(model)
        settings = load_settings(**overrides)
        extractor = load_extractor(settings)
    except (UnknownSchemaError, ExtractorError, ValueError) as error:
        raise typer.BadParameter(str(error)) from error
    files = find_pdfs([folder])
    with _progress() as progress:
        task = progress.add_task("evaluating", total=len(files))
        report = harness.evaluate(
            files,
            extractor,
            spec,
            without_xml=without_xml,
            on_document=lambda _: progress.advance(task),
        )
    templates = [leaf.template for leaf in leaves(spec.model)]
    figures = harness.summary(report, templates, spec.cues.core_fields)
    backend = extractor.backend
    figures["model"] = {
        "sha256": backend.model_sha256,
        "prompt_format": backend.prompt_format,
        "context_tokens": backend.context_tokens,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    console.print(eval_report.field_table(figures, spec.cues.core_fields))
    console.print(eval_report.totals_table(figures))
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=2))
