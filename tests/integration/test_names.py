"""Files and names: hostile, long and unicode file names through the watched folder, links
out of it refused, an oversized file failed with a reason, and hostile values stored in
PostgreSQL intact (or cleaned deliberately: NUL removed, lone surrogates replaced)."""

import os
import threading
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from extractor.result import ErrorRecord, ExtractionResult, FieldRecord, Method, Status
from extractor.store.engine import make_engine
from extractor.store.runs import load_result, save_result
from tests.integration.batch_support import (
    RedisServer,
    distinct_pdfs,
    running_workers,
    scalar,
    wait_until,
)
from tests.integration.test_batch import _settings
from workers.watcher import FolderWatcher

HOSTILE_NAMES = [
    "-rf --no-preserve-root.pdf",
    "quote'double\"back\\slash.pdf",
    "new\nline\ttab.pdf",
    "Rechnung Müller \u2013 日本語 \u2013 🧾.pdf",
    "; DROP TABLE jobs; --.pdf",
    "x" * 250 + ".pdf",  # 254 bytes: no room for ".reason.txt" without shortening
    os.fsdecode(b"latin1-\xe9t\xe9.pdf"),  # not UTF-8
]


def test_hostile_names_links_and_oversized_files_in_the_watched_folder(
    database: str, redis: RedisServer, samples: list[Path], tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    for folder in ("processed", "failed"):
        (inbox / folder).mkdir(parents=True)
    sources = distinct_pdfs(samples, tmp_path / "made", len(HOSTILE_NAMES) + 2, "names")
    for name, source in zip(HOSTILE_NAMES, sources, strict=False):
        (inbox / name).write_bytes(source.read_bytes())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(sources[-2].read_bytes())
    (inbox / "linked-folder").symlink_to(outside, target_is_directory=True)
    big = "x" * 251 + ".pdf"  # oversized and a long name: its reason file must still fit
    (inbox / big).write_bytes(sources[-1].read_bytes() + b"\n%" + b"0" * 200_000)
    limit = max(source.stat().st_size for source in sources) + 1000
    settings = _settings(database, redis, max_file_bytes=limit)

    stop = threading.Event()
    watcher = FolderWatcher(inbox, settings, settle_seconds=0.3, rescan_seconds=1)
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    with running_workers(database, redis.url, EXTRACTOR_MAX_FILE_BYTES=str(limit)):
        thread.start()
        wait_until(lambda: len(list((inbox / "processed").iterdir())) == len(HOSTILE_NAMES),
                   120, "every hostile name processed")  # fmt: skip
        wait_until(lambda: len(list((inbox / "failed").iterdir())) == 2, 30,
                   "the oversized file failed with its reason")  # fmt: skip
        stop.set()
        thread.join(timeout=10)

    assert sorted(path.name for path in (inbox / "processed").iterdir()) == sorted(HOSTILE_NAMES)
    failed = sorted(path.name for path in (inbox / "failed").iterdir())
    assert big in failed
    (reason_file,) = [name for name in failed if name.endswith(".reason.txt")]
    assert len(reason_file.encode()) <= 255
    assert "limit is" in (inbox / "failed" / reason_file).read_text()
    assert (outside / "secret.pdf").exists()  # never taken through the link
    assert scalar(database, "SELECT COUNT(*) FROM jobs") == len(HOSTILE_NAMES) + 1
    assert scalar(database, "SELECT COUNT(*) FROM documents WHERE original_name = "
                  "'; DROP TABLE jobs; --.pdf'") == 1  # fmt: skip
    assert scalar(database, "SELECT COUNT(*) FROM documents WHERE original_name = "
                  "'latin1-\ufffdt\ufffd.pdf'") == 1  # fmt: skip


VALUES = {
    "invoice_number": 'O\'Brien "No." 5\\6; DROP TABLE documents; --',
    "seller.name": "Ctrl\x01\x1b[31m red\x7f\nnew line\ttab \u2013 Müller 日本 🧾",
    "buyer.name": "nul\x00inside",
    "seller.address": "lone \ud800 surrogate",
}


def test_hostile_values_are_stored_intact_or_cleaned_deliberately(database: str) -> None:
    result = ExtractionResult(
        path=Path('it\'s "quoted"\n.pdf'),
        sha256="a" * 64,
        size=1,
        schema="invoice",
        schema_version=1,
        status=Status.NEEDS_REVIEW,
        pages=1,
        fields=[
            FieldRecord(path, value, Method.MODEL, 0.9, 1, 0, 1, raw=value)
            for path, value in VALUES.items()
        ]
        + [FieldRecord("total_gross", Decimal("12.50"), Method.MODEL, 0.9)],
        errors=[ErrorRecord("check:x", "message with ' and \x00 and \ud800", ("buyer.name",))],
    )
    engine = make_engine(database)
    with Session(engine) as session, session.begin():
        run = save_result(session, result)
        session.flush()
        run_id = run.id
    with Session(engine) as session:
        from extractor.store.models import ExtractionRun

        loaded = load_result(session, session.get_one(ExtractionRun, run_id), result.path)
    engine.dispose()
    stored = {record.path: record for record in loaded.fields}
    assert stored["invoice_number"].value == VALUES["invoice_number"]  # intact
    assert stored["seller.name"].value == VALUES["seller.name"]  # intact, controls included
    assert stored["buyer.name"].value == "nulinside"  # NUL removed
    assert stored["buyer.name"].raw == "nulinside"
    assert stored["seller.address"].value == "lone \ufffd surrogate"  # replaced
    assert loaded.errors[0].message == "message with ' and  and \ufffd"
    assert scalar(database, "SELECT COUNT(*) FROM documents WHERE original_name = "
                  "'it''s \"quoted\"\n.pdf'") == 1  # fmt: skip
