"""The deterministic parts of clinical extraction: codes, checks, list rules and routing."""

from datetime import date
from decimal import Decimal

import pytest

from extractor.clinical.checks import (
    reference_bounds,
    validate_claim_form,
    validate_clinical_letter,
    validate_lab_report,
)
from extractor.clinical.lists import lab_result_records, letter_list_records
from extractor.clinical.routing import count_cues, route
from extractor.errors import NormalizationError
from extractor.model.confidence import Calibration
from extractor.read.pdf import DocumentText
from extractor.result import Method
from extractor.values.clinical_codes import normalize_icd10, npi_is_valid
from schemas import REGISTRY
from schemas.claim_form import ClaimForm
from schemas.clinical_letter import ClinicalLetter
from schemas.lab_report import LabReport

LAB_TEXT = """Northside Clinical Laboratory
Patient: Doe, John   DOB: 03/12/1965
Test Result Units Reference Range Flag
Hemoglobin 12.1 g/dL 13.5 - 17.5 L
Vitamin B12 450 pg/mL 200 - 900
25-OH Vitamin D 22 ng/mL 30 - 100 L
INR 1.1 0.8 - 1.2
WBC 11.2 10^9/L 4.0 - 10.0 H
Glucose 5,4 mmol/l 3,9 bis 5,6
Comments: none
Potassium 9.9 mmol/L 3.5 - 5.1 H"""

LETTER_TEXT = """Discharge Summary
Diagnoses:
1. Community-acquired pneumonia (J18.9)
2. Type 2 diabetes mellitus without complications - E11.9
3. Pneumonia again J18.9

Medications on discharge:
- Amoxicillin 500 mg three times daily for 5 days
- Metformin 1000 mg twice daily

Procedures
Chest X-ray on 11/29/2024
Blood cultures
"""


def _values(records: list) -> dict[str, object]:
    return {record.path: record.value for record in records}


@pytest.mark.parametrize(
    ("raw", "code"), [("E119", "E11.9"), ("e11.9", "E11.9"), ("I10", "I10"), ("M1A.0", "M1A.0")]
)
def test_icd10_codes_are_normalised(raw: str, code: str) -> None:
    assert normalize_icd10(raw) == code


@pytest.mark.parametrize("raw", ["A1C", "110", "E1", "EE11"])
def test_malformed_icd10_codes_are_refused(raw: str) -> None:
    with pytest.raises(NormalizationError):
        normalize_icd10(raw)


def test_npi_check_digit() -> None:
    assert npi_is_valid("1234567893")  # the example in the CMS NPI check-digit paper
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")


def test_reference_ranges_are_read() -> None:
    assert reference_bounds("3.5 - 5.1") == (Decimal("3.5"), Decimal("5.1"))
    assert reference_bounds("3,9 bis 5,6") == (Decimal("3.9"), Decimal("5.6"))
    assert reference_bounds("< 200") == (None, Decimal(200))
    assert reference_bounds("negative") is None


def test_lab_checks_flag_a_flag_that_contradicts_its_range() -> None:
    report = LabReport.model_validate(
        {
            "patient": {"birth_date": "1965-03-12"},
            "collected_at": "2024-11-02",
            "reported_at": "2024-11-01",
            "results": [
                {"value": "12.1", "reference_range": "13.5 - 17.5", "flag": "L"},
                {"value": "12.1", "reference_range": "13.5 - 17.5", "flag": None},
                {"value": "250", "reference_range": "< 200", "flag": "H"},
            ],
        }
    )
    outcomes = {(c.rule, c.fields[0]): c.passed for c in validate_lab_report(report)}
    assert outcomes[("flag_matches_range", "results.0.value")]
    assert not outcomes[("flag_matches_range", "results.1.value")]
    assert outcomes[("flag_matches_range", "results.2.value")]
    assert not outcomes[("dates_in_order", "collected_at")]


def test_claim_checks() -> None:
    claim = ClaimForm.model_validate(
        {
            "diagnosis_codes": [{"code": "E11.9"}, {"code": "I10"}],
            "service_lines": [
                {"charge": "100.00", "diagnosis_pointer": "AB", "rendering_npi": "1234567893"},
                {"charge": "50.00", "diagnosis_pointer": "C", "rendering_npi": "1234567890"},
            ],
            "total_charge": "150.00",
            "billing_provider": {"npi": "1234567893"},
        }
    )
    failed = {(c.rule, c.fields[0]) for c in validate_claim_form(claim) if not c.passed}
    assert failed == {
        ("diagnosis_pointers_exist", "service_lines.1.diagnosis_pointer"),
        ("npi_check_digit", "service_lines.1.rendering_npi"),
    }


def test_letter_dates_must_be_in_order() -> None:
    letter = ClinicalLetter.model_validate(
        {"admission_date": "2024-03-10", "discharge_date": "2024-03-01"}
    )
    assert [c.passed for c in validate_clinical_letter(letter)] == [False]


def test_lab_rows_are_read_under_the_table_header_only() -> None:
    records = lab_result_records(DocumentText((LAB_TEXT,)), Calibration.bundled())
    values = _values(records)
    assert values["results.0.test_name"] == "Hemoglobin"
    assert values["results.0.flag"] == "L"
    assert values["results.2.test_name"] == "25-OH Vitamin D"
    assert "results.3.unit" not in values  # INR has no unit
    assert values["results.3.reference_range"] == "0.8 - 1.2"
    assert values["results.4.unit"] == "10^9/L"
    assert values["results.5.reference_range"] == "3,9 bis 5,6"
    assert not any(path.startswith("results.6") for path in values)  # after "Comments"
    first = records[0]
    assert first.method == Method.RULES and first.page == 1
    assert LAB_TEXT[first.start : first.end] == "Hemoglobin"


def test_letter_lists_come_from_codes_and_sections() -> None:
    values = _values(letter_list_records(DocumentText((LETTER_TEXT,)), Calibration.bundled()))
    assert values["diagnoses.0.text"] == "Community-acquired pneumonia"
    assert values["diagnoses.1.icd10"] == "E11.9"
    assert "diagnoses.2.icd10" not in values  # a code repeated is one diagnosis
    assert values["medications.1.name"] == "Metformin"
    assert values["medications.1.dose"] == "1000 mg"
    assert values["medications.1.frequency"] == "twice daily"
    assert values["procedures.0.date"] == date(2024, 11, 29)
    assert values["procedures.1.text"] == "Blood cultures"


def test_a_section_ends_at_the_next_known_heading_without_a_colon() -> None:
    text = (
        "Investigations and procedures\n - HbA1c measurement on 02/08/2024\n"
        "Current medications\n - Insulin glargine 14 units once daily at bedtime\n"
    )
    values = _values(letter_list_records(DocumentText((text,)), Calibration.bundled()))
    assert values["procedures.0.text"] == "HbA1c measurement"
    assert "procedures.1.text" not in values
    assert values["medications.0.name"] == "Insulin glargine"


def test_routing_by_cues_alone_when_they_are_clear() -> None:
    schema, routing = route(LAB_TEXT + "\nLaboratory report", list(REGISTRY.values()), None)
    assert schema.name == "lab_report" and routing.method == Method.RULES
    assert routing.confidence > 0.9
    counts = {
        count.schema.name: count.cues
        for count in count_cues(
            "HEALTH INSURANCE CLAIM FORM  APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE",
            list(REGISTRY.values()),
        )
    }
    assert counts["claim_form"] == 2
