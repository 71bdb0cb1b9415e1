"""Patient data never reaches a log line or an error message.

Documents carrying marker values in every data class (names, identifiers, dates, clinical
values, amounts) are extracted with `schema="auto"` by the real model, stored, and run
through the command line with verbose logging; every log record, every stored error
message and everything the command printed is searched for each marker. The same documents
are then reviewed in the review app, and its log is searched too.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from extractor.model.backend import LlamaBackend
from extractor.pipeline import Extractor
from extractor.result import ExtractionResult
from extractor.settings import ExtractorSettings
from extractor.store.batch import BatchRunner
from extractor.store.engine import make_engine, upgrade
from extractor.store.models import ExtractionRun
from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role
from schemas import AUTO_SPEC
from tests.fakes import ScriptedBackend
from tests.review_support import PASSWORD, add_user
from workers.review.app import create_app

MARKERS = {
    "name": "Quorblax Zentrifuge",
    "provider": "Dr. Vellamo Thrushwick",
    "identifier": "MRN77QX1942",
    "birth_date": "02/29/1952",
    "clinical": "Zorbicillin level",
    "result": "987.654",
    "diagnosis": "Xyloporphyria crisis",
    "medication": "Glimmerazole",
    "amount": "4,321.87",
}

LAB_LINES = [
    "Quayside Reference Laboratory",
    "LABORATORY REPORT",
    f"Patient: {MARKERS['name']}    DOB: {MARKERS['birth_date']}",
    f"Sex: Female    MRN: {MARKERS['identifier']}",
    f"Ordering Physician: {MARKERS['provider']}",
    "Collected: 11/02/2024    Reported: 11/03/2024",
    "Test Result Units Reference Range Flag",
    f"{MARKERS['clinical']} {MARKERS['result']} mg/dL 10 - 20 H",
    "Sodium 140 mmol/L 135 - 145",
]
LETTER_LINES = [
    "Discharge Summary",
    f"Patient: {MARKERS['name']}",
    f"Date of Birth: {MARKERS['birth_date']}",
    "Admission Date: 11/02/2024",
    "Discharge Date: 11/09/2024",
    "Diagnoses:",
    f"1. {MARKERS['diagnosis']} (E80.2)",
    "",
    "Medications on discharge:",
    f"- {MARKERS['medication']} 40 mg once daily",
    "",
    f"Outstanding balance {MARKERS['amount']} USD",
    f"Signed: {MARKERS['provider']}",
]


def _pdf(path: Path, lines: list[str]) -> Path:
    page = canvas.Canvas(str(path), pagesize=letter)
    for number, line in enumerate(lines):
        page.drawString(72, 740 - 18 * number, line)
    page.save()
    return path


@pytest.fixture
def marked_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _pdf(folder / "lab.pdf", LAB_LINES)
    _pdf(folder / "letter.pdf", LETTER_LINES)
    damaged = (folder / "letter.pdf").read_bytes()
    (folder / "damaged.pdf").write_bytes(damaged[: len(damaged) // 2])  # markers in its bytes
    return folder


def _leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS.values() if marker in text]


def test_no_marker_value_in_logs_errors_or_storage_messages(
    marked_folder: Path,
    backend: LlamaBackend,
    settings: ExtractorSettings,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    extractor = Extractor(backend, settings)
    files = sorted(marked_folder.iterdir())
    results = list(extractor.extract_many(((path, None) for path in files), AUTO_SPEC))
    extracted = [result for result in results if isinstance(result, ExtractionResult)]
    assert {result.schema for result in extracted} >= {"lab_report", "clinical_letter"}
    lab = next(result for result in extracted if result.schema == "lab_report")
    assert lab.data["patient"]["name"] == MARKERS["name"]  # the markers were really read

    engine = make_engine(f"sqlite:///{tmp_path / 'results.db'}")
    upgrade(engine)
    outcomes = list(BatchRunner(engine, lambda: extractor, AUTO_SPEC).run_files(files))
    assert len(outcomes) == len(files)

    logged = "\n".join(caplog.messages) + caplog.text
    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert _leaks(logged) == []
    messages = [error.message for result in extracted for error in result.errors]
    messages += [str(result) for result in results if not isinstance(result, ExtractionResult)]
    messages += [outcome.error or "" for outcome in outcomes]
    with Session(engine) as session:
        for run in session.scalars(select(ExtractionRun)):
            messages += [run.error_message or ""]
            messages += [str(error) for error in run.errors]
    assert _leaks("\n".join(messages)) == []


def test_the_command_line_prints_no_marker_value(marked_folder: Path, tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "EXTRACTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }
    command = [str(Path(sys.executable).parent / "extractor"), "-v", "run", "--schema", "auto"]
    finished = subprocess.run(
        [*command, str(marked_folder)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )
    printed = finished.stdout + finished.stderr
    assert finished.returncode in (0, 1), printed  # 1: some file failed (the damaged one)
    assert "lab.pdf" in printed and "damaged.pdf" in printed, printed
    assert _leaks(printed) == []


def test_the_review_app_logs_no_marker_value(
    marked_folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The marked documents (rules only), reviewed in the app: the queue filtered by a marker,
    each document and page image shown, a value corrected to a marker, a form refused, a
    rejection whose reason is a marker. Nothing of it reaches the log."""
    caplog.set_level(logging.DEBUG)
    url = f"sqlite:///{tmp_path / 'review.db'}"
    engine = make_engine(url)
    upgrade(engine)
    rules_only = Extractor(ScriptedBackend({}), ExtractorSettings(use_model=False))
    files = sorted(marked_folder.iterdir())
    outcomes = list(BatchRunner(engine, lambda: rules_only, AUTO_SPEC).run_files(files))
    run_ids = [o.run_id for o in outcomes if o.run_id is not None and o.status != "failed"]
    assert len(run_ids) == 2
    add_user(engine, "alice", Role.REVIEWER)

    app = create_app(ExtractorSettings(database_url=url))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        login = client.get("/login").text
        token = login.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"csrf_token": token, "name": "alice", "password": PASSWORD}
        assert client.post("/login", data=data).status_code == 303
        queue = client.get("/", params={"status": "all", "supplier": MARKERS["name"]})
        token = queue.text.split('name="csrf_token" value="')[1].split('"')[0]
        shown = ""
        for run_id in run_ids:
            page = client.get(f"/runs/{run_id}")
            shown += page.text
            document = ReviewStore(engine).run(run_id)
            assert document is not None
            assert client.get(f"/documents/{document.document_id}/pages/1.png").status_code == 200
        assert MARKERS["name"] in shown  # the markers were really shown
        refused = {"csrf_token": token, "value:patient.birth_date": MARKERS["clinical"]}
        assert client.post(f"/runs/{run_ids[0]}/confirm", data=refused).status_code == 400
        corrected = {"csrf_token": token, "value:patient.name": MARKERS["provider"]}
        assert client.post(f"/runs/{run_ids[0]}/confirm", data=corrected).status_code == 303
        reason = {"csrf_token": token, "reason": MARKERS["diagnosis"]}
        assert client.post(f"/runs/{run_ids[1]}/reject", data=reason).status_code == 303
    assert "review POST /runs/{run_id:int}/reject -> 303" in caplog.text
    assert _leaks(caplog.text + "\n".join(caplog.messages)) == []
