"""`extractor export --fhir OUT_DIR`: the stored results as FHIR R4 Bundles."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from extractor.errors import DatabaseError
from extractor.settings import load_settings
from extractor.store.worker_queue import WorkerQueue
from schemas import REGISTRY

console = Console()


def export(
    fhir: Annotated[
        Path,
        typer.Option("--fhir", help="folder for one FHIR R4 Bundle per document: SHA256.fhir.json"),
    ],
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="SQLAlchemy URL (default from settings)")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="only results of this schema (default: all)")
    ] = None,
) -> None:
    """Export the stored results: one FHIR R4 Bundle per document, from its latest run that
    did not fail (or its latest run, when all failed)."""
    if schema is not None and schema not in REGISTRY:  # "auto" is no stored schema either
        known = ", ".join(sorted(REGISTRY))
        raise typer.BadParameter(f"unknown schema {schema!r}; known: {known}")
    try:
        settings = load_settings(database_url=database_url) if database_url else load_settings()
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    queue = WorkerQueue(settings.database_url)
    try:
        written = queue.export_fhir(fhir, schema=schema)
    except DatabaseError as error:  # the message could quote stored values: name the type
        console.print(f"[red]database error:[/red] {type(error.__cause__).__name__}")
        raise typer.Exit(code=1) from error
    finally:
        queue.close()
    console.print(f"wrote {len(written)} FHIR bundles to {fhir}")
