"""Generate the clinical test sets with known true values, in four folders:

- `lab_reports/`: lab reports in three layouts (US table, two-column block, German
  Laborbefund), 3 to 15 results, some continued on a second page;
- `letters/`: referral letters and discharge summaries in two layouts;
- `claims/`: filled CMS-1500 forms (AcroForm values; some without the /AcroForm dictionary,
  some with the sex box set only through its widget's /AS state);
- `claims_flat/`: flattened CMS-1500 forms: the values are page text, there are no fields.

Content comes from `sample_sets/clinical_data.py` (fixed seed: re-running gives identical files).
Each `NAME.pdf` gets a `NAME.truth.json`: the complete schema data, every field present, null
where the document has none; text fields hold the text as printed, typed fields the
normalised value (ISO dates, "male"/"female", "E11.9", plain decimals).
Run: python -m sample_sets.make_clinical [--out DIR]
"""

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pypdf import PdfReader

from sample_sets import SAMPLES
from sample_sets.claim_pdfs import printed_name, text_fields, write_filled, write_flat
from sample_sets.clinical_data import (
    Claim,
    LabReport,
    Letter,
    build_claims,
    build_lab_reports,
    build_letters,
)
from sample_sets.clinical_pdfs import render_lab_report, render_letter
from sample_sets.clinical_text import (
    format_date,
    lab_header,
    letter_header,
    printed_results,
)
from schemas.claim_form import ClaimForm
from schemas.clinical_letter import ClinicalLetter
from schemas.lab_report import LabReport as LabReportSchema

DEFAULT_OUT = SAMPLES / "clinical"
LAB_COUNT = 24
LETTER_COUNT = 24
# 18 filled forms, 2 without /AcroForm, 2 with the sex box set only by /AS, 6 flattened
CLAIM_VARIANTS = (
    tuple(
        "no_acroform" if n in (5, 14) else "as_only" if n in (9, 20) else "acroform"
        for n in range(1, 23)
    )
    + ("flat",) * 6
)
FOLDERS = ("lab_reports", "letters", "claims", "claims_flat")


def complete(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The data as the schema dumps it: every field present, typed values normalised."""
    dumped: dict[str, Any] = model.model_validate(data).model_dump(mode="json")
    return dumped


def lab_truth(report: LabReport) -> dict[str, Any]:
    return complete(
        LabReportSchema,
        {
            "patient": {
                "name": lab_header(report)["patient.name"],
                "birth_date": report.patient.birth,
                "sex": report.patient.sex,
                "identifier": report.patient.mrn,
            },
            "ordering_provider": lab_header(report)["ordering_provider"],
            "lab_name": report.lab,
            "collected_at": report.collected,
            "reported_at": report.reported,
            "results": [
                {
                    "test_name": row.test_name,
                    "code": row.code,
                    "value": row.value,
                    "unit": row.unit,
                    "reference_range": row.reference_range,
                    "flag": row.flag,
                }
                for row in printed_results(report)
            ],
        },
    )


def letter_truth(letter: Letter) -> dict[str, Any]:
    printed = letter_header(letter)
    return complete(
        ClinicalLetter,
        {
            "kind": letter.kind,
            "patient": {
                "name": printed["patient.name"],
                "birth_date": letter.patient.birth,
                "sex": letter.patient.sex,
                "identifier": letter.patient.mrn,
            },
            "author": printed["author"],
            "date": letter.written,
            "admission_date": letter.admitted,
            "discharge_date": letter.discharged,
            "diagnoses": [{"text": d.text, "icd10": d.icd10} for d in letter.diagnoses],
            "medications": [
                {"name": m.name, "dose": m.dose, "frequency": m.frequency}
                for m in letter.medications
            ],
            "procedures": [{"text": p.text, "date": p.day} for p in letter.procedures],
            "follow_up": letter.follow_up,
        },
    )


def claim_truth(claim: Claim) -> dict[str, Any]:
    return complete(
        ClaimForm,
        {
            "patient": {
                "name": printed_name(claim.patient),
                "birth_date": claim.patient.birth,
                "sex": claim.patient.sex,
            },
            "insured": {"name": printed_name(claim.insured), "id": claim.insured_id},
            "diagnosis_codes": [{"code": code} for code in claim.diagnoses],
            "service_lines": [
                {
                    "date_from": line.date_from,
                    "date_to": line.date_to,
                    "place_of_service": line.place,
                    "cpt": line.cpt,
                    "modifiers": " ".join(line.modifiers) or None,
                    "diagnosis_pointer": line.pointer,
                    "charge": line.charge,
                    "units": line.units,
                    "rendering_npi": line.rendering_npi,
                }
                for line in claim.lines
            ],
            "total_charge": claim.total,
            "billing_provider": {
                "name": claim.billing.name,
                "npi": claim.billing.npi,
                "tax_id": claim.billing.tax_id,
            },
        },
    )


def lab_printed(report: LabReport) -> Iterator[str]:
    """The values a lab report prints, as printed, for the text-layer check."""
    yield from lab_header(report).values()
    for row in printed_results(report):
        yield from (row.test_name, row.value, row.reference_range)
        yield from (text for text in (row.code, row.unit, row.flag_text) if text)


def letter_printed(letter: Letter) -> Iterator[str]:
    yield from letter_header(letter).values()
    for diagnosis in letter.diagnoses:
        yield from (diagnosis.text, diagnosis.icd10)
    for medication in letter.medications:
        yield from (medication.name, medication.dose, medication.frequency)
    for procedure in letter.procedures:
        yield from (procedure.text, format_date(procedure.day, letter.date_style))
    yield letter.follow_up


def claim_printed(claim: Claim) -> Iterator[str]:
    """The text a flattened claim draws."""
    yield from text_fields(claim).values()


def _write_truth(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_sets(out: Path) -> dict[str, list[Path]]:
    """Write the four folders under `out`; {folder: the PDFs written}."""
    written: dict[str, list[Path]] = {folder: [] for folder in FOLDERS}
    for folder in FOLDERS:
        (out / folder).mkdir(parents=True, exist_ok=True)

    def emit(folder: str, name: str, truth: dict[str, Any]) -> Path:
        pdf = out / folder / f"{name}.pdf"
        _write_truth(pdf.with_suffix(".truth.json"), truth)
        written[folder].append(pdf)
        return pdf

    for report in build_lab_reports(LAB_COUNT):
        render_lab_report(report, emit("lab_reports", report.name, lab_truth(report)))
    for letter in build_letters(LETTER_COUNT):
        render_letter(letter, emit("letters", letter.name, letter_truth(letter)))
    for claim in build_claims(CLAIM_VARIANTS):
        if claim.variant == "flat":
            write_flat(claim, emit("claims_flat", claim.name, claim_truth(claim)))
        else:
            write_filled(claim, emit("claims", claim.name, claim_truth(claim)))
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the clinical PDFs and truth JSON.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    total = 0
    for folder, pdfs in write_sets(args.out).items():
        size = sum(p.stat().st_size + p.with_suffix(".truth.json").stat().st_size for p in pdfs)
        pages = sum(len(PdfReader(p).pages) for p in pdfs)
        total += size
        print(f"{folder}: {len(pdfs)} PDFs, {pages} pages, {size / 1e6:.2f} MB with truth files")
    print(f"total: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
