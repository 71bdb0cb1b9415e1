"""FHIR R4 export: bundles validated against the R4 (4.0.1) models of `fhirclient`, the
mapping of each clinical schema, Provenance spans, stable ids, and the export from SQLite
through the API and the command line."""

import json
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirelementfactory import FHIRElementFactory
from pydantic import BaseModel
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from extractor.fhir.build import DATA_ABSENT_REASON, resource_id
from extractor.fhir.bundle import SOURCE_SPAN, bundle_json, fhir_bundle, sha256_uri
from extractor.fhir.clinical import human_name
from extractor.result import ErrorRecord, ExtractionResult, FieldRecord, Method, Status
from extractor.schema_walk import unflatten
from extractor.store.engine import make_engine, upgrade
from extractor.store.fhir_export import export_fhir
from extractor.store.runs import save_result
from schemas.claim_form import ClaimForm
from schemas.clinical_letter import ClinicalLetter
from schemas.invoice import Invoice
from schemas.lab_report import LabReport
from workers.cli import app

RECORDED = datetime(2024, 3, 13, 9, 30, tzinfo=UTC)
LAB_SHA = "a1" * 32
LETTER_SHA = "b2" * 32
CLAIM_SHA = "c3" * 32

LAB_PAGES = (
    "Northside Clinical Laboratory\n"
    "Patient: Doe, Jane Q   DOB: 02/04/1980   Sex: F   MRN: MRN-004512\n"
    "Collected: 11.03.2024   Reported: 12.03.2024\n"
    "Glucose 2345-7 5.4 mmol/L 3.9-5.5\n"
    "Potassium 2823-3 5.9 mmol/L 3.5-5.1 H\n",
    "C-reactive protein CRP01 <0.5 mg/L <5\n"
    "Hemoglobin 718-8 13,5 g/dL 12.0-16.0\n"
    "Urine culture: No growth\n",
)
LETTER_PAGES = (
    "Discharge summary\nPatient: Max Mustermann, born 1956-07-14, male\n"
    "Admitted 2024-02-01, discharged 2024-02-09. Dr. Erika Weber, 2024-02-10\n"
    "Diagnoses: Type 2 diabetes mellitus (E11.9); Essential hypertension (I10)\n"
    "Medication: Metformin 500 mg twice daily; Ramipril 5 mg once daily\n"
    "Procedures: Coronary angiography on 2024-02-03\n",
)
CLAIM_PAGES = (
    "HEALTH INSURANCE CLAIM FORM\n1a 123456789A  2 DOE, JOHN, A  3 07/14/1956 M\n"
    "21 A E11.9  B I10\n"
    "24 03/04/2024 03/04/2024 11 99213 25 AB 150.00 1 1234567893\n"
    "24 03/05/2024 03/07/2024 11 93000 A 90.00 3 1245319599\n"
    "28 240.00  33 Riverside Family Practice 1497758544\n",
)


def _record(
    pages: tuple[str, ...], path: str, value: Any, raw: str, page: int = 1,
    method: Method = Method.RULES,
) -> FieldRecord:  # fmt: skip
    start = pages[page - 1].index(raw)
    return FieldRecord(path, value, method, 0.93, page, start, start + len(raw), raw=raw)


def _result(
    schema: str, model: type[BaseModel], sha256: str, fields: list[FieldRecord],
    review: tuple[str, ...] = (),
) -> ExtractionResult:  # fmt: skip
    data = model.model_validate(unflatten({f.path: f.value for f in fields})).model_dump()
    return ExtractionResult(
        path=Path(f"/inbox/{schema}.pdf"),
        sha256=sha256,
        size=48_213,
        schema=schema,
        schema_version=1,
        status=Status.NEEDS_REVIEW if review else Status.SUCCEEDED,
        pages=2,
        data=data,
        fields=fields,
        review_fields=list(review),
    )


def lab_result() -> ExtractionResult:
    p = LAB_PAGES
    fields = [
        _record(p, "patient.name", "Doe, Jane Q", "Doe, Jane Q"),
        _record(p, "patient.birth_date", date(1980, 4, 2), "02/04/1980"),
        _record(p, "patient.sex", "female", "F"),
        _record(p, "patient.identifier", "MRN-004512", "MRN-004512"),
        _record(p, "lab_name", "Northside Clinical Laboratory", "Northside Clinical Laboratory"),
        _record(p, "collected_at", date(2024, 3, 11), "11.03.2024"),
        _record(p, "reported_at", date(2024, 3, 12), "12.03.2024"),
        _record(p, "results.0.test_name", "Glucose", "Glucose"),
        _record(p, "results.0.code", "2345-7", "2345-7"),
        _record(p, "results.0.value", "5.4", "5.4"),
        _record(p, "results.0.unit", "mmol/L", "mmol/L"),
        _record(p, "results.0.reference_range", "3.9-5.5", "3.9-5.5"),
        _record(p, "results.1.test_name", "Potassium", "Potassium"),
        _record(p, "results.1.code", "2823-3", "2823-3"),
        _record(p, "results.1.value", "5.9", "5.9", method=Method.MODEL),
        _record(p, "results.1.unit", "mmol/L", "mmol/L"),
        _record(p, "results.1.flag", "H", " H\n"),
        _record(p, "results.2.test_name", "C-reactive protein", "C-reactive protein", 2),
        _record(p, "results.2.code", "CRP01", "CRP01", 2),
        _record(p, "results.2.value", "<0.5", "<0.5", 2),
        _record(p, "results.2.unit", "mg/L", "mg/L", 2),
        _record(p, "results.3.test_name", "Hemoglobin", "Hemoglobin", 2),
        _record(p, "results.3.code", "718-8", "718-8", 2),  # the check digit is 7
        _record(p, "results.3.value", "13,5", "13,5", 2),
        _record(p, "results.3.unit", "g/dL", "g/dL", 2),
        _record(p, "results.4.test_name", "Urine culture", "Urine culture", 2),
        _record(p, "results.4.value", "No growth", "No growth", 2),
    ]
    return _result("lab_report", LabReport, LAB_SHA, fields, review=("results.1.value",))


def letter_result() -> ExtractionResult:
    p = LETTER_PAGES
    fields = [
        _record(p, "kind", "discharge", "Discharge summary"),
        _record(p, "patient.name", "Max Mustermann", "Max Mustermann"),
        _record(p, "patient.birth_date", date(1956, 7, 14), "1956-07-14"),
        _record(p, "patient.sex", "male", "male"),
        _record(p, "author", "Dr. Erika Weber", "Dr. Erika Weber"),
        _record(p, "date", date(2024, 2, 10), "2024-02-10"),
        _record(p, "admission_date", date(2024, 2, 1), "2024-02-01"),
        _record(p, "discharge_date", date(2024, 2, 9), "2024-02-09"),
        _record(p, "diagnoses.0.text", "Type 2 diabetes mellitus", "Type 2 diabetes mellitus"),
        _record(p, "diagnoses.0.icd10", "E11.9", "E11.9"),
        _record(p, "diagnoses.1.text", "Essential hypertension", "Essential hypertension"),
        _record(p, "diagnoses.1.icd10", "I10", "I10"),
        _record(p, "medications.0.name", "Metformin", "Metformin"),
        _record(p, "medications.0.dose", "500 mg", "500 mg"),
        _record(p, "medications.0.frequency", "twice daily", "twice daily"),
        _record(p, "medications.1.name", "Ramipril", "Ramipril"),
        _record(p, "medications.1.frequency", "once daily", "once daily"),
        _record(p, "procedures.0.text", "Coronary angiography", "Coronary angiography"),
        _record(p, "procedures.0.date", date(2024, 2, 3), "2024-02-03"),
    ]
    return _result("clinical_letter", ClinicalLetter, LETTER_SHA, fields)


def claim_result(*, with_dates: bool = True) -> ExtractionResult:
    p = CLAIM_PAGES
    fields = [
        _record(p, "patient.name", "DOE, JOHN, A", "DOE, JOHN, A", method=Method.FORM),
        _record(p, "patient.birth_date", date(1956, 7, 14), "07/14/1956"),
        _record(p, "patient.sex", "male", "M"),
        _record(p, "insured.id", "123456789A", "123456789A"),
        _record(p, "diagnosis_codes.0.code", "E11.9", "E11.9"),
        _record(p, "diagnosis_codes.1.code", "I10", "I10"),
        _record(p, "service_lines.0.place_of_service", "11", "11"),
        _record(p, "service_lines.0.cpt", "99213", "99213"),
        _record(p, "service_lines.0.modifiers", "25", "25"),
        _record(p, "service_lines.0.diagnosis_pointer", "AB", "AB"),
        _record(p, "service_lines.0.charge", Decimal("150.00"), "150.00"),
        _record(p, "service_lines.0.units", Decimal("1"), "1"),
        _record(p, "service_lines.0.rendering_npi", "1234567893", "1234567893"),
        _record(p, "service_lines.1.place_of_service", "11", "11"),
        _record(p, "service_lines.1.cpt", "93000", "93000"),
        _record(p, "service_lines.1.diagnosis_pointer", "A", "A"),
        _record(p, "service_lines.1.charge", Decimal("90.00"), "90.00"),
        _record(p, "service_lines.1.units", Decimal("3"), "3"),
        _record(p, "service_lines.1.rendering_npi", "1245319599", "1245319599"),
        _record(p, "total_charge", Decimal("240.00"), "240.00"),
        _record(p, "billing_provider.name", "Riverside Family Practice", "Riverside Family"),
        _record(p, "billing_provider.npi", "1497758544", "1497758544"),
    ]
    if with_dates:
        fields += [
            _record(p, "service_lines.0.date_from", date(2024, 3, 4), "03/04/2024"),
            _record(p, "service_lines.0.date_to", date(2024, 3, 4), "03/04/2024"),
            _record(p, "service_lines.1.date_from", date(2024, 3, 5), "03/05/2024"),
            _record(p, "service_lines.1.date_to", date(2024, 3, 7), "03/07/2024"),
        ]
    return _result("claim_form", ClaimForm, CLAIM_SHA, fields)


def _export(result: ExtractionResult) -> dict[str, Any]:
    """Through the JSON text, as a receiver reads it, validated as a whole and per entry."""
    bundle: dict[str, Any] = json.loads(bundle_json(fhir_bundle(result, recorded=RECORDED)))
    Bundle(bundle)  # strict: wrong types, unknown or missing required elements raise
    for entry in bundle["entry"]:
        resource = entry["resource"]
        model = FHIRElementFactory.instantiate(resource["resourceType"], resource)
        assert model.resource_type == resource["resourceType"]
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        assert re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", resource["id"])
    assert not list(_empty_elements(bundle))
    return bundle


def _empty_elements(value: Any, path: str = "") -> Iterator[str]:
    if value is None or value in ("", [], {}):
        yield path
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _empty_elements(item, f"{path}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _empty_elements(item, f"{path}[{index}]")


def _resources(bundle: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def _one(bundle: dict[str, Any], resource_type: str) -> dict[str, Any]:
    (resource,) = _resources(bundle, resource_type)
    return resource


def _url(resource: dict[str, Any]) -> str:
    return f"urn:uuid:{resource['id']}"


def _spans(bundle: dict[str, Any], target: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The source spans of the Provenance of `target`, by field path."""
    (provenance,) = [
        p for p in _resources(bundle, "Provenance") if p["target"] == [{"reference": _url(target)}]
    ]
    (entity,) = provenance["entity"]
    assert entity["role"] == "source"
    assert entity["what"] == {"reference": _url(_one(bundle, "DocumentReference"))}
    spans = {}
    for extension in entity.get("extension", []):
        assert extension["url"] == SOURCE_SPAN
        parts = {
            part["url"]: next(v for k, v in part.items() if k != "url")
            for part in extension["extension"]
        }
        spans[parts.pop("path")] = parts
    return spans


def test_lab_report_maps_to_a_diagnostic_report_with_one_observation_per_result() -> None:
    bundle = _export(lab_result())
    assert bundle["type"] == "collection"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]][:8] == [
        "DocumentReference", "Patient", *["Observation"] * 5, "DiagnosticReport",
    ]  # fmt: skip
    patient = _one(bundle, "Patient")
    assert patient["name"] == [{"text": "Doe, Jane Q", "family": "Doe", "given": ["Jane", "Q"]}]
    assert patient["birthDate"] == "1980-04-02"
    assert patient["gender"] == "female"
    assert patient["identifier"][0]["value"] == "MRN-004512"
    assert patient["identifier"][0]["type"]["coding"][0]["code"] == "MR"

    report = _one(bundle, "DiagnosticReport")
    observations = _resources(bundle, "Observation")
    assert report["status"] == "final"
    assert report["code"]["text"] == "Laboratory report"
    assert report["subject"] == {"reference": _url(patient)}
    assert report["issued"] == "2024-03-12T00:00:00Z"
    assert report["effectiveDateTime"] == "2024-03-11"
    assert report["performer"] == [{"display": "Northside Clinical Laboratory"}]
    assert report["result"] == [{"reference": _url(o)} for o in observations]

    glucose, potassium, crp, hemoglobin, culture = observations
    assert glucose["code"] == {
        "coding": [{"system": "http://loinc.org", "code": "2345-7"}],
        "text": "Glucose",
    }
    assert glucose["valueQuantity"] == {"value": 5.4, "unit": "mmol/L"}
    assert glucose["referenceRange"] == [{"text": "3.9-5.5"}]
    assert glucose["effectiveDateTime"] == "2024-03-11"
    assert "interpretation" not in glucose
    assert potassium["interpretation"][0]["coding"] == [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": "H",
            "display": "High",
        }
    ]
    assert crp["code"]["coding"] == [{"code": "CRP01"}]  # a local code: no system
    assert crp["valueQuantity"] == {"value": 0.5, "comparator": "<", "unit": "mg/L"}
    assert hemoglobin["code"]["coding"] == [{"code": "718-8"}]  # LOINC-shaped, bad check digit
    assert hemoglobin["valueQuantity"]["value"] == 13.5
    assert culture["valueString"] == "No growth"
    assert "valueQuantity" not in culture and "code" not in culture["code"]


def test_provenance_points_every_resource_to_the_page_and_span_of_its_fields() -> None:
    result = lab_result()
    bundle = _export(result)
    document = _one(bundle, "DocumentReference")
    derived = [
        e["resource"] for e in bundle["entry"][1:] if e["resource"]["resourceType"] != "Provenance"
    ]
    assert len(_resources(bundle, "Provenance")) == len(derived)
    for provenance in _resources(bundle, "Provenance"):
        assert provenance["recorded"] == "2024-03-13T09:30:00Z"
        (agent,) = provenance["agent"]
        assert agent["type"]["coding"][0]["code"] == "assembler"
        assert agent["who"]["display"] == "extractor"

    potassium = _resources(bundle, "Observation")[1]
    spans = _spans(bundle, potassium)
    assert set(spans) == {
        "results.1.test_name", "results.1.code", "results.1.value", "results.1.unit",
        "results.1.flag", "collected_at",
    }  # fmt: skip
    for path, span in spans.items():
        record = result.field(path)
        assert record is not None
        assert (span["page"], span["start"], span["end"]) == (record.page, record.start, record.end)
        assert LAB_PAGES[span["page"] - 1][span["start"] : span["end"]] == record.raw
    assert spans["results.1.value"]["method"] == "model"
    assert spans["results.1.value"]["review"] is True
    assert "review" not in spans["results.1.code"]
    assert spans["results.1.code"]["confidence"] == 0.93
    hemoglobin = _resources(bundle, "Observation")[3]
    assert _spans(bundle, hemoglobin)["results.3.value"]["page"] == 2
    assert document["id"] not in {
        p["target"][0]["reference"] for p in _resources(bundle, "Provenance")
    }


def test_document_reference_describes_the_file_with_its_sha256() -> None:
    document = _one(_export(lab_result()), "DocumentReference")
    assert document["status"] == "current"
    assert document["content"] == [
        {
            "attachment": {
                "contentType": "application/pdf",
                "size": 48_213,
                "title": "lab_report.pdf",
            }
        }
    ]
    assert document["identifier"] == [{"system": "urn:ietf:rfc:3986", "value": sha256_uri(LAB_SHA)}]
    assert sha256_uri(LAB_SHA) == "ni:///sha-256;oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE"
    assert document["type"]["coding"][0]["code"] == "11502-2"


def test_clinical_letter_maps_diagnoses_medications_procedures_and_the_stay() -> None:
    bundle = _export(letter_result())
    patient = _one(bundle, "Patient")
    assert patient["name"] == [{"text": "Max Mustermann", "family": "Mustermann", "given": ["Max"]}]
    subject = {"reference": _url(patient)}
    encounter = _one(bundle, "Encounter")
    assert encounter["status"] == "finished"
    assert encounter["class"]["code"] == "IMP"
    assert encounter["period"] == {"start": "2024-02-01", "end": "2024-02-09"}

    diabetes, hypertension = _resources(bundle, "Condition")
    assert diabetes["code"] == {
        "coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11.9"}],
        "text": "Type 2 diabetes mellitus",
    }
    assert hypertension["code"]["coding"][0]["code"] == "I10"
    assert diabetes["subject"] == subject
    assert diabetes["encounter"] == {"reference": _url(encounter)}
    assert diabetes["asserter"] == {"display": "Dr. Erika Weber"}

    metformin, ramipril = _resources(bundle, "MedicationStatement")
    assert metformin["status"] == "active"
    assert metformin["medicationCodeableConcept"] == {"text": "Metformin"}
    assert metformin["dateAsserted"] == "2024-02-10"
    assert metformin["dosage"] == [
        {
            "text": "500 mg twice daily",
            "timing": {"code": {"text": "twice daily"}},
            "doseAndRate": [{"doseQuantity": {"value": 500, "unit": "mg"}}],
        }
    ]
    assert ramipril["dosage"] == [
        {"text": "once daily", "timing": {"code": {"text": "once daily"}}}
    ]

    procedure = _one(bundle, "Procedure")
    assert procedure["status"] == "completed"
    assert procedure["code"] == {"text": "Coronary angiography"}
    assert procedure["performedDateTime"] == "2024-02-03"
    assert set(_spans(bundle, procedure)) == {"procedures.0.text", "procedures.0.date"}
    assert _one(bundle, "DocumentReference")["type"]["coding"][0]["code"] == "18842-5"


def test_claim_form_maps_to_a_professional_claim() -> None:
    bundle = _export(claim_result())
    patient = _one(bundle, "Patient")
    assert patient["name"] == [{"text": "DOE, JOHN, A", "family": "DOE", "given": ["JOHN", "A"]}]
    claim = _one(bundle, "Claim")
    assert claim["status"] == "active"
    assert claim["use"] == "claim"
    assert claim["type"]["coding"][0]["code"] == "professional"
    assert claim["priority"]["coding"][0]["code"] == "normal"
    assert claim["patient"] == {"reference": _url(patient)}
    assert claim["created"] == "2024-03-04"  # the earliest service date
    assert claim["billablePeriod"] == {"start": "2024-03-04", "end": "2024-03-07"}
    npi = "http://hl7.org/fhir/sid/us-npi"
    assert claim["provider"] == {
        "identifier": {"system": npi, "value": "1497758544"},
        "display": "Riverside Family Practice",
    }
    assert claim["insurance"] == [
        {
            "sequence": 1,
            "focal": True,
            "coverage": {"identifier": {"value": "123456789A"}, "display": "123456789A"},
        }
    ]
    icd = "http://hl7.org/fhir/sid/icd-10-cm"
    assert claim["diagnosis"] == [
        {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": icd, "code": "E11.9"}]}},
        {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": icd, "code": "I10"}]}},
    ]
    assert [member["provider"]["identifier"]["value"] for member in claim["careTeam"]] == [
        "1234567893", "1245319599",
    ]  # fmt: skip
    visit, ecg = claim["item"]
    cpt = "http://www.ama-assn.org/go/cpt"
    assert visit["sequence"] == 1
    assert visit["productOrService"] == {"coding": [{"system": cpt, "code": "99213"}]}
    assert visit["modifier"] == [{"coding": [{"system": cpt, "code": "25"}]}]
    assert visit["servicedDate"] == "2024-03-04"
    assert visit["locationCodeableConcept"]["coding"][0]["code"] == "11"
    assert visit["diagnosisSequence"] == [1, 2]
    assert visit["careTeamSequence"] == [1]
    assert visit["quantity"] == {"value": 1}
    assert visit["unitPrice"] == {"value": 150.0, "currency": "USD"}
    assert visit["net"] == {"value": 150.0, "currency": "USD"}
    assert ecg["servicedPeriod"] == {"start": "2024-03-05", "end": "2024-03-07"}
    assert "servicedDate" not in ecg and "modifier" not in ecg
    assert ecg["unitPrice"] == {"value": 30.0, "currency": "USD"}
    assert ecg["diagnosisSequence"] == [1]
    assert ecg["careTeamSequence"] == [2]
    assert claim["total"] == {"value": 240.0, "currency": "USD"}
    assert "service_lines.1.charge" in _spans(bundle, claim)
    assert "patient.name" not in _spans(bundle, claim)  # the Patient's own Provenance has it


def test_claim_without_service_dates_is_created_on_the_day_it_was_recorded() -> None:
    claim = _one(_export(claim_result(with_dates=False)), "Claim")
    assert claim["created"] == "2024-03-13"
    assert "billablePeriod" not in claim


def test_missing_fields_are_left_out_and_required_ones_marked_absent() -> None:
    p = CLAIM_PAGES
    result = _result(
        "claim_form",
        ClaimForm,
        CLAIM_SHA,
        [_record(p, "total_charge", Decimal("240.00"), "240.00")],
    )
    bundle = _export(result)
    assert not _resources(bundle, "Patient")
    claim = _one(bundle, "Claim")
    unknown = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "unknown"}]}
    assert claim["patient"] == unknown
    assert claim["provider"] == unknown
    assert claim["insurance"][0]["coverage"] == unknown
    assert "item" not in claim and "diagnosis" not in claim and "careTeam" not in claim
    assert "subject" not in _one(bundle, "DocumentReference")


def test_amounts_keep_their_digits_in_the_json_text() -> None:
    text = bundle_json(fhir_bundle(claim_result(), recorded=RECORDED))
    assert '"value": 240.00' in text
    assert '"value": 30.00' in text  # 90.00 for 3 units


def test_export_is_deterministic() -> None:
    first = bundle_json(fhir_bundle(lab_result(), recorded=RECORDED))
    assert bundle_json(fhir_bundle(lab_result(), recorded=RECORDED)) == first
    bundle = json.loads(first)
    patient = _one(bundle, "Patient")
    assert uuid.UUID(patient["id"]).version == 5
    assert patient["id"] == resource_id(LAB_SHA, "Patient", "patient")
    other = lab_result()
    other.sha256 = "d4" * 32
    ids = {e["resource"]["id"] for e in fhir_bundle(other, recorded=RECORDED)["entry"]}
    assert not ids & {e["resource"]["id"] for e in bundle["entry"]}


def test_failed_result_gives_only_the_document_reference() -> None:
    result = ExtractionResult(
        path=Path("/inbox/scan.pdf"), sha256=LAB_SHA, size=10, schema="lab_report",
        schema_version=1, status=Status.FAILED, errors=[ErrorRecord("no_text", "no text")],
    )  # fmt: skip
    bundle = _export(result)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["DocumentReference"]


def test_invoice_gives_only_the_document_reference() -> None:
    fields = [FieldRecord("invoice_number", "A-1", Method.RULES, 0.9, 1, 0, 3)]
    bundle = _export(_result("invoice", Invoice, LAB_SHA, fields))
    (entry,) = bundle["entry"]
    assert entry["resource"]["type"] == {"text": "invoice"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Doe, Jane", {"family": "Doe", "given": ["Jane"]}),
        ("van der Berg, Anna Maria", {"family": "van der Berg", "given": ["Anna", "Maria"]}),
        ("John A. Smith", {"family": "Smith", "given": ["John", "A."]}),
        ("O'Brien-Smith, Seán", {"family": "O'Brien-Smith", "given": ["Seán"]}),
        ("Cher", {}),
        ("Patient 12345", {}),
        ("Maria de la Cruz Lopez", {}),
    ],
)
def test_human_name(text: str, expected: dict[str, Any]) -> None:
    assert human_name(text) == {"text": text, **expected}


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite database with a lab report (an older run failed), a letter whose
    newer run failed, and a failed document."""
    url = f"sqlite:///{tmp_path / 'results.db'}"
    engine = make_engine(url)
    upgrade(engine)
    errors = [ErrorRecord("damaged", "damaged PDF")]
    failed = {"status": Status.FAILED, "data": {}, "fields": [], "errors": errors}
    with Session(engine) as session:
        save_result(session, replace(lab_result(), **failed))
        save_result(session, lab_result())
        save_result(session, letter_result())
        save_result(session, replace(letter_result(), **failed))
        save_result(session, replace(lab_result(), **failed, sha256="e5" * 32))
        session.commit()
    engine.dispose()
    yield url


def test_export_fhir_writes_one_bundle_per_document(
    database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    engine = make_engine(database)
    with Session(engine) as session:
        written = export_fhir(session, tmp_path / "out")
        first = {path: path.read_bytes() for path in written}
        assert export_fhir(session, tmp_path / "out") == written
    assert {path: path.read_bytes() for path in written} == first
    assert [path.name for path in written] == [
        f"{LAB_SHA}.fhir.json", f"{LETTER_SHA}.fhir.json", f"{'e5' * 32}.fhir.json",
    ]  # fmt: skip
    lab, letter, broken = (json.loads(path.read_text("utf-8")) for path in written)
    for bundle in (lab, letter, broken):
        Bundle(bundle)
    assert len(_resources(lab, "Observation")) == 5
    assert _resources(letter, "Condition")  # the newer run failed: the older one is exported
    assert [e["resource"]["resourceType"] for e in broken["entry"]] == ["DocumentReference"]
    recorded = datetime.fromisoformat(_resources(lab, "Provenance")[0]["recorded"])
    assert lab == json.loads(bundle_json(fhir_bundle(lab_result(), recorded=recorded)))
    assert "Doe" not in caplog.text and "Mustermann" not in caplog.text
    engine.dispose()


def test_export_command(database: str, tmp_path: Path) -> None:
    out = tmp_path / "fhir"
    args = ["export", "--fhir", str(out), "--database-url", database]
    done = CliRunner().invoke(app, [*args, "--schema", "lab_report"])
    assert done.exit_code == 0, done.output
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [f"{LAB_SHA}.fhir.json", f"{'e5' * 32}.fhir.json"]
    )
    assert "wrote 2 FHIR bundles" in done.output
    assert "Doe" not in done.output
    for unknown in ("recipe", "auto"):
        assert CliRunner().invoke(app, [*args, "--schema", unknown]).exit_code == 2
