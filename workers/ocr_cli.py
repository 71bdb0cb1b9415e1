"""`extractor ocr check|install`: the local OCR engine (Tesseract, a Debian package)."""

from typing import Annotated

import typer
from rich.console import Console

from extractor.read.ocr.engine import (
    DEBIAN_PACKAGES,
    OcrUnavailableError,
    check_engine,
    engine_version,
)
from extractor.settings import load_settings
from workers.apt import apt_install

ocr_app = typer.Typer(help="The local OCR engine for scanned pages.", no_args_is_help=True)
console = Console()

LanguagesOption = Annotated[
    str | None, typer.Option(help="Tesseract models to check (default: the ocr_languages setting)")
]


@ocr_app.command()
def check(languages: LanguagesOption = None) -> None:
    """Say whether Tesseract and the configured languages are installed (exit 1 if not)."""
    wanted = languages or load_settings().ocr_languages
    try:
        check_engine(wanted)
    except OcrUnavailableError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"{engine_version()}; languages {wanted}: installed")


@ocr_app.command()
def install(languages: LanguagesOption = None) -> None:
    """Install Tesseract and its Latin, English, German and French data with apt-get (as
    root, or through sudo), unless they are installed already."""
    wanted = languages or load_settings().ocr_languages
    try:
        check_engine(wanted)
        console.print(f"{engine_version()}; languages {wanted}: already installed")
        return
    except OcrUnavailableError:
        pass
    apt_install(DEBIAN_PACKAGES, console)
    check(wanted)
