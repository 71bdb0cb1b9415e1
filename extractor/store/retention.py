"""Retention of the raw page text: text stored longer than `page_text_retention_days` is
deleted; the documents, runs and field values extracted from it stay.

It is applied at the start of every batch (`extractor run`), when a worker starts, hourly
in every worker process that takes jobs, and by `extractor retention apply`. Only counts
are logged, never text.
"""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, delete
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from extractor.store.models import PageText

WORKER_INTERVAL_SECONDS = 3600.0

logger = logging.getLogger(__name__)


def purge_page_texts(session: Session, *, older_than_days: int, now: datetime | None = None) -> int:
    """Delete the page texts stored more than `older_than_days` days before `now`; returns
    how many pages were deleted."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=older_than_days)
    deleted = session.execute(delete(PageText).where(PageText.stored_at < cutoff))
    return cast(CursorResult[Any], deleted).rowcount


def apply_retention(engine: Engine, retention_days: int | None) -> int | None:
    """Purge page text older than `retention_days` in its own transaction; returns the
    number of pages deleted, or None when there is no retention period (None or 0)."""
    if not retention_days:
        return None
    with Session(engine) as session, session.begin():
        purged = purge_page_texts(session, older_than_days=retention_days)
    logger.info("page text retention: %d pages older than %d days deleted", purged, retention_days)
    return purged


def try_apply_retention(engine: Engine, retention_days: int | None) -> None:
    """`apply_retention` for background work: a database error is logged, not raised."""
    try:
        apply_retention(engine, retention_days)
    except SQLAlchemyError as error:
        logger.warning("page text retention failed (%s)", type(error).__name__)


class RetentionSchedule:
    """Applies retention on its first call, then at most once per interval: for long-lived
    worker processes."""

    def __init__(
        self,
        interval_seconds: float = WORKER_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._interval = interval_seconds
        self._clock = clock
        self._due = float("-inf")

    def apply_if_due(self, engine: Engine, retention_days: int | None) -> None:
        if self._clock() < self._due:
            return
        self._due = self._clock() + self._interval
        try_apply_retention(engine, retention_days)
