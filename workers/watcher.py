"""The watched folder: files dropped into it become jobs; finished files move out.

    inbox/                      schema chosen per document (`schema="auto"`), unless set
    inbox/<schema>/...          a first-level folder named after a schema selects it
    inbox/processed/...         finished with a result (moved only after the database has it)
    inbox/failed/...            failed, with `<name>.reason.txt` beside it

A file is taken only once its size and modification time have not changed for
`settle_seconds`. Hidden, temporary and partial files and links are ignored. The folder is
scanned at start, on every file-system event (watchdog; polling for network shares) and
periodically, because events get lost. Restarting is safe: a file still in the inbox is
submitted again and gets its existing job back.
"""

import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from extractor import client
from extractor.errors import ExtractorError
from extractor.settings import ExtractorSettings
from extractor.store.jobs import JobStatus
from schemas import AUTO, REGISTRY
from workers.names import REASON_SUFFIX, fit_name

PROCESSED, FAILED = "processed", "failed"
_PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".filepart", ".swp")
_PARTIAL_PREFIXES = (".", "~$", "~")

logger = logging.getLogger(__name__)


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


class _Wake(FileSystemEventHandler):
    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.event.set()


class FolderWatcher:
    def __init__(
        self,
        root: Path,
        settings: ExtractorSettings,
        *,
        default_schema: str = AUTO,
        settle_seconds: float = 2.0,
        rescan_seconds: float = 30.0,
        polling: bool = False,
    ) -> None:
        self.root = root.resolve()
        self.settings = settings
        self.default_schema = default_schema
        self.settle_seconds = settle_seconds
        self.rescan_seconds = rescan_seconds
        self.polling = polling
        self._seen: dict[Path, _Seen] = {}
        self._jobs: dict[Path, int] = {}
        self._wake = threading.Event()

    def run(self, stop: threading.Event | None = None) -> None:
        """Watch until `stop` is set (forever without one)."""
        stop = stop or threading.Event()
        for folder in (PROCESSED, FAILED):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        observer = PollingObserver() if self.polling else Observer()
        observer.schedule(_Wake(self._wake), str(self.root), recursive=True)
        observer.start()
        last_scan = 0.0
        try:
            while not stop.is_set():
                if self._wake.is_set() or time.monotonic() - last_scan > self.rescan_seconds:
                    self._wake.clear()
                    last_scan = time.monotonic()
                self.step()
                self._wake.wait(timeout=min(0.5, self.settle_seconds / 2))
        finally:
            observer.stop()
            observer.join()

    def step(self) -> None:
        """One pass: submit settled files, move files whose jobs have finished."""
        for path in self._candidates():
            if path not in self._jobs and self._settled(path):
                self._submit(path)
        self._collect_finished()

    def _candidates(self) -> list[Path]:
        found = []
        for path in self.root.rglob("*"):
            relative = path.relative_to(self.root)
            if relative.parts[0] in (PROCESSED, FAILED) or path.is_symlink() or not path.is_file():
                continue
            if not path.resolve().is_relative_to(self.root):  # a linked folder leads out
                continue
            if any(part.startswith(_PARTIAL_PREFIXES) for part in relative.parts):
                continue
            if path.name.lower().endswith(_PARTIAL_SUFFIXES):
                continue
            found.append(path)
        for gone in set(self._seen) - set(found):
            del self._seen[gone]
        return found

    def _settled(self, path: Path) -> bool:
        try:
            stat = path.stat()
        except OSError:
            return False
        seen = self._seen.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            self._seen[path] = _Seen(stat.st_size, stat.st_mtime_ns, time.monotonic())
            return False
        return time.monotonic() - seen.since >= self.settle_seconds

    def _schema_for(self, path: Path) -> str:
        first = path.relative_to(self.root).parts[0]
        return (
            first
            if first in REGISTRY and len(path.relative_to(self.root).parts) > 1
            else (self.default_schema)
        )

    def _submit(self, path: Path) -> None:
        try:
            (job_id,) = client.submit(
                path, self._schema_for(path), source="folder", settings=self.settings
            )
        except ExtractorError as error:
            self._move(path, FAILED, f"not submitted: {error}")
            return
        self._jobs[path] = job_id
        logger.info("submitted job %d from the folder", job_id)

    def _collect_finished(self) -> None:
        for path, job_id in list(self._jobs.items()):
            info = client.status(job_id, settings=self.settings)
            if not info.finished:
                continue
            del self._jobs[path]
            if info.status == JobStatus.FAILED:
                self._move(path, FAILED, f"job {job_id} failed: {info.last_error or 'unknown'}")
            else:
                self._move(path, PROCESSED, None)

    def _move(self, path: Path, folder: str, reason: str | None) -> None:
        target = self.root / folder / path.relative_to(self.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target = target.with_name(fit_name(target.stem, f".{time.time_ns()}{target.suffix}"))
        shutil.move(path, target)
        self._seen.pop(path, None)
        if reason is not None:
            reason_file = fit_name(target.name, REASON_SUFFIX) + REASON_SUFFIX
            target.with_name(reason_file).write_text(reason + "\n")
