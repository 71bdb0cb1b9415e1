"""The service layer: the one place where the pipeline meets the database.

Files are extracted one at a time (the next ones are read ahead in the reader processes);
each result is committed as soon as it is ready, so an interrupted batch loses nothing that
finished.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from extractor.errors import InputError
from extractor.pipeline import Extractor, file_identity
from extractor.read.passwords import password_for
from extractor.result import ExtractionResult
from extractor.store.retention import apply_retention
from extractor.store.runs import keep_document_bytes, save_result, stored_run
from extractor.store.supplier_memory import MemoryBook
from schemas import SchemaSpec

SKIPPED = "skipped"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str  # a result status, or "skipped" when already stored
    seconds: float
    run_id: int | None = None
    error: str | None = None


def find_pdfs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders searched recursively for PDFs, hidden entries ignored."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    candidate
                    for candidate in path.rglob("*")
                    if candidate.is_file()
                    and candidate.suffix.lower() == ".pdf"
                    and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return found


class BatchRunner:
    """Extracts files into the database, skipping files stored for this schema version."""

    def __init__(
        self, engine: Engine, load_extractor: Callable[[], Extractor], schema: SchemaSpec
    ) -> None:
        self._engine = engine
        self._load_extractor = load_extractor
        self._extractor: Extractor | None = None
        self._schema = schema

    def run_files(self, paths: Iterable[Path], *, force: bool = False) -> Iterator[FileOutcome]:
        """One outcome per file: skipped (stored before), failed, or extracted and stored.
        Skips come first; the files to extract are read ahead by the reader processes while
        earlier ones are extracted and stored."""
        queued: list[Path] = []
        for path in paths:
            known = self._known(path, force=force)
            if known is None:
                queued.append(path)
            else:
                yield known
        if not queued:
            return
        if self._extractor is None:
            self._extractor = self._load_extractor()
        settings = self._extractor.settings
        apply_retention(self._engine, settings.page_text_retention_days)
        files = ((path, password_for(path, settings)) for path in queued)
        started = time.perf_counter()
        memories = MemoryBook(self._engine)
        results = self._extractor.extract_many(files, self._schema, memories=memories)
        for path, result in zip(queued, results, strict=True):
            yield self._store(
                path,
                result,
                started,
                keep_page_text=settings.keep_page_text,
                keep_bytes=settings.store_document_bytes,
            )
            started = time.perf_counter()

    def _known(self, path: Path, *, force: bool) -> FileOutcome | None:
        """The outcome of a file that needs no extraction: unreadable, or already stored."""
        started = time.perf_counter()
        try:
            sha256, _ = file_identity(path)
        except OSError as error:
            logger.warning("cannot read a submitted file: %s", type(error).__name__)
            return FileOutcome(path, "failed", 0.0, error=f"cannot read file ({error.strerror})")
        with Session(self._engine) as session:
            existing = stored_run(session, sha256, self._schema.name, self._schema.version)
        if existing is not None and not force:
            return FileOutcome(path, SKIPPED, time.perf_counter() - started, existing.id)
        return None

    def _store(
        self,
        path: Path,
        result: ExtractionResult | InputError,
        started: float,
        *,
        keep_page_text: bool,
        keep_bytes: bool = False,
    ) -> FileOutcome:
        if isinstance(result, InputError):
            return FileOutcome(path, "failed", time.perf_counter() - started, error=str(result))
        with Session(self._engine) as session, session.begin():
            run = save_result(session, result, keep_page_text=keep_page_text)
            session.flush()
            run_id = run.id
            if keep_bytes:
                keep_document_bytes(session, run.document_id, path, result.sha256)
        first_error = result.errors[0].message if result.errors else None
        return FileOutcome(
            path, result.status.value, time.perf_counter() - started, run_id, first_error
        )
