"""Save extraction results, find what is already stored, and load results back."""

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.result import (
    ErrorRecord,
    ExtractionResult,
    FieldRecord,
    Method,
    Routing,
    RunInfo,
    Status,
)
from extractor.result import FieldValue as Value
from extractor.schema_walk import leaves, template_of, unflatten
from extractor.store.models import Document, DocumentContent, ExtractionRun, FieldValue, PageText
from extractor.store.safe_text import db_text, db_text_or_none
from schemas import AUTO, get_schema
from schemas.kinds import FieldKind


def stored_run(session: Session, sha256: str, schema: str, version: int) -> ExtractionRun | None:
    """The newest run of this file for this schema version that did not fail; for `auto`,
    the newest routed run, whatever schema it was routed to."""
    chosen = (
        ExtractionRun.routing_method.is_not(None)
        if schema == AUTO
        else (ExtractionRun.schema_name == schema) & (ExtractionRun.schema_version == version)
    )
    return session.scalars(
        select(ExtractionRun)
        .join(Document)
        .where(Document.sha256 == sha256, chosen, ExtractionRun.status != Status.FAILED)
        .order_by(ExtractionRun.id.desc())
        .limit(1)
    ).first()


def save_result(
    session: Session, result: ExtractionResult, *, keep_page_text: bool = True
) -> ExtractionRun:
    """Add the run, its field values and (with `keep_page_text`) the text of each page."""
    document = session.scalars(select(Document).where(Document.sha256 == result.sha256)).first()
    if document is None:
        document = Document(
            sha256=result.sha256, size=result.size, original_name=db_text(result.path.name)
        )
        session.add(document)
    document.pages = result.pages if result.pages is not None else document.pages
    fatal = result.errors[0] if result.status == Status.FAILED and result.errors else None
    run = ExtractionRun(
        document=document,
        schema_name=result.schema,
        schema_version=result.schema_version,
        status=result.status.value,
        model_sha256=result.run.model_sha256,
        grammar_sha256=result.run.grammar_sha256,
        prompt_sha256=result.run.prompt_sha256,
        prompt_format=result.run.prompt_format,
        ocr_pages=list(result.run.ocr_pages),
        prompt_tokens=result.run.prompt_tokens,
        completion_tokens=result.run.completion_tokens,
        seconds_total=result.run.seconds.get("total"),
        seconds_generate=result.run.seconds.get("generate"),
        error_code=fatal.code if fatal else None,
        error_message=db_text(fatal.message) if fatal else None,
        errors=[
            {
                "code": error.code,
                "message": db_text(error.message),
                "fields": list(error.fields),
                "advisory": error.advisory,
            }
            for error in result.errors
        ],
        review_fields=list(result.review_fields),
        routed_schema_confidence=result.routing.confidence if result.routing else None,
        routing_method=result.routing.method.value if result.routing else None,
        document_kind=result.kind,
    )
    session.add(run)
    if keep_page_text:
        run.page_texts.extend(
            PageText(page=number, text=db_text(text), words=_words(result, number))
            for number, text in enumerate(result.page_texts, start=1)
        )
    for record in result.fields:
        template = template_of(record.path)
        index = next((int(part) for part in record.path.split(".") if part.isdigit()), None)
        run.fields.append(
            FieldValue(
                path=record.path,
                field=template,
                item_index=index,
                value=canonical_text(record.value),
                raw=db_text_or_none(record.raw),
                element=record.element,
                method=record.method.value,
                confidence=record.confidence,
                page=record.page,
                span_start=record.start,
                span_end=record.end,
                box=list(record.box) if record.box is not None else None,
            )
        )
    return run


def _words(result: ExtractionResult, page: int) -> list[Any] | None:
    words = result.ocr_words.get(page)
    if words is None:
        return None
    number, width, height, boxes = words
    return [number, width, height, [[db_text(text), *box] for text, *box in boxes]]


def keep_document_bytes(session: Session, document_id: int, path: Path, sha256: str) -> None:
    """Store the file's bytes for the review app, unless stored already or the file has
    changed since it was extracted."""
    if session.get(DocumentContent, document_id) is not None:
        return
    try:
        content = path.read_bytes()
    except OSError:
        return
    if hashlib.sha256(content).hexdigest() == sha256:
        session.add(DocumentContent(document_id=document_id, content=content))


def canonical_text(value: Value) -> str | None:
    """ISO 8601 for dates, plain notation for decimals, text as is (without NUL)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return db_text(value)


def load_result(session: Session, run: ExtractionRun, path: Path) -> ExtractionResult:
    """Rebuild the result object `extract` returned, from what the database stored."""
    schema = get_schema(run.schema_name)
    kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
    fields = [
        FieldRecord(
            path=row.path,
            value=_typed(row.value, kinds.get(row.field, FieldKind.TEXT)),
            method=Method(row.method),
            confidence=row.confidence,
            page=row.page,
            start=row.span_start,
            end=row.span_end,
            raw=row.raw,
            element=row.element,
            box=_box(row.box),
        )
        for row in sorted(run.fields, key=lambda row: row.id)
    ]
    data = (
        schema.model.model_validate(
            unflatten({record.path: record.value for record in fields})
        ).model_dump()
        if fields
        else {}
    )
    return ExtractionResult(
        path=path,
        sha256=run.document.sha256,
        size=run.document.size,
        schema=run.schema_name,
        schema_version=run.schema_version,
        status=Status(run.status),
        pages=run.document.pages,
        data=data,
        fields=fields,
        errors=[
            ErrorRecord(
                error["code"],
                error["message"],
                tuple(error["fields"]),
                error.get("advisory", False),
            )
            for error in run.errors
        ],
        review_fields=list(run.review_fields),
        run=RunInfo(
            model_sha256=run.model_sha256,
            grammar_sha256=run.grammar_sha256,
            prompt_sha256=run.prompt_sha256,
            prompt_format=run.prompt_format,
            ocr_pages=tuple(run.ocr_pages or ()),
            prompt_tokens=run.prompt_tokens,
            completion_tokens=run.completion_tokens,
            seconds=_seconds(run),
        ),
        routing=_routing(run),
        kind=run.document_kind,
    )


def _routing(run: ExtractionRun) -> Routing | None:
    if run.routing_method is None or run.routed_schema_confidence is None:
        return None
    return Routing(run.schema_name, run.routed_schema_confidence, Method(run.routing_method))


def _seconds(run: ExtractionRun) -> dict[str, float]:
    timings = {"total": run.seconds_total, "generate": run.seconds_generate}
    return {name: value for name, value in timings.items() if value is not None}


def _box(stored: list[float] | None) -> tuple[float, float, float, float] | None:
    if stored is None:
        return None
    x0, y0, x1, y1 = stored
    return (x0, y0, x1, y1)


def _typed(text: str | None, kind: FieldKind) -> Value:
    if text is None:
        return None
    if kind == FieldKind.DATE:
        return date.fromisoformat(text)
    if kind in (FieldKind.AMOUNT, FieldKind.QUANTITY):
        return Decimal(text)
    return text
