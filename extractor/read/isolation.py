"""The PDF reading stage in a child process that can be stopped: limits that hold even inside
C code and in pathological pure-Python loops.

One long-lived child per process (`extractor.read.reader_child`, a fresh interpreter: nothing is
forked from a process that holds llama.cpp threads, and the model stays loaded here) reads
documents one at a time. In the child, RLIMIT_AS caps the memory a document may add and
pypdf's own decompression limits are set from the settings. The parent waits at most
`read_time_limit` seconds for an answer, and `ocr_page_seconds` more for each page the
child says it is OCR'ing; a child that does not answer in time is killed, and the next read
starts a fresh one.

Every outcome is a `DocumentText` or a typed `InputError`: `LimitExceededError` (reason
"size", "pages", "time", "memory" or "parser"), `ReaderCrashedError`, or the errors of
`extractor.read.pdf`. Passwords travel to the child through a pipe and are never logged.
"""

import atexit
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from extractor import errors
from extractor.errors import InputError, LimitExceededError, ReaderCrashedError
from extractor.read.attachments import Attachments
from extractor.read.ocr.engine import OcrOptions, OcrPage
from extractor.read.page_words import PageWords
from extractor.read.pdf import DocumentText, UnreadPage
from extractor.settings import ExtractorSettings

_START_TIMEOUT = 120.0  # seconds for a fresh child to import pypdf and say it is ready

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadLimits:
    max_pages: int
    max_bytes: int
    time_limit: float
    memory_mb: int
    max_stream_bytes: int
    ocr: OcrOptions | None = None  # None: OCR is off

    @classmethod
    def from_settings(cls, settings: ExtractorSettings) -> "ReadLimits":
        return cls(
            max_pages=settings.max_pages,
            max_bytes=settings.max_file_bytes,
            time_limit=settings.read_time_limit,
            memory_mb=settings.read_memory_mb,
            max_stream_bytes=settings.max_stream_bytes,
            ocr=OcrOptions(settings.ocr_languages, settings.ocr_dpi, settings.ocr_page_seconds)
            if settings.ocr
            else None,
        )


class IsolatedReader:
    """`read_pdf` in a replaceable child process, under a wall-clock and a memory limit."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.restarts = 0  # children killed or lost, for reports
        self.peak_rss_kb = 0  # the largest resident size a child reached
        self._process: subprocess.Popen[bytes] | None = None
        self._inbox: Connection | None = None  # answers from the child
        self._outbox: Connection | None = None  # requests to the child
        self._owner = os.getpid()
        self._lock = threading.Lock()

    @property
    def child_pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def read(self, path: Path, *, password: str | None = None) -> DocumentText:
        with self._lock:
            outbox, inbox = self._child()
            try:
                outbox.send_bytes(json.dumps([str(path), password]).encode())
            except OSError as error:
                self._stop()
                raise ReaderCrashedError("the PDF reader process is gone") from error
            answer = self._answer(inbox)
        return self._unpack(answer)

    def _answer(self, inbox: Connection) -> list[Any]:
        """The child's answer, waiting `time_limit` for it, and `ocr_page_seconds` more
        after each page the child announces it is OCR'ing."""
        wait, ocr_pages = self.limits.time_limit, 0
        while True:
            if not inbox.poll(wait):
                self._stop()
                limit = f"{self.limits.time_limit:g} s"
                if ocr_pages and self.limits.ocr is not None:
                    limit += f" + {self.limits.ocr.page_seconds:g} s per OCR'd page"
                raise LimitExceededError(
                    f"time limit: reading took longer than {limit}", reason="time"
                )
            try:
                answer: list[Any] = json.loads(inbox.recv_bytes())
            except (EOFError, OSError) as error:
                code = self._stop()
                raise ReaderCrashedError(
                    f"the PDF reader process ended while reading (exit code {code})"
                ) from error
            if answer[0] != "ocr":
                return answer
            ocr_pages += 1
            wait = self.limits.ocr.page_seconds if self.limits.ocr is not None else wait

    def start(self) -> None:
        """Start the child now (it would otherwise start on the first read)."""
        with self._lock:
            self._child()

    def close(self) -> None:
        with self._lock:
            self._stop(restart=False)

    def _unpack(self, answer: list[Any]) -> DocumentText:
        """JSON, not pickle: the child handles hostile input, so its answers are only data."""
        kind, payload, peak_kb = answer[0], answer[1:-1], answer[-1]
        self.peak_rss_kb = max(self.peak_rss_kb, int(peak_kb))
        if kind == "ok":
            pages, attachments, scanned, unread, form, drawn, words = payload
            return DocumentText(
                tuple(str(page) for page in pages),
                attachments=Attachments.from_json(attachments),
                ocr=tuple(OcrPage.from_json(page) if page else None for page in scanned),
                unread=tuple(UnreadPage(int(page), str(reason)) for page, reason in unread),
                form={str(name): str(value) for name, value in form.items()},
                drawn_form={str(name): str(value) for name, value in drawn.items()},
                words=tuple(PageWords.from_json(page) for page in words),
            )
        name, message, reason = payload
        if name == LimitExceededError.__name__:
            raise LimitExceededError(message, reason=reason)
        error_class = getattr(errors, name, InputError)
        if not (isinstance(error_class, type) and issubclass(error_class, InputError)):
            error_class = InputError
        raise error_class(message)

    def _child(self) -> tuple[Connection, Connection]:
        if self._owner != os.getpid():  # inherited through a fork: that child is not ours
            self._process = self._inbox = self._outbox = None
            self._owner = os.getpid()
        if self._process is not None and self._inbox is not None and self._outbox is not None:
            if self._process.poll() is None:
                return self._outbox, self._inbox
            self._stop()
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        command = [sys.executable, "-m", "extractor.read.reader_child", str(request_read),
                   str(answer_write), json.dumps(asdict(self.limits))]  # fmt: skip
        try:
            self._process = subprocess.Popen(
                command, pass_fds=(request_read, answer_write), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        finally:
            os.close(request_read)
            os.close(answer_write)
        self._outbox = Connection(request_write, readable=False)
        self._inbox = Connection(answer_read, writable=False)
        try:
            if not self._inbox.poll(_START_TIMEOUT):
                raise EOFError
            self._inbox.recv_bytes()
        except (EOFError, OSError) as error:
            self._stop()
            raise ReaderCrashedError("the PDF reader process did not start") from error
        logger.debug("PDF reader process %s started", self._process.pid)
        return self._outbox, self._inbox

    def _stop(self, *, restart: bool = True) -> int | None:
        """Kill the child (if any) and forget it; returns its exit code."""
        process, connections = self._process, (self._inbox, self._outbox)
        self._process = self._inbox = self._outbox = None
        for connection in connections:
            if connection is not None:
                connection.close()
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        code = process.wait(timeout=10)
        if restart:
            self.restarts += 1
            logger.warning("PDF reader process %s stopped (exit code %s)", process.pid, code)
        return code


class ReaderPool:
    """`size` isolated readers: each read takes an idle one, so up to `size` documents are
    read at once (by threads that wait on their child without holding the GIL)."""

    def __init__(self, limits: ReadLimits, size: int) -> None:
        self.limits = limits
        self.size = size
        self._readers = [IsolatedReader(limits) for _ in range(size)]
        self._idle: queue.SimpleQueue[IsolatedReader] = queue.SimpleQueue()
        for reader in self._readers:
            self._idle.put(reader)

    @property
    def restarts(self) -> int:
        return sum(reader.restarts for reader in self._readers)

    @property
    def peak_rss_kb(self) -> int:
        return max(reader.peak_rss_kb for reader in self._readers)

    @property
    def child_pids(self) -> list[int]:
        return [pid for reader in self._readers if (pid := reader.child_pid) is not None]

    def read(self, path: Path, *, password: str | None = None) -> DocumentText:
        reader = self._idle.get()
        try:
            return reader.read(path, password=password)
        finally:
            self._idle.put(reader)

    def start(self) -> None:
        for reader in self._readers:
            reader.start()

    def close(self) -> None:
        for reader in self._readers:
            reader.close()


_pool: ReaderPool | None = None
_pool_lock = threading.Lock()


def reader_for(limits: ReadLimits, size: int) -> ReaderPool:
    """This process's readers for these limits and this many processes."""
    global _pool
    with _pool_lock:
        if _pool is None or (_pool.limits, _pool.size) != (limits, size):
            if _pool is not None:
                _pool.close()
            _pool = ReaderPool(limits, size)
        return _pool


def readers(settings: ExtractorSettings) -> ReaderPool:
    return reader_for(ReadLimits.from_settings(settings), settings.read_processes)


def read_document(
    path: Path, settings: ExtractorSettings, *, password: str | None = None
) -> DocumentText:
    """Read a PDF's text in an isolated reader, under the limits from `settings`."""
    return readers(settings).read(path, password=password)


def _close_readers() -> None:
    if _pool is not None:  # a forked child has forgotten its parent's pool (below)
        _pool.close()


def _forget_readers() -> None:
    global _pool
    _pool = None


atexit.register(_close_readers)
os.register_at_fork(after_in_child=_forget_readers)
