"""Shared by the benchmarks: the machine's description and docs/benchmarks.md blocks."""

import os
import platform
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores, {memory_gib:.0f} GiB, Python {python}"


def write_block(name: str, report: str) -> None:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->` (or append it)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    if start not in text:
        text = f"{text.rstrip()}\n\n{start}\n{end}\n"
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    DOCS.write_text(f"{before}{start}\n{report}\n{end}{after}")


def percent(pair: list[int] | tuple[int, int]) -> str:
    """'83' for (5, 6); '-' when nothing was scored."""
    return f"{100 * pair[0] / pair[1]:.0f}" if pair and pair[1] else "-"


def rate(pair: list[int] | tuple[int, int]) -> str:
    """'5/6 (83.3%)' for (5, 6); '-' when nothing was scored."""
    return f"{pair[0]}/{pair[1]} ({100 * pair[0] / pair[1]:.1f}%)" if pair and pair[1] else "-"
