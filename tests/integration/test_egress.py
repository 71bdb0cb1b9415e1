"""Egress proof: the whole system runs while every outgoing connection is observed, and the
only destinations are the configured database and broker.

Two observers: a runtime audit hook (`tests/egress_hook/sitecustomize.py`, injected through
PYTHONPATH into every Python process: CLI, Celery worker and its children, the PDF reader)
and strace on connect/sendto/sendmsg for the whole process tree, which also sees C code
(libpq, llama.cpp). The embedded run uses the real model; the worker uses the stand-in.
"""

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

import extractor
from extractor.settings import load_settings
from tests.conftest import require
from tests.integration.batch_support import (
    EXTRACTOR,
    RedisServer,
    distinct_pdfs,
    running_workers,
)
from tests.integration.egress import (
    HOOK_FOLDER,
    LOCAL_SOCKETS,
    Destination,
    hook_destinations,
    strace_destinations,
    strace_prefix,
    strace_works,
)
from tests.ocr_documents import scanned


def _tiny_invoice(path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for line, text in enumerate(["Invoice INV-7", "Date 2024-03-01", "Total 12.50 EUR"]):
        canvas.drawString(72, 720 - 16 * line, text)
    canvas.save()


def _observed_environment(hook_log: Path) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(HOOK_FOLDER), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path, "EXTRACTOR_EGRESS_LOG": str(hook_log)}


def _assert_only(found: set[Destination], inet: set[str], context: str) -> None:
    allowed = {Destination("inet", address) for address in inet} | {
        Destination("unix", path) for path in LOCAL_SOCKETS
    }
    assert found <= allowed, f"{context}: unexpected destinations {found - allowed}"


def test_embedded_run_and_worker_connect_only_to_database_and_broker(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path, ocr_engine: str
) -> None:
    require(strace_works(), "strace is needed to observe connections made by C code")
    assert EXTRACTOR
    url = make_url(database)
    db_address = f"{url.host}:{url.port or 5432}"
    broker_address = f"127.0.0.1:{redis.port}"

    # 1. Embedded: `extractor run` with the real model into PostgreSQL.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _tiny_invoice(tmp_path / "invoice.pdf")  # short text: the model's time stays small
    shutil.copyfile(tmp_path / "invoice.pdf", inbox / "invoice.pdf")
    scanned(tmp_path / "invoice.pdf", inbox / "scanned.pdf")  # Tesseract runs under strace
    embedded_hook, embedded_trace = tmp_path / "embedded.jsonl", tmp_path / "embedded.strace"
    environment = {**os.environ, **_observed_environment(embedded_hook),
                   "EXTRACTOR_MODEL_BACKEND": "llama", "EXTRACTOR_N_THREADS": "1"}  # fmt: skip
    done = subprocess.run(
        [*strace_prefix(embedded_trace), EXTRACTOR, "run", str(inbox), "--database-url",
         database], env=environment, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "failed: 0" in done.stdout and "skipped: 0" in done.stdout, done.stdout

    # 2. Site mode: a Celery worker with Redis and PostgreSQL.
    worker_hook, worker_trace = tmp_path / "worker.jsonl", tmp_path / "worker.strace"
    settings = load_settings(database_url=database, broker_url=redis.url)
    files = distinct_pdfs(samples, tmp_path / "batch", 3, "egress")
    with running_workers(database, redis.url, prefix=strace_prefix(worker_trace),
                         **_observed_environment(worker_hook)):  # fmt: skip
        ids = extractor.submit(files, settings=settings)
        infos = extractor.wait(ids, timeout=300, settings=settings)
    assert {info.status for info in infos.values()} == {"succeeded"}

    embedded = strace_destinations(embedded_trace)
    _assert_only(embedded, {db_address}, "embedded run (strace)")
    assert Destination("inet", db_address) in embedded  # the observer saw libpq connect
    worker = strace_destinations(worker_trace)
    _assert_only(worker, {db_address, broker_address}, "worker (strace)")
    assert {Destination("inet", db_address), Destination("inet", broker_address)} <= worker

    # Python level: only the broker (redis-py) connects from Python code; libpq is C.
    hooked = hook_destinations(embedded_hook) | hook_destinations(worker_hook)
    lookups = {Destination("lookup", f"127.0.0.1:{redis.port}")}
    assert hooked <= {Destination("inet", broker_address)} | lookups, hooked
    assert Destination("inet", broker_address) in hooked  # the hook ran in the worker


def test_start_up_refuses_a_model_url_or_hub_id(tmp_path: Path) -> None:
    assert EXTRACTOR
    (tmp_path / "in").mkdir()
    _tiny_invoice(tmp_path / "in" / "a.pdf")
    for remote in ("https://example.org/model.gguf", "hf://org/model", "SomeOrg/some-model"):
        environment = {**os.environ, "EXTRACTOR_MODEL_PATH": remote}
        done = subprocess.run(
            [EXTRACTOR, "run", str(tmp_path / "in"), "--database-url",
             f"sqlite:///{tmp_path / 'x.db'}"], env=environment, capture_output=True, text=True,
            timeout=120, check=False, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode != 0, remote
        assert "model_path" in done.stdout + done.stderr, remote
