"""The Tesseract command (Debian package `tesseract-ocr`), run as a subprocess.

The page image goes in on stdin and the words come out on stdout as TSV, so no page image or
text is ever written to a temporary file. One thread per run: measured 1.6 s against 3.0 s
a page with Tesseract's default OpenMP threads on 2 cores, and the reader processes already
OCR pages side by side.
"""

import csv
import io
import os
import shutil
import subprocess
from functools import cache
from typing import Any

from PIL import Image

COMMAND = "tesseract"
_ENVIRONMENT = {"OMP_THREAD_LIMIT": "1"}
_NUMERIC = ("block_num", "par_num", "line_num", "left", "top", "width", "height")
_INSTALL_HINT = "Debian: apt-get install tesseract-ocr, or `extractor ocr install`"


class TesseractMissingError(Exception):
    """The `tesseract` command is not installed or does not run."""


class TesseractRunError(Exception):
    """One run failed or ran out of time; the message says which, never what was read."""


def version() -> str:
    return _run_text([_executable(), "--version"]).splitlines()[0]


@cache
def languages() -> frozenset[str]:
    """The models `tesseract --list-langs` lists ('Latin', 'eng', ...)."""
    listed = _run_text([_executable(), "--list-langs"]).splitlines()[1:]
    return frozenset(line.strip() for line in listed if line.strip())


def words(
    image: Image.Image, *, languages: str, layout: int, seconds: float
) -> dict[str, list[Any]]:
    """Tesseract's words, column by column as in its TSV output (`text`, `conf`, boxes and
    the block, paragraph and line each word belongs to)."""
    picture = io.BytesIO()
    image.convert("L").save(picture, format="PPM")  # uncompressed: nothing to encode
    command = [_executable(), "stdin", "stdout", "-l", languages, "--psm", str(layout), "tsv"]
    try:
        done = subprocess.run(
            command,
            input=picture.getvalue(),
            capture_output=True,
            timeout=seconds,
            env={**os.environ, **_ENVIRONMENT},
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise TesseractRunError(f"OCR took longer than {seconds:g} s") from error
    except OSError as error:
        raise TesseractMissingError(f"OCR engine does not run ({_INSTALL_HINT})") from error
    if done.returncode != 0:
        raise TesseractRunError(f"OCR failed (Tesseract exit status {done.returncode})")
    return _columns(done.stdout.decode("utf-8", errors="replace"))


def _columns(tsv: str) -> dict[str, list[Any]]:
    rows = list(csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        return {name: [] for name in (*_NUMERIC, "conf", "text")}
    header, body = rows[0], [row for row in rows[1:] if len(row) == len(rows[0])]
    columns: dict[str, list[Any]] = {
        name: [row[i] for row in body] for i, name in enumerate(header)
    }
    for name in _NUMERIC:
        columns[name] = [int(value) for value in columns[name]]
    columns["conf"] = [float(value) for value in columns["conf"]]
    return columns


def _executable() -> str:
    found = shutil.which(COMMAND)
    if found is None:
        raise TesseractMissingError(f"OCR engine not installed ({_INSTALL_HINT})")
    return found


def _run_text(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        raise TesseractMissingError(f"OCR engine does not run ({_INSTALL_HINT})") from error
    return done.stdout
