"""Building blocks of the FHIR R4 export: deterministic ids, the resources of one document
with the fields each was built from, and the small data types the mappings share.

Resources are plain dicts. Dates are ISO text; amounts and quantities stay `Decimal` so
their digits survive (`fhir.bundle_json` writes them as JSON numbers).
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

PRODUCT_NAMESPACE = "https://example.invalid/fhir"
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, PRODUCT_NAMESPACE)

DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"

# "<0.5", "5.4", "-1,25": a comparator, then a number with at most one decimal mark. A comma
# followed by exactly three digits could be a thousands separator: that text stays text.
_NUMBER = re.compile(r"(<=|>=|<|>|≤|≥)?\s*([-+]?\d+)(?:([.,])(\d+))?")
_COMPARATORS = {"≤": "<=", "≥": ">="}
_DOSE = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\d\s].*)")


def resource_id(sha256: str, resource_type: str, key: str) -> str:
    """The same id for the same document, resource type and source path, on every export."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{sha256}/{resource_type}/{key}"))


@dataclass(frozen=True)
class Entry:
    resource: dict[str, Any]
    sources: tuple[str, ...]  # field paths (or their prefixes) the resource was built from


class Resources:
    """The resources one document maps to, in the order they were added."""

    def __init__(self, sha256: str, recorded: date) -> None:
        self.sha256 = sha256
        self.recorded = recorded  # the day the extraction was recorded
        self.entries: list[Entry] = []

    def reference(self, resource_type: str, key: str) -> dict[str, str]:
        return {"reference": f"urn:uuid:{resource_id(self.sha256, resource_type, key)}"}

    def build(self, resource_type: str, key: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A resource with its id, empty elements left out."""
        resource_key = resource_id(self.sha256, resource_type, key)
        return {"resourceType": resource_type, "id": resource_key, **compact(dict(body))}

    def add(
        self, resource_type: str, key: str, body: Mapping[str, Any], sources: tuple[str, ...]
    ) -> dict[str, str]:
        """Add a resource built from the fields under `sources`; return a reference to it."""
        self.entries.append(Entry(self.build(resource_type, key, body), sources))
        return self.reference(resource_type, key)


def compact(value: Any) -> Any:
    """Leave out nulls, empty strings, lists and objects, at every depth."""
    if isinstance(value, dict):
        kept = {name: compact(item) for name, item in value.items()}
        return {name: item for name, item in kept.items() if not _empty(item)}
    if isinstance(value, list):
        return [item for item in map(compact, value) if not _empty(item)]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def has_data(item: Mapping[str, Any]) -> bool:
    return any(value is not None for value in item.values())


def present(data: Mapping[str, Any], name: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The items of list `name` with at least one value, with their index in the list."""
    return [(index, item) for index, item in enumerate(data.get(name, [])) if has_data(item)]


def absent() -> dict[str, Any]:
    """A required element the document did not give (data-absent-reason "unknown")."""
    return {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "unknown"}]}


def coding(system: str, code: str | None, display: str | None = None) -> dict[str, Any] | None:
    if code is None:
        return None
    return {"system": system, "code": code, "display": display}


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def money(amount: Decimal | None) -> dict[str, Any] | None:
    """US dollars: the claim forms are CMS-1500."""
    return {"value": amount, "currency": "USD"} if amount is not None else None


def quantity(text: str | None, unit: str | None = None) -> dict[str, Any] | None:
    """A Quantity from "5.4" (and a unit) or "<0.5"; None if the text is not one number."""
    match = _NUMBER.fullmatch(text.strip()) if text is not None else None
    if match is None:
        return None
    comparator, integer, mark, fraction = match.groups()
    if mark == "," and len(fraction) == 3:
        return None
    return {
        "value": Decimal(f"{integer}.{fraction}" if fraction else integer),
        "comparator": _COMPARATORS.get(comparator, comparator),
        "unit": unit,
    }


def dose_quantity(text: str | None) -> dict[str, Any] | None:
    """ "500 mg" -> 500 mg; None unless the text is a number followed by a unit."""
    match = _DOSE.fullmatch(text.strip()) if text is not None else None
    if match is None:
        return None
    return quantity(match[1], match[2])
