"""What extraction returns: a status, the data, one record per field, and what went wrong."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

FieldValue = str | date | Decimal | None


class Status(StrEnum):
    SUCCEEDED = "succeeded"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"
    OTHER_KIND = "other_kind"  # not of the kind the schema extracts (under auto: of none)
    REJECTED = "rejected"  # a person rejected the document in the review app (with a reason)


class Method(StrEnum):
    XML = "xml"  # an embedded e-invoice (Factur-X, ZUGFeRD, XRechnung)
    RULES = "rules"  # the text, where labels and arithmetic decide
    MODEL = "model"  # the model, choosing among candidates or copying text
    FORM = "form"  # a filled form field (AcroForm value or page widget), exact
    HUMAN = "human"  # typed or picked by a person in the review app
    MEMORY = "memory"  # where a reviewer confirmed it on an earlier document of the supplier


@dataclass(frozen=True)
class FieldRecord:
    """One extracted leaf with its provenance. `page`/`start`/`end` are null without a source."""

    path: str
    value: FieldValue
    method: Method
    confidence: float
    page: int | None = None
    start: int | None = None
    end: int | None = None
    raw: str | None = None  # the text copied from the document, before normalisation
    element: str | None = None  # for method xml: the e-invoice element (an XPath)
    box: tuple[float, float, float, float] | None = None  # OCR'd: points from the top left
    evidence: float | None = None  # the score confidence was calibrated from (not stored)
    confirmed: bool = False  # by arithmetic or a legal form, not only read (not stored)


@dataclass(frozen=True)
class ErrorRecord:
    """A failure or a failed check. Messages never contain document text or values.

    An `advisory` error reports what the document itself says wrong (an e-invoice whose exact
    values break a business rule): the values were read right, so it sends nothing to review."""

    code: str
    message: str
    fields: tuple[str, ...] = ()
    advisory: bool = False


@dataclass(frozen=True)
class RunInfo:
    """How the result was produced: enough to reproduce it or to find what changed."""

    model_sha256: str | None = None
    grammar_sha256: str | None = None
    prompt_sha256: str | None = None
    prompt_format: str | None = None  # the model's chat template (by hash), or "completion"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text came from OCR
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Routing:
    """How `schema="auto"` chose the document's schema: by cues alone (`rules`) or by the
    model choosing among the schema names, and how sure it was."""

    schema: str
    confidence: float
    method: Method


@dataclass
class ExtractionResult:
    path: Path
    sha256: str
    size: int
    schema: str
    schema_version: int
    status: Status
    pages: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    fields: list[FieldRecord] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    review_fields: list[str] = field(default_factory=list)
    run: RunInfo = field(default_factory=RunInfo)
    routing: Routing | None = None  # set when the schema was chosen automatically
    kind: str | None = None  # the kind of document its schema covers (invoice, receipt)
    page_texts: tuple[str, ...] = ()  # the text as read; stored unless `keep_page_text` is off
    # an OCR'd page's words with their boxes (`PageWords.to_json()`), stored with its text so
    # that the review app can offer them to click (a scan has no text layer to read them from)
    ocr_words: dict[int, list[Any]] = field(default_factory=dict)

    def field(self, path: str) -> FieldRecord | None:
        return next((record for record in self.fields if record.path == path), None)
