"""compose.yaml describes a closed site: every command it runs exists in the CLI."""

from pathlib import Path

import yaml
from typer.main import get_command

from extractor.read.ocr.engine import DEBIAN_PACKAGES
from tests.conftest import ROOT
from workers.cli import app


def _commands(group: object, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for name, command in getattr(group, "commands", {}).items():
        found.add((*prefix, name))
        found |= _commands(command, (*prefix, name))
    return found


def test_every_compose_command_exists_in_the_cli() -> None:
    compose = yaml.safe_load(Path(ROOT / "compose.yaml").read_text())
    known = _commands(get_command(app))
    services = compose["services"]
    commands = [service["command"] for service in services.values() if "command" in service]
    extractor_commands = [command for command in commands if command[0] == "extractor"]
    assert len(extractor_commands) == 5
    for command in extractor_commands:
        words = tuple(word for word in command[1:] if not word.startswith(("-", "/")))
        assert any(words[: len(path)] == path for path in known), command


def test_the_site_network_has_no_route_out_and_services_are_checked() -> None:
    compose = yaml.safe_load(Path(ROOT / "compose.yaml").read_text())
    assert compose["networks"]["internal"]["internal"] is True
    for name in ("postgres", "redis", "migrate", "worker", "watcher"):
        assert compose["services"][name]["networks"] == ["internal"]
    for name in ("postgres", "redis", "worker"):
        assert "healthcheck" in compose["services"][name]
    assert {"pgdata", "folders"} <= set(compose["volumes"])


def test_the_image_installs_the_ocr_engine_and_its_languages() -> None:
    compose = yaml.safe_load(Path(ROOT / "compose.yaml").read_text())
    build = compose["x-extractor"]["build"]["dockerfile_inline"]
    assert all(package in build.split() for package in DEBIAN_PACKAGES)


def test_the_review_app_is_published_on_this_host_only() -> None:
    compose = yaml.safe_load(Path(ROOT / "compose.yaml").read_text())
    review = compose["services"]["review"]
    assert review["command"][:3] == ["extractor", "review", "serve"]
    assert "internal" in review["networks"]
    assert all(port.startswith("127.0.0.1:") for port in review["ports"])
    assert compose["networks"][next(n for n in review["networks"] if n != "internal")] == {}
    published = [name for name, service in compose["services"].items() if "ports" in service]
    assert published == ["review"]
