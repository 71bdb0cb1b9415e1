"""`extractor review serve|adduser|install-browser`."""

import subprocess
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from extractor.settings import load_settings
from extractor.store.engine import make_engine, upgrade
from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role
from workers.apt import apt_install
from workers.review.app import create_app
from workers.review.security import hash_password

review_app = typer.Typer(help="The review app: check and correct documents.", no_args_is_help=True)
console = Console()

BROWSER_PACKAGES = ("chromium", "chromium-driver")  # Debian: headless browser tests


@review_app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address (default: review_host)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default: review_port)")] = None,
) -> None:
    """Serve the review app (127.0.0.1:8080 unless the settings say otherwise)."""
    settings = load_settings()
    app = create_app(settings)
    console.print(
        f"review app on http://{host or settings.review_host}:{port or settings.review_port}/"
    )
    # no access log: its lines carry query strings (a supplier filter is a document value)
    uvicorn.run(
        app,
        host=host or settings.review_host,
        port=port or settings.review_port,
        access_log=False,
        log_level="warning",
    )


@review_app.command()
def adduser(
    name: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[Role, typer.Option(help="reviewer: may confirm and reject")] = Role.REVIEWER,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Add a user (or set an existing user's password and role); migrates the database."""
    if len(password) < 8:
        raise typer.BadParameter("a password has at least 8 characters")
    engine = make_engine(load_settings().database_url)
    upgrade(engine)
    ReviewStore(engine).save_user(name, hash_password(password), role)
    engine.dispose()
    console.print(f"user {name}: {role.value}")


@review_app.command("install-browser")
def install_browser() -> None:
    """Install headless Chromium and its WebDriver with apt-get (for the browser tests)."""
    if all(_installed(package) for package in BROWSER_PACKAGES):
        console.print("chromium and chromium-driver: already installed")
        return
    apt_install(BROWSER_PACKAGES, console)


def _installed(package: str) -> bool:
    query = ["dpkg-query", "-W", "-f", "${Status}", package]
    finished = subprocess.run(query, capture_output=True, text=True, check=False)
    return finished.stdout.strip() == "install ok installed"
