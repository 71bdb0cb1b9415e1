"""Save extraction results and find what is already stored."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.db.models import Document, ExtractionRun, FieldValue
from extractor.result import ExtractionResult, Status
from extractor.result import FieldValue as Value
from extractor.schema_walk import template_of


def stored_run(session: Session, sha256: str, schema: str, version: int) -> ExtractionRun | None:
    """The newest run of this file for this schema version that did not fail."""
    return session.scalars(
        select(ExtractionRun)
        .join(Document)
        .where(
            Document.sha256 == sha256,
            ExtractionRun.schema_name == schema,
            ExtractionRun.schema_version == version,
            ExtractionRun.status != Status.FAILED,
        )
        .order_by(ExtractionRun.id.desc())
        .limit(1)
    ).first()


def save_result(session: Session, result: ExtractionResult) -> ExtractionRun:
    document = session.scalars(select(Document).where(Document.sha256 == result.sha256)).first()
    if document is None:
        document = Document(sha256=result.sha256, size=result.size, original_name=result.path.name)
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
        prompt_tokens=result.run.prompt_tokens,
        completion_tokens=result.run.completion_tokens,
        seconds_total=result.run.seconds.get("total"),
        seconds_generate=result.run.seconds.get("generate"),
        error_code=fatal.code if fatal else None,
        error_message=fatal.message if fatal else None,
        errors=[
            {"code": error.code, "message": error.message, "fields": list(error.fields)}
            for error in result.errors
        ],
        review_fields=list(result.review_fields),
    )
    session.add(run)
    for record in result.fields:
        template = template_of(record.path)
        index = next((int(part) for part in record.path.split(".") if part.isdigit()), None)
        run.fields.append(
            FieldValue(
                path=record.path,
                field=template,
                item_index=index,
                value=canonical_text(record.value),
                raw=record.raw,
                method=record.method.value,
                confidence=record.confidence,
                page=record.page,
                span_start=record.start,
                span_end=record.end,
            )
        )
    return run


def canonical_text(value: Value) -> str | None:
    """ISO 8601 for dates, plain notation for decimals, text as is (without NUL)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value.replace("\x00", "")
