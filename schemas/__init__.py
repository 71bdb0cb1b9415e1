"""What to extract: one pydantic model per document type, listed in an explicit registry."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from schemas import claim_form, clinical_letter, invoice, lab_report
from schemas.kinds import DataClass, DocumentKind, FieldKind

AUTO = "auto"  # not a schema: asks for the document's schema to be chosen for it


@dataclass(frozen=True)
class SchemaCues:
    """What the layout rules know about a schema: its labels and its core fields, and the
    words that mark a document as one of its kind."""

    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    party_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    core_fields: tuple[str, ...] = ()
    exclusive: tuple[tuple[str, str], ...] = ()  # pairs of fields that never share a value
    routing: tuple[str, ...] = ()  # regular expressions, case-insensitive
    headings: Mapping[str, str] = field(default_factory=dict)  # field -> a letterhead line
    # list field -> words a document names it with; the model writes a list only for a
    # document that names it (none given: always)
    lists: Mapping[str, str] = field(default_factory=dict)
    kinds: tuple[DocumentKind, ...] = ()  # the kinds of document, with their required fields


@dataclass(frozen=True)
class SchemaSpec:
    name: str
    version: int
    model: type[BaseModel]
    cues: SchemaCues = field(default_factory=SchemaCues)


REGISTRY: dict[str, SchemaSpec] = {
    invoice.SCHEMA_NAME: SchemaSpec(
        invoice.SCHEMA_NAME,
        invoice.SCHEMA_VERSION,
        invoice.Invoice,
        SchemaCues(
            invoice.LABELS,
            invoice.PARTY_LABELS,
            invoice.CORE_FIELDS,
            exclusive=(("seller.name", "buyer.name"),),
            routing=invoice.ROUTING_CUES,
            kinds=invoice.KINDS,
        ),
    ),
    lab_report.SCHEMA_NAME: SchemaSpec(
        lab_report.SCHEMA_NAME,
        lab_report.SCHEMA_VERSION,
        lab_report.LabReport,
        SchemaCues(
            lab_report.LABELS,
            core_fields=lab_report.CORE_FIELDS,
            exclusive=(("patient.name", "ordering_provider"),),
            routing=lab_report.ROUTING_CUES,
            kinds=(
                DocumentKind(
                    "lab report", ("patient.name", "results.*.test_name"), lab_report.CORE_FIELDS
                ),
            ),
            headings=lab_report.HEADINGS,
            lists={"results": r"\b(?:results?|tests?|ergebnis|untersuchung|analyte)"},
        ),
    ),
    clinical_letter.SCHEMA_NAME: SchemaSpec(
        clinical_letter.SCHEMA_NAME,
        clinical_letter.SCHEMA_VERSION,
        clinical_letter.ClinicalLetter,
        SchemaCues(
            clinical_letter.LABELS,
            core_fields=clinical_letter.CORE_FIELDS,
            exclusive=(("patient.name", "author"),),
            routing=clinical_letter.ROUTING_CUES,
            kinds=(
                DocumentKind(
                    "clinical letter", ("patient.name", "date"), clinical_letter.CORE_FIELDS
                ),
            ),
            headings=clinical_letter.HEADINGS,
            lists={
                "diagnoses": r"\bdiagnos|\bicd",
                "medications": r"\bmedicat|\bdrugs?\b|\bmedikation",
                "procedures": r"\bprocedures?\b|\boperations?\b|\bsurgery\b|\beingriff",
            },
        ),
    ),
    claim_form.SCHEMA_NAME: SchemaSpec(
        claim_form.SCHEMA_NAME,
        claim_form.SCHEMA_VERSION,
        claim_form.ClaimForm,
        SchemaCues(
            claim_form.LABELS,
            core_fields=claim_form.CORE_FIELDS,
            routing=claim_form.ROUTING_CUES,
            kinds=(
                DocumentKind(
                    "claim", ("patient.name", "insured.id", "total_charge"), claim_form.CORE_FIELDS
                ),
            ),
            lists={"diagnosis_codes": r"\bdiagnos", "service_lines": r"\bservices?\b|\bcpt\b"},
        ),
    ),
}


# Stands for "choose the schema for each document" wherever a schema is asked for (jobs, the
# watched folder, the API); results are stored under the schema chosen.
AUTO_SPEC = SchemaSpec(AUTO, 1, BaseModel)


class UnknownSchemaError(KeyError):
    """The requested schema name is not registered."""


def get_schema(name: str) -> SchemaSpec:
    if name == AUTO:
        return AUTO_SPEC
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted([*REGISTRY, AUTO]))
        raise UnknownSchemaError(f"unknown schema {name!r}; known: {known}") from None


__all__ = [
    "AUTO",
    "AUTO_SPEC",
    "REGISTRY",
    "DataClass",
    "DocumentKind",
    "FieldKind",
    "SchemaCues",
    "SchemaSpec",
    "UnknownSchemaError",
    "get_schema",
]
