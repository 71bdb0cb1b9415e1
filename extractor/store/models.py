"""Tables: documents, one run per extraction, one row per field value, and the raw text of
each page (kept for `page_text_retention_days`, see `extractor.store.retention`).

Typed per-schema views (`invoices`, `invoice_lines`, `lab_results`, `clinical_letters`,
`claims`, `claim_lines`) are created by the migrations.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int | None] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    runs: Mapped[list["ExtractionRun"]] = relationship(back_populates="document")


class ExtractionRun(Base):
    __tablename__ = "extraction_runs"
    __table_args__ = (Index("ix_runs_document_schema", "document_id", "schema_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    schema_name: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    model_sha256: Mapped[str | None] = mapped_column(String(64))
    grammar_sha256: Mapped[str | None] = mapped_column(String(64))
    prompt_sha256: Mapped[str | None] = mapped_column(String(64))
    prompt_format: Mapped[str | None] = mapped_column(String(64))
    ocr_pages: Mapped[list[int] | None] = mapped_column(JSON)  # 1-based, read by OCR
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    seconds_total: Mapped[float | None] = mapped_column(Float)
    seconds_generate: Mapped[float | None] = mapped_column(Float)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    review_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    routed_schema_confidence: Mapped[float | None] = mapped_column(Float)  # schema="auto" only
    routing_method: Mapped[str | None] = mapped_column(String(16))  # rules / model; "auto" only
    document_kind: Mapped[str | None] = mapped_column(String(32))  # invoice, receipt, ...
    # set on a run made in the review app: who confirmed or rejected, when, and which run
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_run_id: Mapped[int | None] = mapped_column(Integer)  # the run that was reviewed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    document: Mapped[Document] = relationship(back_populates="runs")
    fields: Mapped[list["FieldValue"]] = relationship(back_populates="run")
    page_texts: Mapped[list["PageText"]] = relationship(back_populates="run")


class FieldValue(Base):
    __tablename__ = "field_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("extraction_runs.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(255))  # "lines.2.net_amount"
    field: Mapped[str] = mapped_column(String(255))  # "lines.*.net_amount"
    item_index: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[str | None] = mapped_column(Text)  # canonical text: ISO date, plain decimal
    raw: Mapped[str | None] = mapped_column(Text)
    element: Mapped[str | None] = mapped_column(Text)  # XPath in an embedded e-invoice
    method: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int | None] = mapped_column(Integer)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    box: Mapped[list[float] | None] = mapped_column(JSON)  # OCR'd: x0, y0, x1, y1 in points

    run: Mapped[ExtractionRun] = relationship(back_populates="fields")


class PageText(Base):
    """The text of one page as it was read (text layer or OCR), with an OCR'd page's words;
    deleted once it is older than the retention period, while the run and its field values
    stay."""

    __tablename__ = "page_texts"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("extraction_runs.id", ondelete="CASCADE"), primary_key=True
    )
    page: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1-based
    text: Mapped[str] = mapped_column(Text)
    # an OCR'd page's words and boxes (`PageWords.to_json()`); null for a text-layer page
    words: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)

    run: Mapped[ExtractionRun] = relationship(back_populates="page_texts")


class DocumentContent(Base):
    """The submitted bytes, so a worker on any machine can process the document."""

    __tablename__ = "document_contents"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Job(Base):
    """One document to extract with one schema version; the queue only carries its id."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("document_id", "schema_name", "schema_version", name="uq_jobs_doc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    schema_name: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    original_path: Mapped[str] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker_id: Mapped[str | None] = mapped_column(String(255))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("extraction_runs.id", ondelete="SET NULL")
    )

    document: Mapped[Document] = relationship()


class ReviewUser(Base):
    """A person who may log in to the review app; `readonly` users cannot change anything."""

    __tablename__ = "review_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, encoded
    role: Mapped[str] = mapped_column(String(16))  # reviewer | readonly
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class SupplierMemory(Base):
    """Where a reviewer confirmed a field on a supplier's document: the label words just left
    of (or above) its box, the value's box and its offset from the label, in fractions of the
    page. One row per supplier, schema and field: the latest confirmation, with the record of
    the documents that took their value from it and were reviewed."""

    __tablename__ = "supplier_memories"
    __table_args__ = (
        UniqueConstraint("supplier_key", "schema_name", "field", name="uq_supplier_field"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_key: Mapped[str] = mapped_column(String(255))  # vat:..., iban:... or name:...
    supplier_name: Mapped[str | None] = mapped_column(Text)
    schema_name: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(255))  # "invoice_number"
    page: Mapped[int] = mapped_column(Integer)
    value_box: Mapped[list[float]] = mapped_column(JSON)  # x0, y0, x1, y1: page fractions
    label_words: Mapped[list[str]] = mapped_column(JSON)
    label_box: Mapped[list[float] | None] = mapped_column(JSON(none_as_null=True))
    # the value's x0, y0 minus the label's
    label_offset: Mapped[list[float] | None] = mapped_column(JSON(none_as_null=True))
    page_size: Mapped[list[float] | None] = mapped_column(JSON(none_as_null=True))  # points
    value_shape: Mapped[str | None] = mapped_column(String(64))  # "99-99-99"
    value_lines: Mapped[int | None] = mapped_column(Integer)  # a value of several lines
    line_separator: Mapped[str | None] = mapped_column(String(8))  # ", " or " " between them
    label_rank: Mapped[int | None] = mapped_column(Integer)  # which printing of the label
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    uses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # reviewed recalls
    hits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # ... kept as read
