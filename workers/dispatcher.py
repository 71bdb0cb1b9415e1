"""Moves jobs from the database to the queue: new jobs, jobs whose message was lost (Redis
restarted), and jobs whose worker died. Runs as a thread in every worker's main process;
duplicates are harmless because claiming a job is atomic."""

import logging
import time
from collections.abc import Callable

from extractor.errors import DatabaseError
from extractor.settings import ExtractorSettings
from extractor.store.worker_queue import WorkerQueue

logger = logging.getLogger(__name__)


def run_dispatcher(settings: ExtractorSettings, send: Callable[[int], object]) -> None:
    queue = WorkerQueue(settings.database_url)
    while True:
        try:
            due = queue.dispatch(
                send,
                requeue_after=settings.requeue_after_seconds,
                stale_after=settings.stale_after_seconds,
            )
            if due:
                logger.info("dispatched %d jobs", due)
        except (DatabaseError, OSError) as error:  # broker or database away: try again later
            logger.warning("dispatch failed: %s", type(error).__name__)
        except Exception:
            logger.exception("dispatch failed")
        time.sleep(settings.dispatch_interval_seconds)
