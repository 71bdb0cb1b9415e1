"""`extractor train [FOLDER] [--reviews]`: refit the candidate scorer on a user's own labelled
documents and on what reviewers confirmed."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from extractor.evaluate.training import FieldExample, field_examples, labelled_examples
from extractor.learn.fit import fit_scorer
from extractor.settings import ExtractorSettings, load_settings
from extractor.store.batch import find_pdfs
from extractor.store.engine import make_engine
from extractor.store.review_store import ReviewStore
from schemas import SchemaSpec, UnknownSchemaError, get_schema

console = Console()


def train(
    folder: Annotated[
        Path | None,
        typer.Argument(help="labelled PDFs: NAME.truth.json beside each, or e-invoices"),
    ] = None,
    reviews: Annotated[
        bool, typer.Option(help="also learn from the documents reviewers confirmed")
    ] = False,
    out: Annotated[Path, typer.Option(help="where to write the weights")] = Path("scorer.json"),
    schema: Annotated[str, typer.Option(help="document schema")] = "invoice",
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL of the reviews (default from settings)")
    ] = None,
) -> None:
    """Fit the candidate scorer's weights; point `scorer_path` at the file it writes."""
    if folder is None and not reviews:
        raise typer.BadParameter("give a labelled FOLDER, --reviews, or both")
    try:
        spec = get_schema(schema)
    except UnknownSchemaError as error:
        raise typer.BadParameter(str(error)) from error
    settings = load_settings(database_url=database_url) if database_url else load_settings()
    examples: list[FieldExample] = []
    if folder is not None:
        found, skipped = labelled_examples(find_pdfs([folder]), spec, settings)
        examples.extend(found)
        for pdf, why in skipped:
            console.print(f"left out {pdf.name}: {why}")
    if reviews:
        examples.extend(_reviewed_examples(spec, settings))
    documents = len({example.document for example in examples})
    if not documents:
        console.print("no labelled document to learn from")
        raise typer.Exit(1)
    sources: dict[str, Any] = {"schema": spec.name, "reviews": reviews}
    if folder is not None:
        sources["folder"] = folder.name
    scorer = fit_scorer(examples, sources)
    if not scorer.fields:
        console.print(f"{documents} documents: too few to fit any field (no weights written)")
        raise typer.Exit(1)
    scorer.save(out)
    console.print(
        f"fitted {', '.join(sorted(scorer.fields))} on {documents} documents -> {out}\n"
        f"use them: EXTRACTOR_SCORER_PATH={out} (or scorer_path in extractor.toml)"
    )


def _reviewed_examples(spec: SchemaSpec, settings: ExtractorSettings) -> list[FieldExample]:
    store = ReviewStore(make_engine(settings.database_url))
    return [
        example
        for name, document, truth in store.reviewed_documents(spec.name)
        for example in field_examples(name, document, truth, spec)
    ]
