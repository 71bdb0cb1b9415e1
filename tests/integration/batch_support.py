"""Real servers and processes for the batch tests: a private Redis that tests may restart,
worker processes started through the `extractor` command, distinct PDFs to submit."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from sqlalchemy import create_engine, text

EXTRACTOR = shutil.which("extractor", path=str(Path(sys.executable).parent))

# Every job whose document does not have exactly one extraction run: must be zero.
ONE_RESULT_PER_JOB = """
    SELECT COUNT(*) FROM jobs j
    WHERE (SELECT COUNT(*) FROM extraction_runs r WHERE r.document_id = j.document_id) <> 1
"""

FAST_SETTINGS = {
    "EXTRACTOR_MODEL_BACKEND": "fixed-latency",
    "EXTRACTOR_FIXED_LATENCY_SECONDS": "0.01",
    "EXTRACTOR_HEARTBEAT_SECONDS": "0.5",
    "EXTRACTOR_STALE_AFTER_SECONDS": "3",
    "EXTRACTOR_REQUEUE_AFTER_SECONDS": "4",
    "EXTRACTOR_DISPATCH_INTERVAL_SECONDS": "0.3",
    "EXTRACTOR_MAX_ATTEMPTS": "3",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A Redis of the test's own (no persistence), so it can be restarted at will."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@contextmanager
def running_workers(
    database_url: str,
    broker_url: str,
    *,
    concurrency: int = 1,
    prefix: Sequence[str] = (),
    **settings: str,
) -> Iterator[subprocess.Popen[str]]:
    """`extractor worker` in its own process group (after `prefix`, e.g. a tracer);
    everything is killed afterwards."""
    assert EXTRACTOR, "the extractor console script is not installed"
    environment = {
        **os.environ,
        **FAST_SETTINGS,
        **settings,
        "EXTRACTOR_DATABASE_URL": database_url,
        "EXTRACTOR_BROKER_URL": broker_url,
    }
    # The log goes to a file: an unread pipe fills up and blocks the workers' logging.
    with tempfile.NamedTemporaryFile("w", prefix="extractor-worker-", suffix=".log") as log:
        process = subprocess.Popen(
            [*prefix, EXTRACTOR, "worker", "--concurrency", str(concurrency)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def distinct_pdfs(samples: list[Path], folder: Path, count: int, tag: str) -> list[Path]:
    """`count` PDFs with different bytes (a metadata tag), cycling through the samples."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        writer = PdfWriter(clone_from=PdfReader(samples[index % len(samples)]))
        writer.add_metadata({"/Subject": f"{tag} copy {index}"})
        path = folder / f"{tag}-{index:03d}.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        made.append(path)
    return made


def scalar(database_url: str, sql: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        value = int(connection.execute(text(sql)).scalar_one())
    engine.dispose()
    return value


def wait_until(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out: {message}")
