"""The review queue: the latest run of each document and schema, with why it needs a person,
filtered by schema, status, reason and supplier, and counted per schema, reason and status."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.result import Status
from extractor.store.models import Document, ExtractionRun, FieldValue

LOW_CONFIDENCE = "low_confidence"  # a field below review_threshold that no error names
SUPPLIER_FIELDS = ("seller.name", "seller.vat_id", "lab_name", "billing_provider.name")


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = Status.NEEDS_REVIEW.value  # None: every status
    schema: str | None = None
    reason: str | None = None
    supplier: str | None = None  # part of the seller's name or VAT id, any case


@dataclass(frozen=True)
class QueueItem:
    run_id: int
    document_id: int
    original_name: str
    schema: str
    status: str
    created_at: datetime
    reasons: tuple[str, ...]
    supplier: str | None


@dataclass(frozen=True)
class QueueCounts:
    statuses: dict[str, int] = field(default_factory=dict)
    schemas: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)


def run_reasons(errors: list[dict[str, Any]], review_fields: list[str]) -> tuple[str, ...]:
    """Why a run needs review: the codes of its errors that hold it back, and
    `low_confidence` when a field to review is named by none of them."""
    holding = [error for error in errors if not error.get("advisory")]
    reasons = list(dict.fromkeys(str(error["code"]) for error in holding))
    named = {str(name) for error in holding for name in error.get("fields") or []}
    if any(path not in named for path in review_fields):
        reasons.append(LOW_CONFIDENCE)
    return tuple(reasons)


def review_queue(session: Session, filters: QueueFilters) -> tuple[list[QueueItem], QueueCounts]:
    """Documents oldest first, and the counts of the items that pass every filter but the
    counted one (so each count says what choosing it would show)."""
    newest = (
        select(func.max(ExtractionRun.id))
        .group_by(ExtractionRun.document_id, ExtractionRun.schema_name)
        .scalar_subquery()
    )
    rows = session.execute(
        select(ExtractionRun, Document)
        .join(Document)
        .where(ExtractionRun.id.in_(newest))
        .order_by(ExtractionRun.created_at, ExtractionRun.id)
    ).all()
    everything = [_item(row[0], row[1]) for row in rows]
    suppliers = _suppliers(session, [item.run_id for item in everything])
    items = [
        QueueItem(**{**item.__dict__, "supplier": suppliers.get(item.run_id)})
        for item in everything
    ]
    counts = QueueCounts(
        statuses=Counter(i.status for i in items if _passes(i, filters, ignore="status")),
        schemas=Counter(i.schema for i in items if _passes(i, filters, ignore="schema")),
        reasons=Counter(
            reason for i in items if _passes(i, filters, ignore="reason") for reason in i.reasons
        ),
    )
    return [item for item in items if _passes(item, filters)], counts


def _item(run: ExtractionRun, document: Document) -> QueueItem:
    return QueueItem(
        run_id=run.id,
        document_id=document.id,
        original_name=document.original_name,
        schema=run.schema_name,
        status=run.status,
        created_at=run.created_at,
        reasons=run_reasons(run.errors, run.review_fields),
        supplier=None,
    )


def _suppliers(session: Session, run_ids: list[int]) -> dict[int, str]:
    """Per run: the seller's (or lab's, or billing provider's) name and VAT id, joined."""
    found: dict[int, list[str]] = {}
    if not run_ids:
        return {}
    rows = session.execute(
        select(FieldValue.run_id, FieldValue.value)
        .where(
            FieldValue.run_id.in_(run_ids),
            FieldValue.path.in_(SUPPLIER_FIELDS),
            FieldValue.value.is_not(None),
        )
        .order_by(FieldValue.run_id, FieldValue.path.desc())
    )
    for run_id, value in rows:
        if value:
            found.setdefault(run_id, []).append(value)
    return {run_id: " · ".join(values) for run_id, values in found.items()}


def _passes(item: QueueItem, filters: QueueFilters, ignore: str = "") -> bool:
    if ignore != "status" and filters.status and item.status != filters.status:
        return False
    if ignore != "schema" and filters.schema and item.schema != filters.schema:
        return False
    if ignore != "reason" and filters.reason and filters.reason not in item.reasons:
        return False
    wanted = (filters.supplier or "").casefold().strip()
    return not wanted or wanted in (item.supplier or "").casefold()
