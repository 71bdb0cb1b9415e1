"""What to extract: one pydantic model per document type, listed in an explicit registry."""

from dataclasses import dataclass

from pydantic import BaseModel

from schemas import invoice
from schemas.kinds import FieldKind


@dataclass(frozen=True)
class SchemaSpec:
    name: str
    version: int
    model: type[BaseModel]


REGISTRY: dict[str, SchemaSpec] = {
    invoice.SCHEMA_NAME: SchemaSpec(invoice.SCHEMA_NAME, invoice.SCHEMA_VERSION, invoice.Invoice),
}


class UnknownSchemaError(KeyError):
    """The requested schema name is not registered."""


def get_schema(name: str) -> SchemaSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UnknownSchemaError(f"unknown schema {name!r}; known: {known}") from None


__all__ = ["REGISTRY", "FieldKind", "SchemaSpec", "UnknownSchemaError", "get_schema"]
