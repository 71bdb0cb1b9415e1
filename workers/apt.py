"""Installing Debian packages the project needs (Tesseract, headless Chromium) with apt-get,
as root or through sudo."""

import os
import subprocess
from collections.abc import Sequence

import typer
from rich.console import Console


def apt_install(packages: Sequence[str], console: Console) -> None:
    """`apt-get update` then install `packages` without recommends; exit 1 if apt-get fails."""
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        [*sudo, "apt-get", "update", "-q"],
        [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *packages],
    ):
        console.print("+ " + " ".join(command))
        if subprocess.run(command, env=environment, check=False).returncode != 0:
            console.print("[red]apt-get failed[/red]")
            raise typer.Exit(1)
