"""`extractor retention apply`: delete stored page text past its retention period now."""

from typing import Annotated

import typer
from rich.console import Console

from extractor.settings import load_settings
from extractor.store.engine import make_engine
from extractor.store.retention import apply_retention

retention_app = typer.Typer(help="Retention of the stored page text.", no_args_is_help=True)
console = Console()

DatabaseOption = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (default from settings)")
]


@retention_app.command()
def apply(database_url: DatabaseOption = None) -> None:
    """Delete page text older than `page_text_retention_days`; extracted fields stay."""
    settings = load_settings(database_url=database_url) if database_url else load_settings()
    engine = make_engine(settings.database_url)
    try:
        purged = apply_retention(engine, settings.page_text_retention_days)
    finally:
        engine.dispose()
    if purged is None:
        console.print("no retention period (page_text_retention_days is 0 or unset): kept")
        return
    pages = "page" if purged == 1 else "pages"
    days = settings.page_text_retention_days
    console.print(f"deleted the text of {purged} {pages} older than {days} days")
