"""Clinical letters: referral letters and discharge summaries (FHIR Condition,
MedicationStatement, Procedure).

Field names are a contract: the `clinical_letters` view and the FHIR export depend on them.
"""

import datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas.kinds import DataClass, FieldKind, spec
from schemas.patient import Patient

SCHEMA_NAME = "clinical_letter"
SCHEMA_VERSION = 1


class Diagnosis(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        None, **spec(FieldKind.TEXT, "Condition.code.text", "diagnosis", DataClass.CLINICAL)
    )
    icd10: str | None = Field(
        None,
        **spec(FieldKind.ICD10, "Condition.code.coding", "ICD-10 code", DataClass.CLINICAL),
    )


class Medication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "MedicationStatement.medication", "drug name", DataClass.CLINICAL),
    )
    dose: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "Dosage.doseAndRate", "dose, e.g. 500 mg", DataClass.CLINICAL),
    )
    frequency: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "Dosage.timing", "how often, e.g. twice daily", DataClass.CLINICAL),
    )


class Procedure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        None, **spec(FieldKind.TEXT, "Procedure.code.text", "procedure", DataClass.CLINICAL)
    )
    date: datetime.date | None = Field(
        None, **spec(FieldKind.DATE, "Procedure.performedDateTime", "date", DataClass.DATE)
    )


class ClinicalLetter(BaseModel):
    """A referral letter or discharge summary: diagnoses, medications, follow-up."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = Field(
        None,
        pattern=r"^(referral|discharge)$",
        **spec(
            FieldKind.LETTER_KIND,
            "Composition.type",
            "referral letter or discharge summary",
            DataClass.CLINICAL,
        ),
    )
    patient: Patient = Field(default_factory=Patient, description="Patient the letter is about")
    author: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "Composition.author", "the physician who wrote it", DataClass.NAME),
    )
    date: datetime.date | None = Field(
        None, **spec(FieldKind.DATE, "Composition.date", "letter date", DataClass.DATE)
    )
    admission_date: datetime.date | None = Field(
        None,
        **spec(FieldKind.DATE, "Encounter.period.start", "admission date", DataClass.DATE),
    )
    discharge_date: datetime.date | None = Field(
        None,
        **spec(FieldKind.DATE, "Encounter.period.end", "discharge date", DataClass.DATE),
    )
    diagnoses: list[Diagnosis] = Field(default_factory=list, description="Condition diagnoses")
    medications: list[Medication] = Field(
        default_factory=list, description="MedicationStatement medications"
    )
    procedures: list[Procedure] = Field(default_factory=list, description="Procedure procedures")
    follow_up: str | None = Field(
        None,
        **spec(
            FieldKind.TEXT, "CarePlan.description", "follow-up instructions", DataClass.CLINICAL
        ),
    )


CORE_FIELDS = (
    "kind",
    "patient.name",
    "patient.birth_date",
    "date",
    "admission_date",
    "discharge_date",
    "diagnoses.*.icd10",
)

LABELS: dict[str, tuple[str, ...]] = {
    "kind": (r"^\s*(?:type|document)(?=\s*:)",),
    "patient.name": (
        r"patient(?:'s)?\s+name",
        r"^\s*(?:re|patient|name)(?=\s*:)",
        r"\bname(?=\s*:)",
        r"patient(?:in)?\s*(?=:)",
    ),
    "patient.birth_date": (
        r"date\s+of\s+birth",
        r"\bdob\b",
        r"birth\s*date",
        r"\bborn\b",
        r"geb(?:urtsdatum|\.)",
    ),
    "patient.sex": (r"\bsex\b", r"\bgender\b", r"geschlecht"),
    "patient.identifier": (
        r"\bmrn\b",
        r"medical\s+record\s*(?:no\.?|number|#)?",
        r"hospital\s*(?:no\.?|number|#)",
        r"patient\s*(?:id|no\.?|number|#)",
        r"nhs\s*(?:no\.?|number)",
    ),
    "author": (
        r"^\s*(?:signed|author|from|dictated\s+by|attending(?:\s+physician)?)(?=\s*:)",
        r"electronically\s+signed\s+by",
        r"^\s*(?:yours\s+)?(?:sincerely|faithfully|truly)\s*,?\s*$",
        r"^\s*(?:kind|best|warm)\s+regards\s*,?\s*$",
        r"^\s*mit\s+freundlichen\s+grüßen\s*,?\s*$",
    ),
    "date": (r"^\s*date(?:\s+of\s+letter)?(?=\s*:)", r"letter\s+date", r"^\s*datum"),
    "admission_date": (
        r"(?:date\s+of\s+)?admission(?:\s+date)?",
        r"admitted(?:\s+on)?",
        r"aufnahme(?:datum)?",
    ),
    "discharge_date": (
        r"(?:date\s+of\s+)?discharge(?:\s+date)?(?!\s+summary)",
        r"discharged(?:\s+on)?",
        r"entlassung(?:sdatum)?",
    ),
    "follow_up": (r"follow[- ]up(?:\s+plan)?", r"weiteres\s+vorgehen", r"plan(?=\s*:)"),
    "_other": (r"referral\s+date", r"page\s+\d", r"dictated(?:\s+on)?", r"typed(?:\s+on)?"),
}

# A date alone on one of the first lines is the letter's date (the correspondence style).
HEADINGS = {
    "date": r"^(?:\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)?[ ./-]+(?:[^\W\d_]+\.?|\d{1,2})[ ./-]+\d{2,4}|"
    r"[^\W\d_]+\.? \d{1,2}(?:st|nd|rd|th)?, \d{4})$",
}

ROUTING_CUES = (
    r"discharge\s+summary",
    r"discharge\s+letter",
    r"referral\s+letter",
    r"\breferral\b",
    r"dear\s+(?:dr|doctor|colleague)",
    r"\bdiagnos[ie]s\b",
    r"\bmedications?\b",
    r"entlassungsbrief",
    r"arztbrief",
    r"überweisung",
)
