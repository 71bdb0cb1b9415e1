"""The patient block shared by the clinical schemas (FHIR Patient)."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schemas.kinds import DataClass, FieldKind, spec


class Patient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None, **spec(FieldKind.TEXT, "Patient.name", "patient's full name", DataClass.NAME)
    )
    birth_date: date | None = Field(
        None,
        **spec(FieldKind.DATE, "Patient.birthDate", "date of birth, DOB", DataClass.DATE),
    )
    sex: str | None = Field(
        None,
        pattern=r"^(male|female|other|unknown)$",
        **spec(FieldKind.SEX, "Patient.gender", "sex or gender", DataClass.CLINICAL),
    )
    identifier: str | None = Field(
        None,
        **spec(
            FieldKind.TEXT,
            "Patient.identifier",
            "patient id, MRN, medical record number",
            DataClass.IDENTIFIER,
        ),
    )
