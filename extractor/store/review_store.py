"""What the review app asks of the database, one short transaction per call, so the web layer
never holds a session (and never imports SQLAlchemy)."""

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from extractor.read.page_words import PageWords
from extractor.read.pdf import DocumentText
from extractor.store.engine import make_engine
from extractor.store.review_queue import QueueCounts, QueueFilters, QueueItem, review_queue
from extractor.store.review_runs import (
    HumanValue,
    ReviewRun,
    document_pdf,
    load_review_run,
    ocr_page_words,
    save_review,
)
from extractor.store.review_training import reviewed_documents
from extractor.store.review_users import (
    Role,
    UserRecord,
    find_user,
    save_user,
)
from extractor.store.supplier_memory import (
    FieldPosition,
    MemoryRow,
    count_recalls,
    forget,
    memories,
    remember,
)


class ReviewStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def from_url(cls, database_url: str) -> "ReviewStore":
        return cls(make_engine(database_url))

    def dispose(self) -> None:
        self._engine.dispose()

    def queue(self, filters: QueueFilters) -> tuple[list[QueueItem], QueueCounts]:
        with Session(self._engine) as session:
            return review_queue(session, filters)

    def run(self, run_id: int) -> ReviewRun | None:
        with Session(self._engine) as session:
            return load_review_run(session, run_id)

    def ocr_words(self, document_id: int) -> list[PageWords]:
        with Session(self._engine) as session:
            return ocr_page_words(session, document_id)

    def pdf(self, document_id: int) -> bytes | None:
        with Session(self._engine) as session:
            return document_pdf(session, document_id)

    def save_review(
        self,
        run_id: int,
        values: dict[str, HumanValue],
        *,
        reviewer: str,
        rejected_because: str | None = None,
        positions: list[FieldPosition] | None = None,
        removed_items: frozenset[str] = frozenset(),
    ) -> int:
        """The new run's id; `ReviewConflictError` if the run is not the latest any more. On
        a confirmation, `positions` go into the supplier memory, and the review counts
        towards the record of each memory the machine's values came from."""
        with Session(self._engine) as session, session.begin():
            run = save_review(
                session,
                run_id,
                values,
                reviewer=reviewer,
                rejected_because=rejected_because,
                removed_items=removed_items,
            )
            if rejected_because is None:
                count_recalls(session, run)
                if positions:
                    remember(session, run, positions, reviewer)
            return run.id

    def reviewed_documents(
        self, schema_name: str
    ) -> list[tuple[str, DocumentText, dict[str, Any]]]:
        """Documents whose latest run is a confirmed review: their text and values."""
        with Session(self._engine) as session:
            return list(reviewed_documents(session, schema_name))

    def supplier_memories(self) -> list[MemoryRow]:
        with Session(self._engine) as session:
            return memories(session)

    def forget_supplier_memory(self, memory_id: int) -> bool:
        with Session(self._engine) as session, session.begin():
            return forget(session, memory_id)

    def user(self, name: str) -> UserRecord | None:
        with Session(self._engine) as session:
            return find_user(session, name)

    def save_user(self, name: str, password_hash: str, role: Role) -> None:
        with Session(self._engine) as session, session.begin():
            save_user(session, name, password_hash, role)
