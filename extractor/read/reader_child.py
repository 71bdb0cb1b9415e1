"""The isolated PDF reader's child process: `python -m extractor.read.reader_child IN OUT LIMITS`.

It reads requests `[path, password]` (JSON) from pipe IN and answers (JSON, never pickle)
on pipe OUT, one document at a time, until the parent closes IN. Before OCR'ing a page it
sends `["ocr", page]`, so the parent can give that page its own time limit. Its address
space is capped (RLIMIT_AS) at its start-up size plus `memory_mb` (Tesseract inherits the
cap), pypdf's decompression limits are set from the settings, and it logs nothing (pypdf's
warnings can quote a document's bytes). It opens no socket.

A separate interpreter started by `subprocess` (not `multiprocessing`) so that the parent's
main module is never imported again here, and no llama.cpp thread is ever forked.
"""

import json
import logging
import os
import resource
import sys
import warnings
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pypdf import overwrite_configuration
from pypdf.errors import LimitReachedError

from extractor.errors import DamagedPdfError, InputError, LimitExceededError
from extractor.read.ocr.engine import OcrOptions
from extractor.read.pdf import read_pdf

_MB = 1024 * 1024

Answer = tuple[Any, ...]


def main(argv: list[str]) -> None:
    inbox = Connection(int(argv[0]), writable=False)
    outbox = Connection(int(argv[1]), readable=False)
    limits = json.loads(argv[2])
    _quiet()
    _configure_pypdf(limits["max_stream_bytes"])
    _limit_memory(limits["memory_mb"])
    outbox.send_bytes(json.dumps(["ready", os.getpid()]).encode())
    while True:
        try:
            path, password = json.loads(inbox.recv_bytes())
        except (EOFError, OSError, KeyboardInterrupt):
            return
        announce = partial(_announce_ocr, outbox)
        answer = read_one(Path(path), limits, password, on_ocr_page=announce)
        outbox.send_bytes(json.dumps(answer).encode())


def _announce_ocr(outbox: Connection, page: int) -> None:
    outbox.send_bytes(json.dumps(["ocr", page]).encode())


def read_one(
    path: Path,
    limits: dict[str, Any],
    password: str | None,
    on_ocr_page: Callable[[int], None] | None = None,
) -> Answer:
    """("ok", page texts, XML attachments, OCR pages, unread pages, form fields, drawn form
    boxes, page words, peak_kb) or
    ("error", error class name, message, reason, peak_kb)."""
    try:
        document = read_pdf(
            path,
            max_pages=limits["max_pages"],
            max_bytes=limits["max_bytes"],
            password=password,
            ocr=ocr_options(limits),
            on_ocr_page=on_ocr_page,
        )
        scanned = [page.to_json() if page else None for page in document.ocr]
        unread = [[page.page, page.reason] for page in document.unread]
        form, drawn = dict(document.form), dict(document.drawn_form)
        words = [page.to_json() for page in document.words]
        return (
            "ok",
            list(document.pages),
            document.attachments.to_json(),
            scanned,
            unread,
            form,
            drawn,
            words,
            _peak_kb(),
        )
    except LimitExceededError as error:
        return ("error", type(error).__name__, str(error), error.reason, _peak_kb())
    except InputError as error:
        if isinstance(error.__cause__, LimitReachedError):
            message = f"parser limit: {type(error.__cause__).__name__}"
            return ("error", LimitExceededError.__name__, message, "parser", _peak_kb())
        return ("error", type(error).__name__, str(error), None, _peak_kb())
    except MemoryError:
        message = f"memory limit: reading needed more than {limits['memory_mb']} MB"
        return ("error", LimitExceededError.__name__, message, "memory", _peak_kb())
    except Exception as error:  # anything pypdf did not translate is still a damaged input
        message = f"damaged or unreadable PDF ({type(error).__name__})"
        return ("error", DamagedPdfError.__name__, message, None, _peak_kb())


def ocr_options(limits: dict[str, Any]) -> OcrOptions | None:
    return OcrOptions(**limits["ocr"]) if limits["ocr"] is not None else None


def _quiet() -> None:
    logging.getLogger().handlers[:] = [logging.NullHandler()]
    logging.getLogger().setLevel(logging.CRITICAL + 1)
    logging.lastResort = None
    warnings.simplefilter("ignore")


def _configure_pypdf(max_stream_bytes: int) -> None:
    overwrite_configuration(
        maximum_declared_stream_length=max_stream_bytes,
        array_based_stream_maximum_output_length=max_stream_bytes,
        zlib_maximum_output_length=max_stream_bytes,
        lzw_maximum_output_length=max_stream_bytes,
        run_length_maximum_output_length=max_stream_bytes,
        brotli_maximum_output_length=max_stream_bytes,
        jbig2_maximum_output_length=max_stream_bytes,
        image_maximum_buffer_size=max_stream_bytes,
        stream_decoding_work_maximum_length=4 * max_stream_bytes,
        jbig2dec_binary=None,  # never run an external decoder on hostile input
        disable_legacy_handling=True,
    )


def _limit_memory(memory_mb: int) -> None:
    """Address space = what the child uses after start-up + the budget for one document."""
    try:
        with Path("/proc/self/statm").open() as handle:
            baseline = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: the wall-clock limit still holds
    limit = baseline + memory_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main(sys.argv[1:])
