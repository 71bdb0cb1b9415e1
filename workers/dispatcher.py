"""Moves jobs from the database to the queue: new jobs, jobs whose message was lost (Redis
restarted), and jobs whose worker died. Runs as a thread in every worker's main process;
duplicates are harmless because claiming a job is atomic."""

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from extractor import jobs
from extractor.db.engine import make_engine
from extractor.settings import ExtractorSettings

logger = logging.getLogger(__name__)


def run_dispatcher(settings: ExtractorSettings, send: Callable[[int], object]) -> None:
    engine = make_engine(settings.database_url)
    while True:
        try:
            with Session(engine) as session, session.begin():
                due = jobs.due_for_dispatch(
                    session,
                    requeue_after=settings.requeue_after_seconds,
                    stale_after=settings.stale_after_seconds,
                )
                for job_id in due:
                    send(job_id)
            if due:
                logger.info("dispatched %d jobs", len(due))
        except (SQLAlchemyError, OSError) as error:  # broker or database away: try again later
            logger.warning("dispatch failed: %s", type(error).__name__)
        except Exception:
            logger.exception("dispatch failed")
        time.sleep(settings.dispatch_interval_seconds)
