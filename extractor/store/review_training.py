"""Confirmed reviews as labelled documents, for refitting the candidate scorer: the text as
it was read (the stored page texts of the run that was reviewed) and the values the person
confirmed. Documents whose page texts the retention period has removed are left out."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.read.pdf import DocumentText
from extractor.result import Status
from extractor.schema_walk import unflatten
from extractor.store.models import ExtractionRun, PageText


def reviewed_documents(
    session: Session, schema_name: str
) -> Iterator[tuple[str, DocumentText, dict[str, Any]]]:
    """(name, text, confirmed values) of every document whose latest run is a confirmed
    review of this schema."""
    latest = (
        select(func.max(ExtractionRun.id))
        .where(ExtractionRun.schema_name == schema_name)
        .group_by(ExtractionRun.document_id)
    )
    confirmed = session.scalars(
        select(ExtractionRun)
        .where(
            ExtractionRun.id.in_(latest),
            ExtractionRun.reviewed_by.is_not(None),
            ExtractionRun.status == Status.SUCCEEDED.value,
        )
        .order_by(ExtractionRun.id)
    )
    for run in confirmed:
        pages = _read_pages(session, run)
        if pages:
            truth = unflatten({row.path: row.value for row in run.fields})
            yield f"document {run.document_id}", DocumentText(pages=pages), truth


def _read_pages(session: Session, run: ExtractionRun) -> tuple[str, ...]:
    """The page texts of the machine run a chain of reviews started from."""
    while run.reviewed_run_id is not None:
        reviewed = session.get(ExtractionRun, run.reviewed_run_id)
        if reviewed is None:
            return ()
        run = reviewed
    rows = session.scalars(
        select(PageText).where(PageText.run_id == run.id).order_by(PageText.page)
    )
    return tuple(row.text for row in rows)
