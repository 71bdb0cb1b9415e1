"""The clinical sets in bench/samples/clinical: reproducible, valid against their schemas
and their clinical checks, small, and fair (every value printed as text is in the PDF's text
layer)."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from extractor.clinical.checks import (
    validate_claim_form,
    validate_clinical_letter,
    validate_lab_report,
)
from extractor.read.pdf import read_pdf
from sample_sets.clinical_data import build_claims, build_lab_reports, build_letters
from sample_sets.make_clinical import (
    CLAIM_VARIANTS,
    DEFAULT_OUT,
    FOLDERS,
    LAB_COUNT,
    LETTER_COUNT,
    claim_printed,
    lab_printed,
    letter_printed,
    write_sets,
)
from schemas.claim_form import ClaimForm
from schemas.clinical_letter import ClinicalLetter
from schemas.lab_report import LabReport

SCHEMAS: dict[str, type[BaseModel]] = {
    "lab_reports": LabReport,
    "letters": ClinicalLetter,
    "claims": ClaimForm,
    "claims_flat": ClaimForm,
}
CHECKS = {
    LabReport: validate_lab_report,
    ClinicalLetter: validate_clinical_letter,
    ClaimForm: validate_claim_form,
}
REPORTS = build_lab_reports(LAB_COUNT)
LETTERS = build_letters(LETTER_COUNT)
CLAIMS = build_claims(CLAIM_VARIANTS)
MAX_BYTES = 8_000_000


def pdfs(folder: str) -> list[Path]:
    return sorted((DEFAULT_OUT / folder).glob("*.pdf"))


def collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clinical")
    write_sets(out)
    return out


def test_committed_sets_are_complete_and_small() -> None:
    names = {
        "lab_reports": [report.name for report in REPORTS],
        "letters": [letter.name for letter in LETTERS],
        "claims": [claim.name for claim in CLAIMS if claim.variant != "flat"],
        "claims_flat": [claim.name for claim in CLAIMS if claim.variant == "flat"],
    }
    for folder in FOLDERS:
        expected = sorted(
            f"{name}{suffix}" for name in names[folder] for suffix in (".pdf", ".truth.json")
        )
        assert sorted(path.name for path in (DEFAULT_OUT / folder).iterdir()) == expected
    assert len({report.layout for report in REPORTS}) >= 3 and len(REPORTS) >= 24
    assert {letter.kind for letter in LETTERS} == {"referral", "discharge"}
    assert sum(path.stat().st_size for path in DEFAULT_OUT.rglob("*") if path.is_file()) < MAX_BYTES


@pytest.mark.parametrize("folder", FOLDERS)
def test_regenerating_gives_identical_files(regenerated: Path, folder: str) -> None:
    for committed in sorted((DEFAULT_OUT / folder).iterdir()):
        fresh = regenerated / folder / committed.name
        assert fresh.read_bytes() == committed.read_bytes(), committed.name


def truths() -> Iterator[tuple[str, Path]]:
    for folder in FOLDERS:
        for pdf in pdfs(folder):
            yield folder, pdf


@pytest.mark.parametrize(
    ("folder", "pdf"), list(truths()), ids=lambda value: getattr(value, "stem", value)
)
def test_truth_is_complete_and_passes_the_clinical_checks(folder: str, pdf: Path) -> None:
    data: dict[str, Any] = json.loads(pdf.with_suffix(".truth.json").read_text("utf-8"))
    model = SCHEMAS[folder]
    document = model.model_validate(data)
    assert document.model_dump(mode="json") == data  # every field present, values normalised
    failed = [check.rule for check in CHECKS[model](document) if not check.passed]  # type: ignore[operator]
    assert failed == []


def page_text(pdf: Path) -> str:
    return collapse(read_pdf(pdf, max_pages=10, max_bytes=10_000_000).full)


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report.name)
def test_lab_report_text_holds_the_printed_values(report: Any) -> None:
    text = page_text(DEFAULT_OUT / "lab_reports" / f"{report.name}.pdf")
    assert [value for value in lab_printed(report) if collapse(value) not in text] == []


@pytest.mark.parametrize("letter", LETTERS, ids=lambda letter: letter.name)
def test_letter_text_holds_the_printed_values(letter: Any) -> None:
    text = page_text(DEFAULT_OUT / "letters" / f"{letter.name}.pdf")
    assert [value for value in letter_printed(letter) if collapse(value) not in text] == []


@pytest.mark.parametrize(
    "claim", [c for c in CLAIMS if c.variant == "flat"], ids=lambda claim: claim.name
)
def test_flattened_claim_text_holds_the_drawn_values(claim: Any) -> None:
    text = page_text(DEFAULT_OUT / "claims_flat" / f"{claim.name}.pdf")
    assert [value for value in claim_printed(claim) if collapse(value) not in text] == []
