"""Scanned copies of the generated invoices through OCR and the bundled model, scored by the
evaluation harness against the same documents' text layer (issue: scanned PDFs)."""

from pathlib import Path

import pytest

from extractor.evaluate.harness import Evaluation, evaluate
from extractor.model.backend import LlamaBackend
from extractor.pipeline import Extractor
from extractor.settings import ExtractorSettings
from sample_sets.make_scans import scan_set
from schemas import get_schema
from tests.conftest import ROOT

SOURCES = (ROOT / "bench" / "samples" / "varied", ROOT / "bench" / "samples" / "invoices")
INVOICE = get_schema("invoice")
MAX_DROP = 0.05  # scans at 300 dpi: each core field within 5 points of the text layer


@pytest.fixture(scope="module")
def evaluations(
    backend: LlamaBackend,
    settings: ExtractorSettings,
    ocr_engine: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Evaluation]:
    scratch = tmp_path_factory.mktemp("scans")
    folders: dict[str, list[Path]] = {"text layer": [], "300dpi": [], "200dpi": []}
    for source in SOURCES:
        folders["text layer"].extend(sorted(source.glob("*.pdf")))
        for kind in ("300dpi", "200dpi"):
            folders[kind].extend(scan_set(source, scratch / f"{source.name}-{kind}", kind))
    extractor = Extractor(backend, settings)
    return {name: evaluate(pdfs, extractor, INVOICE) for name, pdfs in folders.items()}


@pytest.mark.parametrize("field", INVOICE.cues.core_fields)
def test_scans_at_300_dpi_are_within_five_points_of_the_text_layer(
    evaluations: dict[str, Evaluation], field: str
) -> None:
    text_correct, total = evaluations["text layer"].accuracy(field)
    scan_correct, scan_total = evaluations["300dpi"].accuracy(field)
    assert total == scan_total == 36
    assert scan_correct / total >= text_correct / total - MAX_DROP, (scan_correct, text_correct)


@pytest.mark.parametrize("kind", ["300dpi", "200dpi"])
def test_every_scan_is_read_and_nothing_is_hallucinated(
    evaluations: dict[str, Evaluation], kind: str
) -> None:
    report = evaluations[kind]
    assert report.failed == []
    hallucinated, produced = report.hallucination()
    assert produced > 0 and hallucinated == 0


def test_faxes_at_200_dpi_keep_most_core_fields(evaluations: dict[str, Evaluation]) -> None:
    core = INVOICE.cues.core_fields
    for field in core:
        text_correct, total = evaluations["text layer"].accuracy(field)
        fax_correct, _ = evaluations["200dpi"].accuracy(field)
        assert fax_correct / total >= text_correct / total - 2 * MAX_DROP, field
