"""A run as the review app shows it, and what a review stores: a NEW run (the machine's run
stays as it was, for audit) with the person's values (method `human`), the others copied
with their method, `reviewed_by`, `reviewed_at` and the reviewed run's id.

Confirming stores status `succeeded` with no errors; rejecting stores status `rejected` with
one error, code `rejected`, whose message is the reason the person gave.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.read.page_words import PageWords
from extractor.result import Method, Status
from extractor.schema_walk import leaves, template_of
from extractor.store.models import DocumentContent, ExtractionRun, FieldValue, PageText
from extractor.store.review_lists import ReviewList, item_of, renumber, review_lists
from extractor.store.review_queue import run_reasons
from extractor.store.safe_text import db_text
from schemas import get_schema
from schemas.kinds import FieldKind

Box = tuple[float, float, float, float]


class ReviewConflictError(Exception):
    """The run is no longer the latest of its document (someone reviewed it meanwhile)."""


@dataclass(frozen=True)
class ReviewField:
    path: str
    kind: FieldKind
    value: str | None
    method: str | None  # None: nothing was extracted for this field
    confidence: float | None
    page: int | None
    raw: str | None
    box: Box | None
    needs_review: bool
    errors: tuple[str, ...]  # codes of the run's errors naming this field
    item: str | None = None  # "lines.2" for a list item's field
    starts_item: bool = False  # the item's first field (where the page offers "remove")


@dataclass(frozen=True)
class ReviewRun:
    run_id: int
    document_id: int
    original_name: str
    schema: str
    status: str
    pages: int | None
    reasons: tuple[str, ...]
    fields: tuple[ReviewField, ...]
    reviewed_by: str | None
    reviewed_at: datetime | None
    is_latest: bool
    lists: tuple[ReviewList, ...] = ()


@dataclass(frozen=True)
class HumanValue:
    """A value the person confirmed or typed; `box` and `page` where they picked words."""

    value: str | None
    page: int | None = None
    box: Box | None = None


def load_review_run(session: Session, run_id: int) -> ReviewRun | None:
    run = session.get(ExtractionRun, run_id)
    if run is None:
        return None
    kinds = {leaf.template: leaf.kind for leaf in leaves(get_schema(run.schema_name).model)}
    rows = {row.path: row for row in sorted(run.fields, key=lambda row: row.id)}
    paths = list(rows) + [t for t in kinds if "*" not in t and t not in rows]
    errors_by_field: dict[str, list[str]] = {}
    for error in run.errors:
        for name in error.get("fields") or []:
            errors_by_field.setdefault(str(name), []).append(str(error["code"]))
    fields: list[ReviewField] = []
    for path in sorted(paths, key=_path_order(list(kinds))):
        if template_of(path) in kinds:
            field = _review_field(
                path, kinds[template_of(path)], rows.get(path), run, errors_by_field
            )
            starts = field.item is not None and (not fields or fields[-1].item != field.item)
            fields.append(replace(field, starts_item=starts))
    return ReviewRun(
        run_id=run.id,
        document_id=run.document_id,
        original_name=run.document.original_name,
        schema=run.schema_name,
        status=run.status,
        pages=run.document.pages,
        reasons=run_reasons(run.errors, run.review_fields),
        fields=tuple(fields),
        reviewed_by=run.reviewed_by,
        reviewed_at=run.reviewed_at,
        is_latest=_latest_id(session, run) == run.id,
        lists=review_lists(kinds, rows),
    )


def ocr_page_words(session: Session, document_id: int) -> list[PageWords]:
    """The words of the document's OCR'd pages, from its latest run that stored them (only
    those columns: the review role may not read the page text)."""
    latest = (
        select(func.max(PageText.run_id))
        .join(ExtractionRun, ExtractionRun.id == PageText.run_id)
        .where(ExtractionRun.document_id == document_id, PageText.words.is_not(None))
        .scalar_subquery()
    )
    rows = session.execute(
        select(PageText.words).where(PageText.run_id == latest).order_by(PageText.page)
    )
    return [PageWords.from_json(words) for (words,) in rows if words is not None]


def document_pdf(session: Session, document_id: int) -> bytes | None:
    content = session.get(DocumentContent, document_id)
    return content.content if content is not None else None


def save_review(
    session: Session,
    run_id: int,
    values: dict[str, HumanValue],
    *,
    reviewer: str,
    rejected_because: str | None = None,
    removed_items: frozenset[str] = frozenset(),
) -> ExtractionRun:
    """Store the review of run `run_id` as a new run. `values` holds every field the form
    showed (and those of rows the person added); a field whose value differs from the run's
    becomes `human`. The list items in `removed_items` ("lines.2") are left out, and the
    items left are numbered from 0. Raises `ReviewConflictError` when the run is no longer
    its document's latest."""
    machine = session.get(ExtractionRun, run_id)
    if machine is None:
        raise ReviewConflictError(run_id)
    _lock_document(session, machine.document_id)
    if _latest_id(session, machine) != machine.id:
        raise ReviewConflictError(run_id)
    run = ExtractionRun(
        document_id=machine.document_id,
        schema_name=machine.schema_name,
        schema_version=machine.schema_version,
        status=(Status.REJECTED if rejected_because is not None else Status.SUCCEEDED).value,
        model_sha256=machine.model_sha256,
        grammar_sha256=machine.grammar_sha256,
        prompt_sha256=machine.prompt_sha256,
        prompt_format=machine.prompt_format,
        ocr_pages=machine.ocr_pages,
        prompt_tokens=0,
        completion_tokens=0,
        errors=_rejection(rejected_because),
        review_fields=[],
        routed_schema_confidence=machine.routed_schema_confidence,
        routing_method=machine.routing_method,
        document_kind=machine.document_kind,
        reviewed_by=reviewer,
        reviewed_at=datetime.now(UTC),
        reviewed_run_id=machine.id,
    )
    session.add(run)
    rows = {row.path: row for row in machine.fields}
    kept: list[FieldValue] = []
    for path in dict.fromkeys([*rows, *values]):
        copied = _field_row(rows.get(path), values.get(path), path)
        if copied is not None and item_of(path) not in removed_items:
            kept.append(copied)
    renumber(kept)
    run.fields.extend(kept)
    session.flush()
    return run


def _rejection(reason: str | None) -> list[dict[str, Any]]:
    if reason is None:
        return []
    return [{"code": "rejected", "message": db_text(reason), "fields": [], "advisory": False}]


def _field_row(row: FieldValue | None, human: HumanValue | None, path: str) -> FieldValue | None:
    if row is not None and (human is None or human.value == row.value):
        return FieldValue(
            path=row.path,
            field=row.field,
            item_index=row.item_index,
            value=row.value,
            raw=row.raw,
            element=row.element,
            method=row.method,
            confidence=row.confidence,
            page=row.page,
            span_start=row.span_start,
            span_end=row.span_end,
            box=row.box,
        )
    if human is None or (row is None and human.value is None):
        return None
    index = next((int(part) for part in path.split(".") if part.isdigit()), None)
    value = db_text(human.value) if human.value is not None else None
    return FieldValue(
        path=path,
        field=template_of(path),
        item_index=index,
        value=value,
        raw=value,
        method=Method.HUMAN.value,
        confidence=1.0,
        page=human.page,
        box=list(human.box) if human.box is not None else None,
    )


def _review_field(
    path: str,
    kind: FieldKind,
    row: FieldValue | None,
    run: ExtractionRun,
    errors_by_field: dict[str, list[str]],
) -> ReviewField:
    box = row.box if row is not None else None
    return ReviewField(
        path=path,
        kind=kind,
        value=row.value if row is not None else None,
        method=row.method if row is not None else None,
        confidence=row.confidence if row is not None else None,
        page=row.page if row is not None else None,
        raw=row.raw if row is not None else None,
        box=(box[0], box[1], box[2], box[3]) if box else None,
        needs_review=path in run.review_fields or path in errors_by_field,
        errors=tuple(errors_by_field.get(path, ())),
        item=item_of(path),
    )


def _path_order(templates: list[str]) -> Any:
    """Fields in schema order; a list's items one after the other, each with its leaves."""

    def key(path: str) -> tuple[int, int, int]:
        template = template_of(path)
        index = next((int(part) for part in path.split(".") if part.isdigit()), -1)
        position = templates.index(template) if template in templates else len(templates)
        prefix = template.split("*")[0]
        first = next((i for i, t in enumerate(templates) if t.startswith(prefix)), position)
        return (first if index >= 0 else position, index, position)

    return key


def _lock_document(session: Session, document_id: int) -> None:
    """One review of a document at a time: a transaction-scoped advisory lock on PostgreSQL
    (it needs no UPDATE right, unlike SELECT ... FOR UPDATE); SQLite has one writer anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(document_id)))


def _latest_id(session: Session, run: ExtractionRun) -> int | None:
    return session.scalar(
        select(func.max(ExtractionRun.id)).where(
            ExtractionRun.document_id == run.document_id,
            ExtractionRun.schema_name == run.schema_name,
        )
    )
