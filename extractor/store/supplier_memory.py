"""Supplier memory: on confirming a document, where each of its fields stood on the page,
per supplier (by VAT id, else IBAN, else normalised name): the label words beside the
value, the value's box and its offset from the label, in fractions of the page.

Only what a reviewer confirmed is remembered, one row per supplier, schema and field (a
later confirmation replaces it). The app lists and deletes rows; using them at extraction
time is a separate step, which must never override values from XML or forms.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from extractor.store.models import ExtractionRun, SupplierMemory

SUPPLIER_SOURCES = (("vat", "seller.vat_id"), ("iban", "iban"), ("name", "seller.name"))
FractionBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class FieldPosition:
    field: str
    page: int
    value_box: FractionBox
    label_words: tuple[str, ...]
    label_box: FractionBox | None


@dataclass(frozen=True)
class MemoryRow:
    id: int
    supplier_key: str
    supplier_name: str | None
    schema: str
    field: str
    page: int
    label_words: tuple[str, ...]
    created_by: str
    created_at: datetime


def normalised_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).casefold()
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def supplier_key(values: dict[str, str | None]) -> str | None:
    """`vat:<id>`, `iban:<iban>` or `name:<normalised name>`: the first the document has."""
    for prefix, path in SUPPLIER_SOURCES:
        value = values.get(path)
        if value and value.strip():
            text = normalised_name(value) if prefix == "name" else value.replace(" ", "").upper()
            if text:
                return f"{prefix}:{text}"
    return None


def remember(
    session: Session, run: ExtractionRun, positions: list[FieldPosition], reviewer: str
) -> int:
    """Store the positions of the confirmed run's fields for its supplier; how many."""
    values = {row.path: row.value for row in run.fields}
    key = supplier_key(values)
    if key is None or not positions:
        return 0
    for position in positions:
        session.execute(
            delete(SupplierMemory).where(
                SupplierMemory.supplier_key == key,
                SupplierMemory.schema_name == run.schema_name,
                SupplierMemory.field == position.field,
            )
        )
        session.add(
            SupplierMemory(
                supplier_key=key,
                supplier_name=values.get("seller.name"),
                schema_name=run.schema_name,
                field=position.field,
                page=position.page,
                value_box=list(position.value_box),
                label_words=list(position.label_words),
                label_box=list(position.label_box) if position.label_box else None,
                label_offset=_offset(position),
                run_id=run.id,
                created_by=reviewer,
            )
        )
    return len(positions)


def _offset(position: FieldPosition) -> list[float] | None:
    if position.label_box is None:
        return None
    return [
        position.value_box[0] - position.label_box[0],
        position.value_box[1] - position.label_box[1],
    ]


def memories(session: Session) -> list[MemoryRow]:
    rows = session.scalars(
        select(SupplierMemory).order_by(SupplierMemory.supplier_key, SupplierMemory.field)
    )
    return [
        MemoryRow(
            row.id,
            row.supplier_key,
            row.supplier_name,
            row.schema_name,
            row.field,
            row.page,
            tuple(row.label_words),
            row.created_by,
            row.created_at,
        )
        for row in rows
    ]


def forget(session: Session, memory_id: int) -> bool:
    row = session.get(SupplierMemory, memory_id)
    if row is None:
        return False
    session.delete(row)
    return True
