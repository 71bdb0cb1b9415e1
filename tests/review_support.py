"""Helpers for the review app's tests: a database with documents extracted by the real
pipeline (rules only), users, a stored run with chosen values, and the app served by the real
`extractor review serve` command on a free port."""

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from extractor.pipeline import Extractor
from extractor.result import ExtractionResult, FieldRecord, Method, Status
from extractor.settings import load_settings
from extractor.store.batch import BatchRunner
from extractor.store.engine import make_engine, upgrade
from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role
from extractor.store.runs import keep_document_bytes, save_result
from schemas import get_schema
from tests.conftest import ROOT, SAMPLES
from tests.fakes import ScriptedBackend
from workers.review.security import hash_password

UNKNOWN_TOTAL_LABEL = "Eindbedrag"  # a gross total's label the rules do not read
UNKNOWN_NET_LABEL = "Som"  # and a net total's
_UNKNOWN_LABELS = {
    b"(Totaal) Tj": f"({UNKNOWN_TOTAL_LABEL}) Tj".encode(),
    b"(Subtotaal) Tj": f"({UNKNOWN_NET_LABEL}) Tj".encode(),
}


def _with_unknown_total_label(source: Path, target: Path) -> Path:
    """The sample with its net and gross totals printed under labels the rules do not read
    ("Som", "Eindbedrag"): the rules leave the gross total to a person, and the document
    needs review (`missing_required`). Its page content is edited in place: every other word
    stands where it stood."""
    writer = PdfWriter(clone_from=source)
    page = writer.pages[0]
    content = page.get_contents()
    assert content is not None
    data = content.get_data()
    for known, unknown in _UNKNOWN_LABELS.items():
        assert data.count(known) == 1
        data = data.replace(known, unknown)
    edited = DecodedStreamObject()
    edited.set_data(data)
    page.replace_contents(edited)
    target.parent.mkdir(parents=True, exist_ok=True)
    writer.write(target)
    return target


NEEDS_REVIEW_SAMPLE = _with_unknown_total_label(
    SAMPLES / "nl_prepaid.pdf",
    Path(tempfile.gettempdir()) / f"extractor-review-tests-{os.getpid()}" / "nl_prepaid.pdf",
)
PASSWORD = "correct horse battery"
SECRET = "test-session-secret-0123456789abcdef"


def extract_into(engine: Engine, paths: list[Path]) -> list[int]:
    """Run the real pipeline (layout rules, no model) over the files; the stored run ids."""
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    runner = BatchRunner(engine, lambda: extractor, get_schema("invoice"))
    run_ids = [outcome.run_id for outcome in runner.run_files(paths, force=True)]
    assert all(run_id is not None for run_id in run_ids)
    return [run_id for run_id in run_ids if run_id is not None]


def prepared_database(url: str, paths: list[Path]) -> tuple[Engine, list[int]]:
    engine = make_engine(url)
    upgrade(engine)
    return engine, extract_into(engine, paths)


def add_user(engine: Engine, name: str, role: Role = Role.REVIEWER) -> None:
    ReviewStore(engine).save_user(name, hash_password(PASSWORD), role)


def text_pdf(path: Path, lines: list[str]) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    for number, line in enumerate(lines):
        page.drawString(72, 780 - 20 * number, line)
    page.save()
    return path


def store_run(engine: Engine, pdf: Path, values: dict[str, str], status: Status) -> int:
    """A run of `pdf` with these field values (method rules, page 1), stored as the pipeline
    stores one, with the file's bytes."""
    content = pdf.read_bytes()
    sha256 = hashlib.sha256(content).hexdigest()
    result = ExtractionResult(
        path=pdf,
        sha256=sha256,
        size=len(content),
        schema="invoice",
        schema_version=get_schema("invoice").version,
        status=status,
        pages=1,
        fields=[
            FieldRecord(path, value, Method.RULES, 0.3, page=1, raw=value)
            for path, value in values.items()
        ],
        review_fields=list(values),
    )
    with Session(engine) as session, session.begin():
        run = save_result(session, result)
        session.flush()
        keep_document_bytes(session, run.document_id, pdf, sha256)
        return run.id


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ReviewServer:
    """`extractor -v review serve` in a subprocess, its output in `log`."""

    database_url: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        environment = {
            **os.environ,
            "EXTRACTOR_DATABASE_URL": self.database_url,
            "EXTRACTOR_REVIEW_SESSION_SECRET": SECRET,
        }
        command = [str(Path(sys.executable).parent / "extractor"), "-v", "review", "serve"]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=environment,
                cwd=ROOT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"the review app did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
