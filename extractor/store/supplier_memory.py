"""Supplier memory: on confirming a document, where each of its fields stood on the page,
per supplier (by VAT id, else IBAN, else normalised name): the label words beside the
value, the value's box and its offset from the label, in fractions of the page.

Only what a reviewer confirmed is remembered, one row per supplier, schema and field (a
later confirmation moves it, and keeps its record). The app lists and deletes rows; the
extractor reads them (`memories_for`, `extractor.memory.recall`), and each review of a
document that took a value from one counts towards its record (`count_recalls`).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from extractor.memory.memory import Memory, compact_identifier, normalised_name
from extractor.result import Method
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
    page_size: tuple[float, float] | None = None  # points
    value_shape: str | None = None  # the value as printed, digits as 9, letters as a
    value_lines: int | None = None  # printed lines, for a value of several
    line_separator: str | None = None  # how the confirmed value joins them
    label_rank: int | None = None  # which printing of its label, top to bottom (1: the first)


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
    uses: int
    hits: int


def supplier_key(values: dict[str, str | None]) -> str | None:
    """`vat:<id>`, `iban:<iban>` or `name:<normalised name>`: the first the document has."""
    for prefix, path in SUPPLIER_SOURCES:
        value = values.get(path)
        if value and value.strip():
            text = normalised_name(value) if prefix == "name" else compact_identifier(value)
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
        row = _row(session, key, run.schema_name, position.field)
        if row is None:
            row = SupplierMemory(
                supplier_key=key,
                schema_name=run.schema_name,
                field=position.field,
                uses=0,
                hits=0,
            )
            session.add(row)
        row.supplier_name = values.get("seller.name")
        row.page = position.page
        row.value_box = list(position.value_box)
        row.label_words = list(position.label_words)
        row.label_box = list(position.label_box) if position.label_box else None
        row.label_offset = _offset(position)
        row.page_size = list(position.page_size) if position.page_size else None
        row.value_shape = position.value_shape
        row.value_lines = position.value_lines
        row.line_separator = position.line_separator
        row.label_rank = position.label_rank
        row.run_id = run.id
        row.created_by = reviewer
        row.created_at = datetime.now(UTC)
    return len(positions)


def count_recalls(session: Session, reviewed: ExtractionRun) -> int:
    """Count the review `reviewed` (a confirmed run) towards the record of each memory its
    machine run took a value from: a use, and a hit where the reviewer kept the value."""
    machine = session.get(ExtractionRun, reviewed.reviewed_run_id)
    if machine is None:
        return 0
    kept = {row.path: row.value for row in reviewed.fields}
    key = supplier_key(kept)
    if key is None:
        return 0
    counted = 0
    for field in machine.fields:
        if field.method != Method.MEMORY.value:
            continue
        row = _row(session, key, machine.schema_name, field.path)
        if row is None:
            continue
        row.uses += 1
        row.hits += int(kept.get(field.path) == field.value)
        counted += 1
    return counted


def _row(session: Session, key: str, schema: str, field: str) -> SupplierMemory | None:
    return session.scalars(
        select(SupplierMemory).where(
            SupplierMemory.supplier_key == key,
            SupplierMemory.schema_name == schema,
            SupplierMemory.field == field,
        )
    ).first()


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
            row.uses,
            row.hits,
        )
        for row in rows
    ]


def memories_for(session: Session, schema: str) -> list[Memory]:
    """Every supplier's memories for a schema, as the extractor recalls them."""
    rows = session.scalars(select(SupplierMemory).where(SupplierMemory.schema_name == schema))
    return [
        Memory(
            supplier_key=row.supplier_key,
            field=row.field,
            page=row.page,
            value_box=_box(row.value_box),
            label_words=tuple(row.label_words),
            label_box=_box(row.label_box) if row.label_box else None,
            page_size=(float(row.page_size[0]), float(row.page_size[1])) if row.page_size else None,
            value_shape=row.value_shape,
            value_lines=row.value_lines,
            line_separator=row.line_separator,
            label_rank=row.label_rank,
            uses=row.uses,
            hits=row.hits,
        )
        for row in rows
    ]


class MemoryBook:
    """The supplier memories in a database, read afresh for each document (a confirmation in
    the review app counts from the next document on)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, schema: str) -> list[Memory]:
        with Session(self._engine) as session:
            return memories_for(session, schema)


def _box(stored: list[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in stored)
    return (x0, y0, x1, y1)


def forget(session: Session, memory_id: int) -> bool:
    row = session.get(SupplierMemory, memory_id)
    if row is None:
        return False
    session.delete(row)
    return True
