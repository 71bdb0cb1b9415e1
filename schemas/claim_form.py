"""Health insurance claims on the CMS-1500 form (FHIR Claim); box numbers are in each
field's code.

Field names are a contract: the `claims` and `claim_lines` views and the FHIR export
depend on them.
"""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from schemas.kinds import DataClass, FieldKind, spec

SCHEMA_NAME = "claim_form"
SCHEMA_VERSION = 1


class ClaimPatient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None, **spec(FieldKind.TEXT, "box 2", "patient's name", DataClass.NAME)
    )
    birth_date: date | None = Field(
        None, **spec(FieldKind.DATE, "box 3", "patient's birth date", DataClass.DATE)
    )
    sex: str | None = Field(
        None,
        pattern=r"^(male|female|other|unknown)$",
        **spec(FieldKind.SEX, "box 3", "patient's sex", DataClass.CLINICAL),
    )


class Insured(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None, **spec(FieldKind.TEXT, "box 4", "insured's name", DataClass.NAME)
    )
    id: str | None = Field(
        None, **spec(FieldKind.TEXT, "box 1a", "insured's ID number", DataClass.IDENTIFIER)
    )


class ClaimDiagnosis(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(
        None,
        **spec(FieldKind.ICD10, "box 21", "ICD-10 diagnosis code, boxes A-L", DataClass.CLINICAL),
    )


class ServiceLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date_from: date | None = Field(
        None, **spec(FieldKind.DATE, "box 24A", "date of service from", DataClass.DATE)
    )
    date_to: date | None = Field(
        None, **spec(FieldKind.DATE, "box 24A", "date of service to", DataClass.DATE)
    )
    place_of_service: str | None = Field(
        None, **spec(FieldKind.TEXT, "box 24B", "place of service code", DataClass.CLINICAL)
    )
    cpt: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "box 24D", "CPT/HCPCS procedure code", DataClass.CLINICAL),
    )
    modifiers: str | None = Field(
        None, **spec(FieldKind.TEXT, "box 24D", "procedure modifiers", DataClass.CLINICAL)
    )
    diagnosis_pointer: str | None = Field(
        None,
        pattern=r"^[A-L]{1,4}$",
        **spec(FieldKind.TEXT, "box 24E", "diagnosis pointer letters", DataClass.CLINICAL),
    )
    charge: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "box 24F", "charges", DataClass.FINANCIAL)
    )
    units: Decimal | None = Field(
        None, **spec(FieldKind.QUANTITY, "box 24G", "days or units", DataClass.FINANCIAL)
    )
    rendering_npi: str | None = Field(
        None,
        **spec(FieldKind.NPI, "box 24J", "rendering provider NPI", DataClass.IDENTIFIER),
    )


class BillingProvider(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None, **spec(FieldKind.TEXT, "box 33", "billing provider name", DataClass.NAME)
    )
    npi: str | None = Field(
        None, **spec(FieldKind.NPI, "box 33a", "billing provider NPI", DataClass.IDENTIFIER)
    )
    tax_id: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "box 25", "federal tax ID number, EIN or SSN", DataClass.IDENTIFIER),
    )


class ClaimForm(BaseModel):
    """A CMS-1500 health insurance claim: patient, insured, diagnosis codes, services."""

    model_config = ConfigDict(extra="forbid")

    patient: ClaimPatient = Field(default_factory=ClaimPatient, description="Patient")
    insured: Insured = Field(default_factory=Insured, description="Insured")
    diagnosis_codes: list[ClaimDiagnosis] = Field(
        default_factory=list, description="box 21 diagnosis codes A-L"
    )
    service_lines: list[ServiceLine] = Field(
        default_factory=list, description="box 24 service lines"
    )
    total_charge: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "box 28", "total charge", DataClass.FINANCIAL)
    )
    billing_provider: BillingProvider = Field(
        default_factory=BillingProvider, description="box 33 billing provider"
    )


CORE_FIELDS = (
    "patient.name",
    "patient.birth_date",
    "patient.sex",
    "insured.id",
    "diagnosis_codes.*.code",
    "total_charge",
)

# The printed CMS-1500 is read by the position of its boxes (`extractor.clinical.cms1500`), not by
# labels; these cover claim-like documents printed as text.
LABELS: dict[str, tuple[str, ...]] = {
    "patient.name": (r"patient(?:'s)?\s+name",),
    "patient.birth_date": (r"patient(?:'s)?\s+birth\s+date", r"\bdob\b", r"date\s+of\s+birth"),
    "patient.sex": (r"\bsex\b",),
    "insured.name": (r"insured(?:'s)?\s+name",),
    "insured.id": (r"insured(?:'s)?\s+i\.?d\.?\s+number", r"member\s+id"),
    "total_charge": (r"total\s+charge",),
    "billing_provider.name": (r"billing\s+provider(?:\s+name)?",),
    "billing_provider.npi": (r"\bnpi\b",),
    "billing_provider.tax_id": (r"federal\s+tax\s+i\.?d\.?(?:\s+number)?", r"\bein\b"),
}

ROUTING_CUES = (
    r"health\s+insurance\s+claim\s+form",
    r"national\s+uniform\s+claim\s+committee",
    r"\bcms-?1500\b",
    r"insured(?:'s)?\s+i\.?d",
    r"place\s+of\s+service",
)
