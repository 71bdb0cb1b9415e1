"""The Celery application: configuration and worker process lifecycle.

Settings are built by the entry point (`extractor worker`) and reach the forked worker
processes through the environment they inherit. Each worker process loads the model once,
proves its grammar works, and creates its own database engine after the fork.
"""

import logging
import threading
from dataclasses import dataclass
from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_ready

from extractor.api import load_extractor
from extractor.pipeline import Extractor
from extractor.settings import ExtractorSettings, load_settings
from extractor.store.jobs import worker_identity
from extractor.store.worker_queue import WorkerQueue
from workers.dispatcher import run_dispatcher

TASK_NAME = "extractor.extract_job"
QUEUE = "extract"
# A new worker process loads the model and proves its grammar on a warm-up document before
# it reports up; Celery's default wait (4 s) is shorter than that on a loaded 2-core machine,
# and a process not up in time is killed and replaced, over and over, so that a job whose
# worker died is never taken again.
PROCESS_START_SECONDS = 300

logger = logging.getLogger(__name__)
app = Celery("extractor", include=["workers.tasks"])


def configure(settings: ExtractorSettings) -> Celery:
    hard = settings.job_time_limit + round(settings.worker_chain_seconds)
    app.conf.update(
        broker_url=settings.broker_url,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": hard + 120},
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_time_limit=hard,
        task_soft_time_limit=max(1, hard - 15),
        task_default_queue=QUEUE,
        worker_prefetch_multiplier=1,
        worker_max_memory_per_child=settings.worker_max_memory_mb * 1024,
        worker_hijack_root_logger=False,
        worker_proc_alive_timeout=PROCESS_START_SECONDS,
    )
    return app


@dataclass
class WorkerContext:
    settings: ExtractorSettings
    queue: WorkerQueue
    extractor: Extractor
    worker: str


_context: WorkerContext | None = None


def worker_context() -> WorkerContext:
    global _context
    if _context is None:
        settings = load_settings()
        _context = WorkerContext(
            settings=settings,
            queue=WorkerQueue(settings.database_url),
            extractor=load_extractor(settings),
            worker=worker_identity(),
        )
    return _context


@worker_process_init.connect
def _load_model(**_: Any) -> None:
    context = worker_context()
    logger.info("worker process %s ready (model %s)", context.worker,
                context.extractor.backend.model_sha256[:12])  # fmt: skip


@worker_ready.connect
def _start_dispatcher(**_: Any) -> None:
    settings = load_settings()
    thread = threading.Thread(
        target=run_dispatcher,
        args=(settings, lambda job_id: app.send_task(TASK_NAME, args=[job_id], queue=QUEUE)),
        name="extractor-dispatcher",
        daemon=True,
    )
    thread.start()
