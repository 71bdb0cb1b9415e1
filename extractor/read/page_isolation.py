"""Page images and page words for the review app, made in a short-lived child process
(`extractor.read.page_child`) under a time limit and a memory cap, so that a hostile PDF
that crashes or hangs PDFium takes down only that child, never the app."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import LimitExceededError, ReaderCrashedError
from extractor.read import page_child
from extractor.read.page_child import NO_SUCH_PAGE
from extractor.read.page_words import PageWord, PageWords


@dataclass(frozen=True)
class PageLimits:
    seconds: float = 60.0
    memory_mb: int = 1024


def isolated_page_png(pdf: bytes, page: int, width: int, limits: PageLimits) -> bytes:
    """The page as a PNG (`IndexError` for a page the document lacks)."""
    return _run(["png", str(page), str(width)], pdf, limits)


def isolated_page_words(pdf: bytes, limits: PageLimits) -> list[PageWords]:
    layout = json.loads(_run(["words", "0", "0"], pdf, limits))
    return [
        PageWords(
            page["page"],
            page["width"],
            page["height"],
            tuple(PageWord(text, (x0, y0, x1, y1)) for text, x0, y0, x1, y1 in page["words"]),
        )
        for page in layout
    ]


def _run(arguments: list[str], pdf: bytes, limits: PageLimits) -> bytes:
    script = str(Path(page_child.__file__))
    command = [sys.executable, "-I", script, *arguments, str(limits.memory_mb)]
    try:
        finished = subprocess.run(
            command, input=pdf, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise LimitExceededError(
            f"time: page rendering took over {limits.seconds} s", reason="time"
        ) from error
    if finished.returncode == NO_SUCH_PAGE:
        raise IndexError("no such page")
    if finished.returncode != 0:
        raise ReaderCrashedError(f"page renderer exited with status {finished.returncode}")
    return finished.stdout
