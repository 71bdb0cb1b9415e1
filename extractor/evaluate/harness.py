"""The evaluation harness: extract a labelled folder and score the results.

Truth for `name.pdf` is `name.truth.json` beside it, or `name.gt.xml` (an e-invoice's CII or
UBL XML kept beside its PDF), or else the e-invoice the PDF embeds. A side-car that gives
every field of the schema is complete (null: the document has none); one that gives some
fields only is scored on those. With `without_xml` each PDF is first written again without
its attachments, so the text and model path is scored against the XML it can no longer see.

Besides fields, each document's status is kept, so that the harness can say how many
documents were automated (`succeeded`) and how many of those were right.
"""

import json
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from extractor.einvoice.embedded import (
    EInvoiceError,
    parse_einvoice,
    read_einvoice,
    strip_attachments,
)
from extractor.errors import InputError
from extractor.evaluate.compare import Folding, canonical, compare, comparison_folds
from extractor.model.confidence import table_key
from extractor.pipeline import Extractor, blocks
from extractor.read.pdf import PAGE_SEPARATOR, read_pdf
from extractor.result import ExtractionResult, FieldRecord, Method, Status
from extractor.schema_walk import flatten, template_of, unflatten
from extractor.text.decide import SUM_SEPARATOR
from extractor.values.kinds import deciding_fields
from schemas import SchemaSpec

HIGH_CONFIDENCE = 0.9
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Truth:
    """True values; `complete` when every field is given (null: the document has none),
    otherwise only the fields given are scored (an e-invoice omits what it does not carry)."""

    values: dict[str, Any]
    complete: bool

    def scored(self) -> dict[str, Any]:
        if self.complete:
            return self.values
        return unflatten({k: v for k, v in flatten(self.values).items() if v is not None})


def load_truth(pdf: Path, schema: SchemaSpec | None = None) -> Truth | None:
    """The true values of a labelled PDF, or None when it has none."""
    side_car = pdf.with_suffix(".truth.json")
    if side_car.is_file():
        values = json.loads(side_car.read_text())
        every_field = schema is None or set(schema.model.model_fields) <= values.keys()
        return Truth(values, complete=every_field)
    xml = pdf.with_suffix(".gt.xml")
    if xml.is_file():
        try:
            return Truth(parse_einvoice(xml.read_bytes(), xml.name).data(), complete=False)
        except EInvoiceError:
            return None  # a syntax the e-invoice reader does not know (KSeF FA(2), say)
    einvoice = read_einvoice(PdfReader(pdf))
    return Truth(einvoice.data(), complete=False) if einvoice else None


@dataclass(frozen=True)
class FieldOutcome:
    """One scored field of one document."""

    document: str
    path: str
    correct: bool
    confidence: float | None
    method: str | None
    evidence: float | None
    hallucinated: bool
    kind: str | None = None  # the kind of document (invoice, receipt) the result says
    flagged: bool = False  # in a failed check: reviewed whatever its confidence
    confirmed: bool = False  # by arithmetic or a legal form

    @property
    def calibrates(self) -> bool:
        """Whether it is a sample for the calibration: a confidence that decides something
        (values in a failed check go to review anyway, so they do not measure it)."""
        return self.evidence is not None and not self.flagged

    @property
    def key(self) -> str:
        """The calibration table this field's confidence comes from."""
        return table_key(self.method, self.path, self.kind, confirmed=self.confirmed)


@dataclass(frozen=True)
class DocumentOutcome:
    """One document's status, and what decided it: errors of the document or of a deciding
    field (`flagged`), and each deciding value's (calibration key, evidence, confidence)."""

    status: str
    flagged: bool
    produced: tuple[tuple[str, float | None, float], ...] = ()
    error_codes: tuple[str, ...] = ()


@dataclass
class Evaluation:
    documents: list[str] = field(default_factory=list)
    unique_of: dict[str, str] = field(default_factory=dict)  # document -> what it is a copy of
    fields: list[FieldOutcome] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outcomes: dict[str, DocumentOutcome] = field(default_factory=dict)

    def core_right(self, core: Sequence[str]) -> dict[str, bool]:
        """Per document: whether every scored core field is right."""
        right = dict.fromkeys(self.documents, True)
        for outcome in self.fields:
            if outcome.path in core and not outcome.correct:
                right[outcome.document] = False
        return right

    def automation(self) -> tuple[int, int]:
        """Documents `succeeded`, of all documents."""
        statuses = [self.outcomes[d].status for d in self.documents if d in self.outcomes]
        return sum(status == Status.SUCCEEDED for status in statuses), len(self.documents)

    def succeeded_precision(self, core: Sequence[str]) -> tuple[int, int]:
        """Of the documents `succeeded`, those with every core field right."""
        right = self.core_right(core)
        automated = [
            d for d, o in self.outcomes.items() if o.status == Status.SUCCEEDED and d in right
        ]
        return sum(right[d] for d in automated), len(automated)

    def accuracy(self, template: str, *, unique: bool = False) -> tuple[int, int]:
        chosen = self.chosen(unique=unique)
        scored = [
            o for o in self.fields if template_of(o.path) == template and o.document in chosen
        ]
        return sum(o.correct for o in scored), len(scored)

    def all_correct_rate(self, core: Sequence[str], *, unique: bool = False) -> tuple[int, int]:
        chosen = self.chosen(unique=unique)
        by_document: dict[str, bool] = {}
        for outcome in self.fields:
            if outcome.path in core and outcome.document in chosen:
                by_document[outcome.document] = (
                    by_document.get(outcome.document, True) and outcome.correct
                )
        return sum(by_document.values()), len(by_document)

    def hallucination(self) -> tuple[int, int]:
        produced = [o for o in self.fields if o.method is not None and o.method != Method.XML]
        return sum(o.hallucinated for o in produced), len(produced)

    def high_confidence(self) -> tuple[int, int]:
        sure = [o for o in self.fields if (o.confidence or 0.0) >= HIGH_CONFIDENCE]
        return sum(o.correct for o in sure), len(sure)

    @property
    def steady_seconds(self) -> float:
        """Median seconds per document after the first (which may include warm-up)."""
        later = self.seconds[1:] or self.seconds
        return statistics.median(later) if later else 0.0

    def chosen(self, *, unique: bool) -> set[str]:
        if not unique:
            return set(self.documents)
        first: dict[str, str] = {}
        for document in self.documents:
            first.setdefault(self.unique_of.get(document, document), document)
        return set(first.values())


def evaluate(
    pdfs: Iterable[Path],
    extractor: Extractor,
    schema: SchemaSpec,
    *,
    without_xml: bool = False,
    on_document: Callable[[Path], None] | None = None,
) -> Evaluation:
    """Extract every labelled PDF (reading ahead, as a batch does), then score the results.
    A document's seconds are the wall-clock time from the previous result to its own."""
    report = Evaluation()
    folds = comparison_folds(schema.model)
    with tempfile.TemporaryDirectory(prefix="extractor-eval-") as scratch:
        labelled = [
            (pdf, truth) for pdf in sorted(pdfs) if (truth := load_truth(pdf, schema)) is not None
        ]
        targets = [
            _without_xml(pdf, Path(scratch) / f"{number:05d}.pdf") if without_xml else pdf
            for number, (pdf, _) in enumerate(labelled)
        ]
        extracted = extractor.extract_many(((target, None) for target in targets), schema)
        results = []
        started = time.perf_counter()
        for (pdf, _), result in zip(labelled, extracted, strict=True):
            results.append(result)
            report.seconds.append(time.perf_counter() - started)
            if on_document is not None:
                on_document(pdf)
            started = time.perf_counter()
        for (pdf, truth), target, result in zip(labelled, targets, results, strict=True):
            name = str(pdf)
            report.documents.append(name)
            values = truth.values
            report.unique_of[name] = (  # the same invoice is often filed more than once
                f"{values.get('invoice_number')}|{values.get('total_gross')}"
                if schema.name == "invoice"
                else name
            )
            if isinstance(result, InputError):
                report.failed.append(name)
                report.outcomes[name] = DocumentOutcome(Status.FAILED, flagged=True)
            else:
                if result.errors and not result.fields:
                    report.failed.append(name)
                report.fields.extend(_score(name, result, truth, target, folds))
                report.outcomes[name] = _outcome(result, schema)
    return report


def _outcome(result: ExtractionResult, schema: SchemaSpec) -> DocumentOutcome:
    kind = next((k for k in schema.cues.kinds if k.name == result.kind), None)
    deciding = deciding_fields(schema, kind)
    produced = tuple(
        (
            table_key(record.method.value, record.path, result.kind, confirmed=record.confirmed),
            record.evidence,
            record.confidence,
        )
        for record in result.fields
        if record.value is not None and template_of(record.path) in deciding
    )
    flagged = any(blocks(error, deciding) for error in result.errors)
    codes = tuple(error.code for error in result.errors)
    return DocumentOutcome(result.status.value, flagged, produced, codes)


def _without_xml(pdf: Path, target: Path) -> Path:
    strip_attachments(pdf, target)
    return target


def _score(
    name: str, result: ExtractionResult, truth: Truth, pdf: Path, folds: Mapping[str, Folding]
) -> list[FieldOutcome]:
    records = {record.path: record for record in result.fields}
    read = result.page_texts or read_pdf(pdf, max_pages=1000, max_bytes=1 << 40).pages
    text = _comparable(PAGE_SEPARATOR.join(read))  # what the pipeline read, OCR included
    outcomes = []
    for path, correct in compare(result.data, truth.scored(), folds=folds).items():
        record = records.get(path)
        produced = record is not None and record.value is not None
        outcomes.append(
            FieldOutcome(
                name,
                path,
                correct,
                record.confidence if record else None,
                record.method.value if record and produced else None,
                record.evidence if record else None,
                record is not None and _hallucinated(record, text),
                result.kind,
                any(path in error.fields and not error.advisory for error in result.errors),
                record is not None and record.confirmed,
            )
        )
    return outcomes


def _comparable(text: str) -> str:
    """Whitespace and the commas grounding reads line breaks as, folded to one space."""
    return _SEPARATORS.sub(" ", text).strip()


def _hallucinated(record: FieldRecord, text: str) -> bool:
    """A produced value whose raw text does not occur in the document (a total read as the
    sum of printed amounts, "217.91 + 8.09", must have every part in it; a table cell read
    in pieces, one to a line, every line). Values of an embedded e-invoice or a filled form
    field are exact by construction, not read from text."""
    if record.value is None or record.method in (Method.XML, Method.FORM):
        return False
    raw = record.raw or canonical(record.value) or ""
    parts = (line for part in raw.split(SUM_SEPARATOR) for line in part.splitlines())
    return any(_comparable(part) not in text for part in parts)


def per_field_table(report: Evaluation, templates: Sequence[str]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = defaultdict(dict)
    for template in templates:
        for unique in (False, True):
            correct, total = report.accuracy(template, unique=unique)
            if total:
                table[template]["unique" if unique else "files"] = (correct, total)
    return table


def summary(report: Evaluation, templates: Sequence[str], core: Sequence[str]) -> dict[str, Any]:
    """Every figure of an evaluation, as plain JSON-ready values."""
    hallucinated, produced = report.hallucination()
    sure_correct, sure = report.high_confidence()
    return {
        "automation": report.automation(),
        "succeeded_precision": report.succeeded_precision(core),
        "documents": len(report.documents),
        "unique_documents": len(report.chosen(unique=True)),
        "failed": len(report.failed),
        "fields": per_field_table(report, templates),
        "all_core_correct": {
            "files": report.all_correct_rate(core),
            "unique": report.all_correct_rate(core, unique=True),
        },
        "hallucinated": (hallucinated, produced),
        "high_confidence_correct": (sure_correct, sure),
        "steady_seconds_per_document": round(report.steady_seconds, 3),
        "first_document_seconds": round(report.seconds[0], 3) if report.seconds else None,
    }
