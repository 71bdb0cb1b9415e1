"""Field kinds: how a leaf value is read from text and normalised.

A schema attaches a kind (and its EN 16931 / FHIR code) to each leaf through
`spec(...)`; the extractor picks parsers and validators by kind, never by field name.
"""

from enum import StrEnum
from typing import Any


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"
    QUANTITY = "quantity"
    CURRENCY = "currency"
    IBAN = "iban"
    VAT_ID = "vat_id"


def spec(kind: FieldKind, code: str, description: str) -> dict[str, Any]:
    """Keyword arguments for `pydantic.Field` that tag a leaf with its kind and standard code."""
    return {
        "description": f"{code} {description}",
        "json_schema_extra": {"kind": kind.value, "code": code},
    }
