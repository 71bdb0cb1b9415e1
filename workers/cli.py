"""The `extractor` command: thin wiring around the library."""

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractor.api import load_extractor
from extractor.db.engine import make_engine, upgrade
from extractor.errors import ExtractorError
from extractor.service import SKIPPED, BatchRunner, FileOutcome, find_pdfs
from extractor.settings import ExtractorSettings, load_settings
from schemas import UnknownSchemaError, get_schema

app = typer.Typer(
    help="Extract validated fields from PDFs with a local model.", no_args_is_help=True
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
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
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("extracting", total=len(files))
            for path in files:
                outcomes.append(runner.run_file(path, force=force))
                progress.advance(task)
    except ExtractorError as error:
        console.print(f"[red]fatal:[/red] {error}")
        raise typer.Exit(code=2) from error
    _print_summary(outcomes)


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
    counts = {status: 0 for status in ("succeeded", "needs_review", "failed", SKIPPED)}
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
