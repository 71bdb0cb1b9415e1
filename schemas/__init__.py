"""What to extract: one pydantic model per document type, listed in an explicit registry."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from schemas import invoice
from schemas.kinds import FieldKind


@dataclass(frozen=True)
class SchemaCues:
    """What the layout rules know about a schema: its labels and its core fields."""

    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    party_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    core_fields: tuple[str, ...] = ()
    exclusive: tuple[tuple[str, str], ...] = ()  # pairs of fields that never share a value


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
        ),
    ),
}


class UnknownSchemaError(KeyError):
    """The requested schema name is not registered."""


def get_schema(name: str) -> SchemaSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UnknownSchemaError(f"unknown schema {name!r}; known: {known}") from None


__all__ = ["REGISTRY", "FieldKind", "SchemaCues", "SchemaSpec", "UnknownSchemaError", "get_schema"]
