"""FHIR R4 (4.0.1) export: one Bundle per extraction result, as plain dicts.

The Bundle is of type "collection": a self-contained set of resources that point to each
other by `urn:uuid:` full URLs, with no instructions for a server. A "transaction" would tell
a server to create the Patient, which the receiver should rather match against the patients
it already has; loading the resources is the receiver's decision.

Every id is a UUID 5 of the document's SHA-256, the resource type and the field path the
resource comes from (not the file name: the same bytes are the same document), so exporting
the same result again gives the same Bundle. Provenance needs the instant the extraction was
recorded: pass `recorded` (the export passes the run's creation time) for identical output.

A document always gives a DocumentReference. A failed result gives nothing else, and
neither does a schema without a clinical mapping (invoices: FHIR's Invoice resource is for
charges of a healthcare provider, not for commercial invoices). Each other resource gets a
Provenance whose source is the DocumentReference, with the page and character span of
every field it was built from.
"""

import base64
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from extractor.fhir.build import LOINC, PRODUCT_NAMESPACE, Entry, Resources, coding, resource_id
from extractor.fhir.claim import claim_form
from extractor.fhir.clinical import clinical_letter, lab_report
from extractor.result import ExtractionResult, FieldRecord, Status

SOURCE_SPAN = f"{PRODUCT_NAMESPACE}/StructureDefinition/source-span"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

Mapper = Callable[[Mapping[str, Any], Resources], None]
MAPPERS: dict[str, Mapper] = {
    "lab_report": lab_report,
    "clinical_letter": clinical_letter,
    "claim_form": claim_form,
}
_DOCUMENT_TYPES = {  # LOINC document types, by schema or letter kind
    "lab_report": ("11502-2", "Laboratory report"),
    "discharge": ("18842-5", "Discharge summary"),
    "referral": ("57133-1", "Referral note"),
}


def fhir_bundle(result: ExtractionResult, *, recorded: datetime | None = None) -> dict[str, Any]:
    """The result as a FHIR R4 Bundle. `recorded` (default: now) dates the Provenance."""
    recorded = (recorded or datetime.now(UTC)).replace(microsecond=0)
    if recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=UTC)  # the database keeps UTC
    out = Resources(result.sha256, recorded.date())
    mapper = MAPPERS.get(result.schema)
    if mapper is not None and result.status not in (Status.FAILED, Status.OTHER_KIND):
        mapper(result.data, out)
    derived = list(out.entries)
    document = _document_reference(result, out)
    source = out.reference("DocumentReference", "document")
    instant = recorded.astimezone(UTC).isoformat().replace("+00:00", "Z")
    provenances = [_provenance(entry, source, instant, result, out) for entry in derived]
    return {
        "resourceType": "Bundle",
        "id": resource_id(result.sha256, "Bundle", ""),
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in (document, *(entry.resource for entry in derived), *provenances)
        ],
    }


def _document_reference(result: ExtractionResult, out: Resources) -> dict[str, Any]:
    code, display = _DOCUMENT_TYPES.get(result.data.get("kind") or result.schema, (None, None))
    patient = any(entry.resource["resourceType"] == "Patient" for entry in out.entries)
    body = {
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": sha256_uri(result.sha256)}],
        "status": "current",
        "type": {"coding": [coding(LOINC, code, display)], "text": display or result.schema},
        "subject": out.reference("Patient", "patient") if patient else None,
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "size": result.size,
                    "title": result.path.name,
                }
            }
        ],
    }
    return out.build("DocumentReference", "document", body)


def sha256_uri(sha256: str) -> str:
    """The file's SHA-256 as an RFC 6920 named-information URI (`Attachment.hash` is SHA-1)."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode("ascii").rstrip("=")
    return f"ni:///sha-256;{digest}"


def _provenance(
    entry: Entry, source: dict[str, str], instant: str, result: ExtractionResult, out: Resources
) -> dict[str, Any]:
    target = entry.resource
    used = [record for record in result.fields if _used(record, entry.sources)]
    review = set(result.review_fields)
    body = {
        "target": [{"reference": f"urn:uuid:{target['id']}"}],
        "recorded": instant,
        "agent": [
            {
                "type": {"coding": [coding(PARTICIPANT_TYPE, "assembler", "Assembler")]},
                "who": {"type": "Device", "display": "extractor"},
            }
        ],
        "entity": [
            {
                "role": "source",
                "what": source,
                "extension": [
                    _source_span(record, review=record.path in review) for record in used
                ],
            }
        ],
    }
    return out.build("Provenance", target["id"], body)


def _used(record: FieldRecord, sources: tuple[str, ...]) -> bool:
    return record.value is not None and any(
        record.path == source or record.path.startswith(f"{source}.") for source in sources
    )


def _source_span(record: FieldRecord, *, review: bool) -> dict[str, Any]:
    """Where one field came from: its path, 1-based page, [start, end) in that page's text,
    how it was read, its confidence and whether a person should check it."""
    parts = (
        ("path", "valueString", record.path),
        ("page", "valuePositiveInt", record.page),
        ("start", "valueUnsignedInt", record.start),
        ("end", "valueUnsignedInt", record.end),
        ("method", "valueCode", record.method.value),
        ("confidence", "valueDecimal", round(record.confidence, 4)),
        ("review", "valueBoolean", True if review else None),
    )
    return {
        "url": SOURCE_SPAN,
        "extension": [
            {"url": name, kind: value} for name, kind, value in parts if value is not None
        ],
    }


def bundle_json(bundle: Mapping[str, Any]) -> str:
    """The bundle as indented JSON; decimals are written with their digits (119.00)."""
    return _encode(bundle, "")


def _encode(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, Mapping):
        items = [
            f"{inner}{json.dumps(name)}: {_encode(item, inner)}" for name, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}" if items else "{}"
    if isinstance(value, list):
        items = [inner + _encode(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]" if items else "[]"
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value, ensure_ascii=False)
