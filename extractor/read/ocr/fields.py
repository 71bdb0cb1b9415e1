"""What OCR adds to a result: each OCR'd field's box on the page and its confidence scaled by
the recognition's, and an error for every page that could not be read at all."""

from collections.abc import Sequence
from dataclasses import replace

from extractor.errors import NoTextError
from extractor.read.pdf import DocumentText
from extractor.result import ErrorRecord, FieldRecord


def with_ocr_evidence(records: Sequence[FieldRecord], document: DocumentText) -> list[FieldRecord]:
    """A value read from OCR'd words is only as sure as the least sure of those words."""
    adjusted = []
    for record in records:
        scanned = document.ocr_page(record.page) if record.page is not None else None
        if scanned is None or record.start is None or record.end is None:
            adjusted.append(record)
            continue
        recognised = scanned.confidence_of(record.start, record.end)
        adjusted.append(
            replace(
                record,
                confidence=record.confidence * (recognised if recognised is not None else 1.0),
                box=scanned.box_of(record.start, record.end),
            )
        )
    return adjusted


def unread_page_errors(document: DocumentText, *, other_source: bool = False) -> list[ErrorRecord]:
    """One error per page without text; `NoTextError` when that is every page and there is
    no `other_source` of fields to fall back on (an embedded XML, say)."""
    if document.unread and len(document.unread) == len(document.pages) and not other_source:
        reasons = sorted({page.reason for page in document.unread})
        raise NoTextError(f"no page could be read: {'; '.join(reasons)}")
    return [
        ErrorRecord("page_unread", f"page {page.page}: {page.reason}") for page in document.unread
    ]


def ocr_page_numbers(document: DocumentText) -> tuple[int, ...]:
    return tuple(number for number, page in enumerate(document.ocr, start=1) if page is not None)
