"""Laboratory reports (FHIR DiagnosticReport with one Observation per result).

Field names are a contract: the `lab_results` view and the FHIR export depend on them.
Every field is optional: absent in the document means null, never invented.
"""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schemas.kinds import DataClass, FieldKind, spec
from schemas.patient import Patient

SCHEMA_NAME = "lab_report"
SCHEMA_VERSION = 1


class LabResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test_name: str | None = Field(
        None, **spec(FieldKind.TEXT, "Observation.code.text", "test name", DataClass.CLINICAL)
    )
    code: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "Observation.code.coding", "LOINC or lab code", DataClass.CLINICAL),
    )
    value: str | None = Field(
        None, **spec(FieldKind.TEXT, "Observation.value", "result value", DataClass.CLINICAL)
    )
    unit: str | None = Field(
        None, **spec(FieldKind.TEXT, "Observation.valueQuantity.unit", "unit", DataClass.CLINICAL)
    )
    reference_range: str | None = Field(
        None,
        **spec(
            FieldKind.TEXT,
            "Observation.referenceRange.text",
            "reference range, normal range",
            DataClass.CLINICAL,
        ),
    )
    flag: str | None = Field(
        None,
        pattern=r"^(H|L|HH|LL|A|N)$",
        **spec(
            FieldKind.FLAG,
            "Observation.interpretation",
            "abnormal flag: H high, L low, A abnormal",
            DataClass.CLINICAL,
        ),
    )


class LabReport(BaseModel):
    """A laboratory report: a patient's test results with units and reference ranges."""

    model_config = ConfigDict(extra="forbid")

    patient: Patient = Field(default_factory=Patient, description="Patient the results are for")
    ordering_provider: str | None = Field(
        None,
        **spec(
            FieldKind.TEXT,
            "ServiceRequest.requester",
            "ordering physician, requested by",
            DataClass.NAME,
        ),
    )
    lab_name: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "DiagnosticReport.performer", "laboratory name", DataClass.NAME),
    )
    collected_at: date | None = Field(
        None,
        **spec(
            FieldKind.DATE,
            "Specimen.collection.collectedDateTime",
            "collection date, collected",
            DataClass.DATE,
        ),
    )
    reported_at: date | None = Field(
        None,
        **spec(FieldKind.DATE, "DiagnosticReport.issued", "report date, reported", DataClass.DATE),
    )
    results: list[LabResult] = Field(
        default_factory=list, description="Observation results: one row per test"
    )


CORE_FIELDS = (
    "patient.name",
    "patient.birth_date",
    "collected_at",
    "reported_at",
    "results.*.test_name",
    "results.*.value",
    "results.*.unit",
)

LABELS: dict[str, tuple[str, ...]] = {
    "patient.name": (
        r"patient(?:'s)?\s+name",
        r"^\s*patient(?=\s*:)",
        r"^\s*name(?=\s*:)",
        r"^\s*(?:patient(?:'s)?\s+)?name\s*$",
        r"\bname(?=\s*:)",
        r"patient(?:in)?\s*(?=:)",
        r"^\s*nom\s+du\s+patient",
    ),
    "patient.birth_date": (
        r"date\s+of\s+birth",
        r"\bdob\b",
        r"birth\s*date",
        r"geb(?:urtsdatum|\.)",
        r"date\s+de\s+naissance",
    ),
    "patient.sex": (r"\bsex\b", r"\bgender\b", r"geschlecht", r"\bsexe\b"),
    "patient.identifier": (
        r"\bmrn\b",
        r"medical\s+record\s*(?:no\.?|number|#)?",
        r"patient\s*(?:id|no\.?|number|#)",
        r"patienten-?\s*(?:id|nr\.?|nummer)",
        r"fall-?\s*(?:nr\.?|nummer)",
    ),
    "ordering_provider": (
        r"ordering\s+(?:physician|provider|doctor)",
        r"requested\s+by",
        r"referring\s+(?:physician|doctor)",
        r"einsender",
        r"anfordernde[rs]?\s+arzt",
        r"auftraggeber",
        r"prescripteur",
    ),
    "lab_name": (r"performing\s+lab(?:oratory)?", r"^\s*laboratory(?=\s*:)", r"labor(?=\s*:)"),
    "collected_at": (
        r"(?:specimen\s+)?collect(?:ed|ion)(?:\s+date)?(?:\s+on)?",
        r"sample\s+(?:taken|date)",
        r"entnahme(?:datum)?",
        r"abnahme(?:datum)?",
        r"prélèvement",
    ),
    "reported_at": (
        r"\breported(?:\s+(?:on|date))?",
        r"report\s+date",
        r"date\s+reported",
        r"befund(?:datum|\s+vom)",
        r"berichtsdatum",
        r"ausgestellt(?:\s+am)?",
        r"date\s+du\s+compte\s+rendu",
    ),
    "_other": (r"received", r"eingang(?:sdatum)?", r"printed", r"page\s+\d"),
}

# A line near the top that names the laboratory (its letterhead), for `lab_name`.
HEADINGS = {
    "lab_name": r"^(?!\s*(?:lab(?:oratory)?\s+(?:report|results?)|department|laborbefund))"
    r"(?P<value>.*?\b(?:lab(?:oratory|oratories|or)?|pathology|diagnostics|labormedizin)\b.*?)"
    r"(?:\s+(?:lab(?:oratory)?\s+(?:report|results?)|laborbefund))?$",
}

# Words that mark a document as a lab report, for `schema="auto"`.
ROUTING_CUES = (
    r"laboratory\s+report",
    r"lab(?:oratory)?\s+results?",
    r"reference\s+(?:range|interval)",
    r"\bspecimen\b",
    r"laborbefund",
    r"referenzbereich",
    r"normbereich",
    r"compte\s+rendu\s+d'analyses",
)
