"""FHIR R4 resources for the clinical schemas: Patient, lab reports (DiagnosticReport and
Observation) and clinical letters (Encounter, Condition, MedicationStatement, Procedure)."""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from extractor.fhir.build import (
    ICD10,
    LOINC,
    Resources,
    absent,
    coding,
    dose_quantity,
    has_data,
    iso,
    present,
    quantity,
)

V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

_INTERPRETATIONS = {
    "H": "High",
    "L": "Low",
    "HH": "Critical high",
    "LL": "Critical low",
    "A": "Abnormal",
    "N": "Normal",
}
_LOINC_CODE = re.compile(r"(\d{1,5})-(\d)")
_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")

Reference = dict[str, Any]


def patient(data: Mapping[str, Any], out: Resources) -> Reference | None:
    """The Patient, or None when the document names none of its fields."""
    if not has_data(data):
        return None
    identifier, name = data.get("identifier"), data.get("name")
    mrn = [coding(V2_0203, "MR", "Medical record number")]
    return out.add(
        "Patient",
        "patient",
        {
            "identifier": [{"type": {"coding": mrn}, "value": identifier}] if identifier else None,
            "name": [human_name(name)] if name else None,
            "gender": data.get("sex"),
            "birthDate": iso(data.get("birth_date")),
        },
        ("patient",),
    )


def human_name(text: str) -> dict[str, Any]:
    """ "Doe, John A" (as on claim forms) or "John A Doe": text with family and given names;
    any other shape: the text alone."""
    if "," in text:
        family, *rest = (part.strip() for part in text.split(","))
        given = " ".join(rest).split()
    else:
        *given, family = text.split()
        if len(given) > 2:
            return {"text": text}
    words = [*family.split(), *given]
    if not given or not all(_NAME_WORD.fullmatch(word) for word in words):
        return {"text": text}
    return {"text": text, "family": family, "given": given}


def lab_report(data: Mapping[str, Any], out: Resources) -> None:
    subject = patient(data.get("patient", {}), out)
    collected = iso(data.get("collected_at"))
    results = [
        _observation(f"results.{index}", item, subject, collected, out)
        for index, item in present(data, "results")
    ]
    lab = data.get("lab_name")
    out.add(
        "DiagnosticReport",
        "report",
        {
            "status": "final",
            "category": [{"coding": [coding(V2_0074, "LAB", "Laboratory")]}],
            "code": {
                "coding": [coding(LOINC, "11502-2", "Laboratory report")],
                "text": "Laboratory report",
            },
            "subject": subject,
            "effectiveDateTime": collected,
            "issued": _instant(data.get("reported_at")),
            "performer": [{"display": lab}],
            "result": results,
        },
        ("lab_name", "collected_at", "reported_at"),
    )


def _instant(day: date | None) -> str | None:
    """`issued` is an instant: the report date at midnight UTC (the document gives a date)."""
    return f"{day.isoformat()}T00:00:00Z" if day is not None else None


def _observation(
    key: str, item: Mapping[str, Any], subject: Reference | None, collected: str | None,
    out: Resources,
) -> Reference:  # fmt: skip
    name, code, flag = item.get("test_name"), item.get("code"), item.get("flag")
    value, unit = item.get("value"), item.get("unit")
    amount = quantity(value, unit)
    return out.add(
        "Observation",
        key,
        {
            "status": "final",
            "category": [{"coding": [coding(OBSERVATION_CATEGORY, "laboratory", "Laboratory")]}],
            "code": {"coding": [_lab_code(code)], "text": name} if name or code else absent(),
            "subject": subject,
            "effectiveDateTime": collected,
            "valueQuantity": amount,
            "valueString": " ".join(filter(None, (value, unit))) if amount is None else None,
            "interpretation": [
                {"coding": [coding(V3_INTERPRETATION, flag, _INTERPRETATIONS.get(flag or ""))]}
            ],
            "referenceRange": [{"text": item.get("reference_range")}],
        },
        (key, "collected_at"),
    )


def _lab_code(code: str | None) -> dict[str, Any] | None:
    """A LOINC coding when the code is one (shape and check digit), else a local code."""
    if code is None:
        return None
    match = _LOINC_CODE.fullmatch(code)
    if match is not None and _loinc_check_digit(match[1]) == int(match[2]):
        return coding(LOINC, code)
    return {"code": code}


def _loinc_check_digit(digits: str) -> int:
    """LOINC's mod 10: double every other digit from the right, starting with the last."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value // 10 + value % 10
    return -total % 10


def clinical_letter(data: Mapping[str, Any], out: Resources) -> None:
    subject = patient(data.get("patient", {}), out) or absent()
    encounter = _encounter(data, subject, out)
    common = {"subject": subject, "encounter": encounter}
    author = {"display": data.get("author")}
    for index, item in present(data, "diagnoses"):
        key = f"diagnoses.{index}"
        concept = {"coding": [coding(ICD10, item.get("icd10"))], "text": item.get("text")}
        out.add("Condition", key, {**common, "code": concept, "asserter": author}, (key, "author"))
    for index, item in present(data, "medications"):
        key = f"medications.{index}"
        body = _medication(item, subject, encounter, author, data.get("date"))
        out.add("MedicationStatement", key, body, (key, "author", "date"))
    for index, item in present(data, "procedures"):
        key = f"procedures.{index}"
        performed = {"performedDateTime": iso(item.get("date"))}
        body = {**common, "status": "completed", "code": {"text": item.get("text")}, **performed}
        out.add("Procedure", key, body, (key,))


def _encounter(data: Mapping[str, Any], subject: Reference, out: Resources) -> Reference | None:
    """The hospital stay, when the letter gives an admission or a discharge date."""
    start, end = data.get("admission_date"), data.get("discharge_date")
    if start is None and end is None:
        return None
    body: dict[str, Any] = {
        "status": "finished" if end is not None else "unknown",
        "class": coding(V3_ACT_CODE, "IMP", "inpatient encounter"),
        "subject": subject,
        "period": {"start": iso(start), "end": iso(end)},
    }
    return out.add("Encounter", "encounter", body, ("admission_date", "discharge_date"))


def _medication(
    item: Mapping[str, Any], subject: Reference, encounter: Reference | None,
    author: Reference, asserted: date | None,
) -> dict[str, Any]:  # fmt: skip
    name, dose, frequency = item.get("name"), item.get("dose"), item.get("frequency")
    return {
        "status": "active",  # a letter lists the medication the patient is (to be) taking
        "medicationCodeableConcept": {"text": name} if name else absent(),
        "subject": subject,
        "context": encounter,
        "dateAsserted": iso(asserted),
        "informationSource": author,
        "dosage": [
            {
                "text": " ".join(filter(None, (dose, frequency))),
                "timing": {"code": {"text": frequency}},
                "doseAndRate": [{"doseQuantity": dose_quantity(dose)}],
            }
        ],
    }
