"""Batch mode against real PostgreSQL, a real Redis and real `extractor worker` processes.

The model is replaced by the fixed-latency stand-in here (what is tested is the queue, the
database and the workers); tests/integration/test_worker_model.py runs the real model.
"""

import hashlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import extractor
from extractor.settings import ExtractorSettings, load_settings
from tests.conftest import SAMPLES
from tests.integration.batch_support import (
    EXTRACTOR,
    FAST_SETTINGS,
    ONE_RESULT_PER_JOB,
    RedisServer,
    distinct_pdfs,
    running_workers,
    scalar,
    wait_until,
)
from workers.watcher import FolderWatcher

FINISHED = {"succeeded", "needs_review"}  # a result was stored; review is a normal outcome
# The rules decide most samples in milliseconds; this one has a field they leave to the model,
# so the stand-in model's latency keeps its job running long enough to be seen and killed.
ASKS_THE_MODEL = SAMPLES / "us_software.pdf"  # which sample asks moves with the calibration


def _settings(database: str, redis: RedisServer, **overrides: object) -> ExtractorSettings:
    values = {key.removeprefix("EXTRACTOR_").lower(): value for key, value in FAST_SETTINGS.items()}
    return load_settings(**{**values, "database_url": database, "broker_url": redis.url,
                            **overrides})  # fmt: skip


def _finished(database: str) -> int:
    return scalar(database, "SELECT COUNT(*) FROM jobs WHERE finished_at IS NOT NULL")


def test_api_cli_and_folder_batches_each_end_with_exactly_one_result(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    api_files = distinct_pdfs(samples, tmp_path / "api", 20, "api")
    cli_files = distinct_pdfs(samples, tmp_path / "cli", 20, "cli")
    inbox = tmp_path / "inbox"
    distinct_pdfs(samples, inbox / "invoice", 20, "folder")
    stop = threading.Event()
    watcher = FolderWatcher(inbox, settings, settle_seconds=0.5, rescan_seconds=1)
    watching = threading.Thread(target=watcher.run, args=(stop,), daemon=True)

    with running_workers(database, redis.url, concurrency=2):
        api_ids = extractor.submit(api_files, settings=settings)
        assert extractor.submit(api_files[0], settings=settings) == api_ids[:1]  # no duplicate
        env = {**os.environ, "EXTRACTOR_DATABASE_URL": database}
        done = subprocess.run([EXTRACTOR or "extractor", "submit", str(tmp_path / "cli")],
                              env=env, capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "submitted 20 jobs" in done.stdout
        watching.start()
        infos = extractor.wait(api_ids, timeout=120, settings=settings)
        wait_until(lambda: _finished(database) == 60, 180, "all 60 jobs finished")
        wait_until(lambda: len(list((inbox / "processed").rglob("*.pdf"))) == 20, 30,
                   "the folder's files moved to processed/")  # fmt: skip
        stop.set()
        watching.join(timeout=10)

    assert {info.status for info in infos.values()} <= FINISHED
    assert scalar(database, "SELECT COUNT(*) FROM jobs") == 60
    assert scalar(database, ONE_RESULT_PER_JOB) == 0
    assert scalar(database, "SELECT COUNT(DISTINCT source) FROM jobs") == 3
    assert not list((inbox / "invoice").glob("*.pdf"))
    results = extractor.results(api_ids, settings=settings)
    expected = [hashlib.sha256(path.read_bytes()).hexdigest() for path in api_files]
    assert [result.sha256 for result in results] == expected
    assert all(result.status in FINISHED and result.fields for result in results)
    assert sorted(path.name for path in (tmp_path / "cli").iterdir()) == sorted(
        path.name for path in cli_files
    )


def test_worker_killed_mid_job_redelivers_and_gives_one_result(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    (path,) = distinct_pdfs([ASKS_THE_MODEL], tmp_path, 1, "kill")
    with running_workers(database, redis.url, EXTRACTOR_FIXED_LATENCY_SECONDS="2"):
        (job_id,) = extractor.submit(path, settings=settings)
        wait_until(lambda: extractor.status(job_id, settings=settings).status == "running",
                   60, "the job started")  # fmt: skip
        worker = extractor.status(job_id, settings=settings).worker_id
        assert worker is not None
        os.kill(int(worker.rpartition(":")[2]), signal.SIGKILL)
        info = extractor.wait([job_id], timeout=90, settings=settings)[job_id]
    assert info.status in FINISHED
    assert info.attempts == 2
    assert info.worker_id != worker
    assert scalar(database, ONE_RESULT_PER_JOB) == 0


def test_redis_restart_loses_no_queued_job(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    files = distinct_pdfs(samples, tmp_path, 12, "restart")
    with running_workers(database, redis.url, EXTRACTOR_FIXED_LATENCY_SECONDS="0.05"):
        ids = extractor.submit(files, settings=settings)
        wait_until(lambda: scalar(database, "SELECT COUNT(*) FROM jobs WHERE enqueued_at IS "
                                  "NOT NULL") == 12, 30, "all jobs sent to Redis")  # fmt: skip
        redis.stop()  # the queued messages die with it: Redis keeps nothing on disk here
        time.sleep(1)
        redis.start()
        infos = extractor.wait(ids, timeout=120, settings=settings)
    assert {info.status for info in infos.values()} <= FINISHED
    assert scalar(database, ONE_RESULT_PER_JOB) == 0


def test_poison_document_fails_after_the_attempt_limit_and_the_worker_goes_on(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    """A document that kills its worker process every time (here: SIGKILL whenever a worker
    runs it) must end failed after max_attempts, while other jobs keep being served."""
    settings = _settings(database, redis, max_attempts=2)
    (poison,) = distinct_pdfs([ASKS_THE_MODEL], tmp_path / "poison", 1, "poison")
    healthy = distinct_pdfs(samples, tmp_path / "healthy", 4, "healthy")
    with running_workers(database, redis.url, EXTRACTOR_MAX_ATTEMPTS="2",
                         EXTRACTOR_FIXED_LATENCY_SECONDS="2"):  # fmt: skip
        (poison_id,) = extractor.submit(poison, settings=settings)
        killed: set[str] = set()

        def kill_whoever_runs_it() -> bool:
            info = extractor.status(poison_id, settings=settings)
            if info.status == "running" and info.worker_id and info.worker_id not in killed:
                killed.add(info.worker_id)
                os.kill(int(info.worker_id.rpartition(":")[2]), signal.SIGKILL)
            return info.finished

        wait_until(kill_whoever_runs_it, 120, "the poison job ended")
        healthy_ids = extractor.submit(healthy, settings=settings)
        infos = extractor.wait(healthy_ids, timeout=90, settings=settings)
    poisoned = extractor.status(poison_id, settings=settings)
    assert poisoned.status == "failed"
    assert "gave up after 2 attempts" in (poisoned.last_error or "")
    assert len(killed) == 2
    assert {info.status for info in infos.values()} <= FINISHED
    (result,) = extractor.results([poison_id], settings=settings)
    assert result.status == "failed" and "gave up" in result.errors[0].message


def test_slowly_written_file_is_taken_only_when_complete(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watcher = FolderWatcher(inbox, settings, settle_seconds=2.0)  # pauses below are 0.6 s
    content = samples[0].read_bytes()
    target = inbox / "slow.pdf"
    with target.open("wb") as handle:
        for start in range(0, len(content), len(content) // 5 + 1):
            handle.write(content[start : start + len(content) // 5 + 1])
            handle.flush()
            os.fsync(handle.fileno())
            for _ in range(3):
                watcher.step()
                time.sleep(0.2)
            assert scalar(database, "SELECT COUNT(*) FROM jobs") == 0
    wait_until(lambda: watcher.step() or scalar(database, "SELECT COUNT(*) FROM jobs") == 1,
               10, "the complete file was submitted")  # fmt: skip
    size = scalar(database, "SELECT size FROM documents")
    assert size == len(content)


def test_watcher_restart_neither_loses_nor_double_submits(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = distinct_pdfs(samples, tmp_path / "outside", 10, "restart")
    with running_workers(database, redis.url):
        for generation in range(2):
            stop = threading.Event()
            watcher = FolderWatcher(inbox, settings, settle_seconds=0.3, rescan_seconds=1)
            thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
            thread.start()
            for path in files[generation * 5 : generation * 5 + 5]:
                partial = inbox / (path.name + ".part")
                partial.write_bytes(path.read_bytes())
                partial.rename(inbox / path.name)
                time.sleep(0.1)
            time.sleep(0.5)
            stop.set()  # stopped while files are still arriving and jobs are running
            thread.join(timeout=10)
        stop = threading.Event()
        watcher = FolderWatcher(inbox, settings, settle_seconds=0.3, rescan_seconds=1)
        thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
        thread.start()
        wait_until(lambda: len(list((inbox / "processed").glob("*.pdf"))) == 10, 120,
                   "every file processed")  # fmt: skip
        stop.set()
        thread.join(timeout=10)
    assert scalar(database, "SELECT COUNT(*) FROM jobs") == 10
    assert scalar(database, ONE_RESULT_PER_JOB) == 0
    assert not list(inbox.glob("*.pdf"))


def test_status_command_reports_counts_and_queue_depth(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    extractor.submit(distinct_pdfs(samples, tmp_path, 3, "status"), settings=settings)
    env = {**os.environ, "EXTRACTOR_DATABASE_URL": database, "EXTRACTOR_BROKER_URL": redis.url,
           "COLUMNS": "120"}  # fmt: skip
    done = subprocess.run([EXTRACTOR or "extractor", "status"], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "queued" in done.stdout and "│     3 │" in done.stdout
    assert "queue depth (Redis): 0" in done.stdout


def test_watcher_ignores_hidden_partial_and_linked_files(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    settings = _settings(database, redis)
    inbox = tmp_path / "inbox"
    (inbox / ".hidden").mkdir(parents=True)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(samples[0].read_bytes())
    (inbox / "link.pdf").symlink_to(outside)
    (inbox / ".secret.pdf").write_bytes(samples[1].read_bytes())
    (inbox / ".hidden" / "x.pdf").write_bytes(samples[2].read_bytes())
    (inbox / "copying.pdf.part").write_bytes(samples[3].read_bytes())
    (inbox / "~$lock.pdf").write_bytes(samples[4].read_bytes())
    (inbox / "invoice").mkdir()
    (inbox / "invoice" / "real.pdf").write_bytes(samples[5].read_bytes())
    watcher = FolderWatcher(inbox, settings, settle_seconds=0.2)
    wait_until(lambda: watcher.step() or scalar(database, "SELECT COUNT(*) FROM jobs") >= 1,
               10, "the real file was submitted")  # fmt: skip
    time.sleep(0.5)
    watcher.step()
    assert scalar(database, "SELECT COUNT(*) FROM jobs") == 1
    assert scalar(database, "SELECT COUNT(*) FROM jobs WHERE schema_name = 'invoice'") == 1


def test_a_file_over_the_size_limit_is_a_recorded_failure(
    database: str, redis: RedisServer, samples: list[Path]
) -> None:
    settings = _settings(database, redis, max_file_bytes=100)
    (job_id,) = extractor.submit(samples[0], settings=settings)
    info = extractor.status(job_id, settings=settings)
    assert info.status == "failed" and "limit is 100" in (info.last_error or "")
    (result,) = extractor.results([job_id], settings=settings)
    assert result.status == "failed" and result.errors[0].code == "job_failed"
    assert scalar(database, "SELECT COUNT(*) FROM document_contents") == 0
