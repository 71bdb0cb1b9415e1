"""One document through the stages: read -> embedded e-invoice, or text (rules and model
choices for scalar fields, grounded generation for lists) -> normalise -> validate -> result.
Each stage is a function; `Extractor` only strings them together."""

import hashlib
import json
import logging
import re
import tempfile
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from extractor.clinical.checks import (
    validate_claim_form,
    validate_clinical_letter,
    validate_lab_report,
)
from extractor.clinical.lists import lab_result_records, letter_list_records
from extractor.clinical.routing import route
from extractor.einvoice.cross_check import CROSS_CHECK_RULE, cross_check
from extractor.einvoice.embedded import EInvoice, EInvoiceError, einvoice_of
from extractor.errors import ExtractorError, GenerationError, InputError, NormalizationError
from extractor.forms.mapping import (
    CLAIM_SCHEMA,
    drawn_form_records,
    form_records,
    is_cms1500_document,
    is_printed_claim_form,
)
from extractor.learn.scorer import Scorer
from extractor.memory.memory import Memory
from extractor.memory.recall import ROUNDING_FACTOR, recall, rounding_printed
from extractor.model.confidence import Calibration, for_kind, jointly_unsure
from extractor.model.grounding import (
    CopySource,
    DocumentGrounding,
    GroundedCopyProcessor,
    field_confidence,
)
from extractor.model.prompt import build_prompt, prompt_sha256
from extractor.model.protocol import ModelBackend
from extractor.model.textpath import decide_text_fields, line_records
from extractor.model.warmup import write_warm_up_pdf
from extractor.read.isolation import read_document, readers
from extractor.read.ocr.fields import ocr_page_numbers, unread_page_errors, with_ocr_evidence
from extractor.read.page_words import reading_order_text, text_boxes
from extractor.read.pdf import DocumentText
from extractor.result import (
    ErrorRecord,
    ExtractionResult,
    FieldRecord,
    Method,
    Routing,
    RunInfo,
    Status,
)
from extractor.schema_walk import (
    GenerationPart,
    flatten,
    generation_parts,
    leaves,
    template_of,
    unflatten,
)
from extractor.settings import ExtractorSettings
from extractor.text.decide import IDENTIFIER_FIELDS
from extractor.text.registration import printed_with_registration
from extractor.text.totals import (
    adjusted_totals,
    amount_value,
    lines_up_to_net_total,
    payment_totals,
    rounded_totals,
    taxed_totals,
)
from extractor.values.candidates import find_candidates, find_spans
from extractor.values.confirm import confirmed_fields, is_name_path, settled_fields
from extractor.values.kinds import (
    deciding_fields,
    document_kind,
    missing_required,
    not_of_kind,
)
from extractor.values.normalize import normalize
from extractor.values.validate import CheckResult, validate_invoice
from schemas import AUTO, REGISTRY, SchemaSpec
from schemas.kinds import DocumentKind, FieldKind

UNGROUNDED_FACTOR = 0.3  # a value not found verbatim in the document is barely trusted
FAILED_CHECK_FACTOR = 0.5  # a field in a failed check is at most half as trusted
DISAGREEMENT_FACTOR = 1.0  # a remembered value the rules read otherwise

Validator = Callable[[Any], list[CheckResult]]
MemorySource = Callable[[str], Sequence[Memory]]  # a schema's name -> its supplier memories
VALIDATORS: dict[str, Validator] = {
    "invoice": validate_invoice,
    "lab_report": validate_lab_report,
    "clinical_letter": validate_clinical_letter,
    "claim_form": validate_claim_form,
}
EINVOICE_SCHEMA = "invoice"  # the schema an embedded e-invoice fills
# EN 16931 puts allowances and charges between quantity x price and a line's net (BT-131),
# and between the line sum (BT-106) and the net total (BT-109): an exact e-invoice may break
# these two checks, which only hold for invoices without allowances and charges. The shape
# checks guard against text misread; an e-invoice's values are typed data, and the cross-check
# with the visible text guards them instead.
NOT_FOR_EINVOICES = frozenset(
    {"lines_sum_to_net", "line_arithmetic", "party_name_shape", "invoice_number_shape",
     "dates_plausible"}
)  # fmt: skip
_HEADER_LINES = 3  # lines above the first unexplained amount given to the model: the table's head

logger = logging.getLogger(__name__)


def file_identity(path: Path) -> tuple[str, int]:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest(), path.stat().st_size


class Extractor:
    """Extracts documents with one loaded model backend; reuse it for a whole batch."""

    def __init__(
        self,
        backend: ModelBackend,
        settings: ExtractorSettings,
        calibration: Calibration | None = None,
        scorer: Scorer | None = None,
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.calibration = calibration or Calibration.bundled()
        self.scorer = scorer or Scorer.configured(settings.scorer_path)

    def warm_up(self, schemas: Iterable[SchemaSpec]) -> None:
        """Start the reader processes, compile every grammar these schemas need and extract a
        small built-in invoice, so no document pays for any of it. (An invoice read as a lab
        report would only make the model write empty lists: once is enough to warm it.)"""
        readers(self.settings).start()
        with tempfile.TemporaryDirectory(prefix="extractor-warm-up-") as scratch:
            warm_up_pdf = write_warm_up_pdf(Path(scratch) / "warm-up.pdf")
            for schema in schemas:
                for part in model_parts(schema):
                    self.backend.prepare(part.json_schema)
            self.extract(warm_up_pdf, REGISTRY["invoice"])  # the warm-up PDF is an invoice

    def extract(
        self,
        path: Path,
        schema: SchemaSpec,
        *,
        password: str | None = None,
        memories: MemorySource | None = None,
    ) -> ExtractionResult:
        """Raises `InputError` only for a file that cannot be opened at all; every other
        problem is recorded on the result. `memories` gives the supplier memories of a
        schema (from the database the results go to); without it none are recalled."""
        return self._extract(
            path, schema, lambda: read_document(path, self.settings, password=password), memories
        )

    def extract_many(
        self,
        files: Iterable[tuple[Path, str | None]],
        schema: SchemaSpec,
        *,
        memories: MemorySource | None = None,
    ) -> Iterator[ExtractionResult | InputError]:
        """`extract` for each (path, password), in order; while one document is extracted,
        the next ones are already being read by the other reader processes."""
        ahead = self.settings.read_processes
        with ThreadPoolExecutor(ahead, thread_name_prefix="extractor-read") as pool:
            queued: deque[tuple[Path, Future[DocumentText]]] = deque()

            def next_result() -> ExtractionResult | InputError:
                path, reading = queued.popleft()
                try:
                    return self._extract(path, schema, reading.result, memories)
                except InputError as error:
                    return error

            for path, password in files:
                reading = pool.submit(read_document, path, self.settings, password=password)
                queued.append((path, reading))
                if len(queued) > ahead:
                    yield next_result()
            while queued:
                yield next_result()

    def _extract(
        self,
        path: Path,
        schema: SchemaSpec,
        read: Callable[[], DocumentText],
        memories: MemorySource | None,
    ) -> ExtractionResult:
        started = time.perf_counter()
        try:
            sha256, size = file_identity(path)
        except OSError as error:
            raise InputError(f"cannot read file ({type(error).__name__})") from error
        result = ExtractionResult(
            path=path,
            sha256=sha256,
            size=size,
            schema=schema.name,
            schema_version=schema.version,
            status=Status.FAILED,
        )
        try:
            self._run(schema, result, read, memories)
        except ExtractorError as error:
            result.status = Status.FAILED
            result.errors.insert(0, ErrorRecord(error.code, str(error)))
        result.run.seconds["total"] = time.perf_counter() - started
        logger.info(
            "extracted sha256=%s schema=%s status=%s in %.2fs",
            sha256[:12],
            schema.name,
            result.status,
            result.run.seconds["total"],
        )
        return result

    def _run(
        self,
        schema: SchemaSpec,
        result: ExtractionResult,
        read: Callable[[], DocumentText],
        memories: MemorySource | None,
    ) -> None:
        timer = time.perf_counter()
        document = read()  # in an isolated reader process, under limits
        result.pages = len(document.pages)
        result.page_texts = document.pages
        result.ocr_words = {
            page.page: page.to_json()
            for page in document.words
            if document.ocr_page(page.page) is not None
        }
        result.run = RunInfo(
            ocr_pages=ocr_page_numbers(document),
            seconds={"read": time.perf_counter() - timer},
        )
        if schema.name == AUTO:
            schema = self._route(document, result)
        einvoice, einvoice_error = _read_einvoice(document)
        result.errors.extend(unread_page_errors(document, other_source=einvoice is not None))
        if einvoice_error is not None:
            error = einvoice_error
            result.errors.append(ErrorRecord(error.code, f"{error}; the text was read instead"))
        checks: list[CheckResult] = []
        if einvoice is not None and schema.name == EINVOICE_SCHEMA:
            records = einvoice_records(einvoice)
            checks.extend(cross_check(einvoice, document.full))
        elif is_printed_claim_form(document, schema):
            records = [
                *form_records(document, schema, result.errors),
                *drawn_form_records(document, schema, self.calibration),
            ]
        else:
            from_form = form_records(document, schema, result.errors)
            filled = {record.path for record in from_form}
            from_text = with_ocr_evidence(self._from_text(document, schema, result), document)
            from_text = with_boxes(from_text, document)
            if memories is not None:  # a form's values are exact: memory never overrides them
                from_text = with_recalled(from_text, document, schema, memories(schema.name))
            records = [*from_form, *(r for r in from_text if r.path not in filled)]
        result.data, typed = typed_data(schema, records)
        validated = VALIDATORS[schema.name](typed) if schema.name in VALIDATORS else []
        if einvoice is not None:
            validated = [check for check in validated if check.rule not in NOT_FOR_EINVOICES]
        checks.extend(validated)
        kind = document_kind(schema, document.full)
        result.kind = kind.name if kind is not None else None
        settled = _settled_totals(document, kind)
        result.fields = apply_checks(
            records,
            checks,
            result.errors,
            exact=einvoice is not None,
            settled=settled_fields(result.data, settled),
        )
        structured = einvoice is not None or is_printed_claim_form(document, schema)
        registered = _registered_names(document, result.data)
        confirmed = confirmed_fields(result.data, checks, settled, registered)
        confirmed |= remembered(result.fields)
        result.fields = for_kind(result.fields, self.calibration, result.kind, confirmed)
        result.errors.extend(required_field_errors(kind, result.data))
        result.errors.extend(unconfirmed_field_errors(kind, result.data, confirmed))
        result.review_fields = [
            record.path
            for record in result.fields
            if (record.value is not None and record.confidence < self.settings.review_threshold)
            or any(record.path in error.fields and not error.advisory for error in result.errors)
        ]
        deciding = deciding_fields(schema, kind)
        result.review_fields += jointly_unsure(
            {
                record.path: record.confidence
                for record in result.fields
                if record.value is not None
                and template_of(record.path) in deciding
                and record.path not in result.review_fields
            },
            self.settings.review_threshold,
        )
        result.status = (
            Status.NEEDS_REVIEW
            if any(blocks(error, deciding) for error in result.errors)
            or any(template_of(path) in deciding for path in result.review_fields)
            else Status.SUCCEEDED
        )
        reason = None if structured else not_of_kind(schema, document.full, result.data)
        if reason is not None:
            result.status = Status.OTHER_KIND
            message = f"not a document of schema {schema.name}: {reason}"
            result.errors.insert(0, ErrorRecord("other_kind", message))

    def classify(self, path: Path, *, password: str | None = None) -> Routing:
        """Which registered schema a document is (what `schema="auto"` would choose)."""
        return self.route_document(read_document(path, self.settings, password=password))[1]

    def route_document(self, document: DocumentText) -> tuple[SchemaSpec, Routing]:
        """The schema for a read document: a CMS-1500's boxes say what it is (even when the
        form is a mere picture); otherwise its cues, and the model where they are unclear."""
        if is_cms1500_document(document):
            return REGISTRY[CLAIM_SCHEMA], Routing(CLAIM_SCHEMA, 1.0, Method.RULES)
        backend = self.backend if self.settings.use_model else None
        return route(document.full, list(REGISTRY.values()), backend)

    def _route(self, document: DocumentText, result: ExtractionResult) -> SchemaSpec:
        """Choose the schema for `schema="auto"`; an unsure choice sends the result to review."""
        schema, result.routing = self.route_document(document)
        result.schema, result.schema_version = schema.name, schema.version
        if result.routing.confidence < self.settings.review_threshold:
            result.errors.append(
                ErrorRecord("routing_uncertain", "the document type was chosen with low confidence")
            )
        return schema

    def _from_text(
        self, document: DocumentText, schema: SchemaSpec, result: ExtractionResult
    ) -> list[FieldRecord]:
        backend = self.backend if self.settings.use_model else None
        scalars = decide_text_fields(
            document, schema, leaves(schema.model), backend, self.calibration, self.scorer
        )
        records = scalars.records
        records = with_geometry_reading(records, document, schema, self.calibration, self.scorer)
        records = with_rounding_doubt(records, document, document_kind(schema, document.full))
        prompt_tokens, completion_tokens = scalars.prompt_tokens, 0
        model_seconds = scalars.model_seconds
        timer = time.perf_counter()
        found_lists = LIST_RULES[schema.name](document, self.calibration)
        records.extend(found_lists)
        missing = missing_list_parts(schema, found_lists, document.full)
        window = list_window(schema, document, records) if missing else None
        if backend is not None and window is not None:
            listed = self._generate_lists(document, window, schema, missing, result)
            records.extend(lines_up_to_net_total(listed.records, records))
            prompt_tokens += listed.prompt_tokens
            completion_tokens += listed.completion_tokens
            model_seconds += listed.seconds
        result.run = replace(
            result.run,
            model_sha256=self.backend.model_sha256 if backend else None,
            prompt_format=self.backend.prompt_format if backend else None,
            grammar_sha256=self.backend.grammar_sha256(
                "\n".join(part.json_schema for part in model_parts(schema))
            )
            if backend
            else None,
            prompt_sha256=prompt_sha256(schema),
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            seconds={
                **result.run.seconds,
                "decide": scalars.seconds,
                "generate": time.perf_counter() - timer,
                "model": model_seconds,  # of decide and generate, inside the model
            },
        )
        return records

    def _list_tokens(self) -> int:
        """The generation budget for list fields: the setting, within a quarter of the
        model's context (a small-context model still needs room for the document)."""
        return min(self.settings.max_list_tokens, self.backend.context_tokens // 4)

    def _generate_lists(
        self,
        document: DocumentText,
        window: tuple[int, int],
        schema: SchemaSpec,
        parts: Sequence[GenerationPart],
        result: ExtractionResult,
    ) -> "ListFields":
        """List fields the rules found no item of are copied by the model under the grounding
        grammar, from the window of the text where the items are."""
        outcome = ListFields()
        start, end = window
        prompt = build_prompt(
            schema,
            document.full[start:end],
            count_tokens=self.backend.count_tokens,
            token_budget=self.backend.context_tokens - self._list_tokens(),
        )
        if prompt.truncated:
            result.errors.append(ErrorRecord("truncated_input", "document text cut to fit"))
        kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
        grounding = DocumentGrounding(
            self.backend.token_table,
            CopySource.from_text(prompt.document_text),
            self.settings.max_value_chars,
            kinds,
            find_candidates(prompt.document_text, kinds.values()),
        )
        raw: dict[str, Any] = {}
        probabilities: dict[str, list[float]] = {}
        for part in parts:
            processor = GroundedCopyProcessor(grounding)
            generation = self.backend.generate_json(
                prompt.messages(part),
                part.json_schema,
                processors=[processor],
                max_tokens=self._list_tokens(),
                stop=processor.should_stop,
            )
            outcome.prompt_tokens += generation.prompt_tokens
            outcome.completion_tokens += generation.completion_tokens
            outcome.seconds += generation.seconds
            text = processor.repaired_text or generation.text
            truncated = generation.truncated and processor.repaired_text is None
            try:
                raw.update(parse_generation(text, truncated=truncated))
            except GenerationError as error:
                result.errors.append(ErrorRecord(error.code, str(error), (part.name,)))
            probabilities.update(processor.field_probabilities)
        records, errors = build_fields(
            flatten(raw), schema, grounding.source, document, probabilities, offset=start
        )
        outcome.records.extend(records)
        result.errors.extend(errors)
        return outcome


@dataclass
class ListFields:
    records: list[FieldRecord] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0  # in the model's generation


ListRule = Callable[[DocumentText, Calibration], list[FieldRecord]]
LIST_RULES: dict[str, ListRule] = {
    "invoice": line_records,
    "lab_report": lab_result_records,
    "clinical_letter": letter_list_records,
    "claim_form": lambda document, calibration: [],
}


def missing_list_parts(
    schema: SchemaSpec, found: Sequence[FieldRecord], text: str
) -> list[GenerationPart]:
    """The list fields the rules found no item of, in a document that names them (a letter
    without procedures is not asked for any): the model's to copy."""
    named = {record.path.partition(".")[0] for record in found}
    return [
        part
        for part in model_parts(schema)
        if part.name not in named
        and re.search(schema.cues.lists.get(part.name, ""), text, re.IGNORECASE)
    ]


def list_window(
    schema: SchemaSpec, document: DocumentText, records: Sequence[FieldRecord]
) -> tuple[int, int] | None:
    """Where the model should look for list items: for an invoice the lines' window, for
    other documents the whole text."""
    if schema.name == "invoice":
        return lines_window(document, records)
    return (0, len(document.full)) if document.full.strip() else None


def lines_window(document: DocumentText, records: Sequence[FieldRecord]) -> tuple[int, int] | None:
    """Where in the text the model should look for list items: from a few lines above the
    first amount that no decided field accounts for (the table's header) to the end of the
    line with the last one. None when every amount is accounted for: only then there are no
    lines to find (a summary invoice prints its totals and nothing else)."""
    decided = {record.value for record in records if isinstance(record.value, Decimal)}
    unexplained = [
        span
        for span in find_spans(document.full, FieldKind.AMOUNT)
        if amount_value(span.text) not in {*decided, None, Decimal(0)}
    ]
    if not unexplained:
        return None
    text = document.full
    start = text.rfind("\n", 0, unexplained[0].start) + 1  # the first amount's line
    for _ in range(_HEADER_LINES):
        if start > 0:
            start = text.rfind("\n", 0, start - 1) + 1
    end = text.find("\n", unexplained[-1].end)
    return start, len(text) if end < 0 else end


GEOMETRY_KINDS = frozenset({FieldKind.DATE, FieldKind.AMOUNT})
GEOMETRY_DISAGREEMENT_FACTOR = 0.5  # a value the page read in geometric order contradicts
LIKELY = 0.5  # a reading's value at least this confident is more likely right than wrong


def with_geometry_reading(
    records: list[FieldRecord],
    document: DocumentText,
    schema: SchemaSpec,
    calibration: Calibration,
    scorer: Scorer | None = None,
) -> list[FieldRecord]:
    """The text path's records checked against the rules run over the page read in
    geometric order (`reading_order_text`: where the PDF draws a value before its label, or a
    column at a time, lines by position pair them): a date or amount left empty, or a date,
    amount or document number read more likely wrong than right where that reading is not,
    is taken from that reading; in a document where one was filled, a date, amount or
    document number the two readings disagree on is trusted less."""
    if not document.words or document.ocr:
        return records
    kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
    if not any(_open_to_geometry(record, document, kinds) for record in records):
        return records  # nothing the other reading could fill or replace: spare the second pass
    geometric = _in_geometric_order(document)
    other = {
        record.path: record
        for record in decide_text_fields(
            geometric, schema, leaves(schema.model), None, calibration, scorer
        ).records
    }
    checked = [_checked(record, other.get(record.path), document, kinds) for record in records]
    if all(new is old or old.value is not None for new, old in zip(checked, records, strict=True)):
        return checked  # nothing filled: the text order held, disagreements stay unmarked
    # the text order failed this document somewhere: where the two readings still find
    # another date, amount or document number, neither is sure
    return [
        replace(record, confidence=record.confidence * GEOMETRY_DISAGREEMENT_FACTOR)
        if record is original
        and record.value is not None
        and (read := other.get(record.path)) is not None
        and read.value is not None
        and read.value != record.value
        and _read_alike(record.path, kinds)
        else record
        for record, original in zip(checked, records, strict=True)
    ]


def with_rounding_doubt(
    records: list[FieldRecord], document: DocumentText, kind: DocumentKind | None
) -> list[FieldRecord]:
    """A gross total read on a page that prints a rounding adjustment other than zero is one
    of two totals, before and after rounding, and conventions differ on which one is the
    gross (EN 16931: before; a till's receipt: after, what it charged): it loses confidence
    like a remembered amount there (`ROUNDING_FACTOR`), unless the kind of document counts
    its gross after rounding and the total read is known to be the one after it
    (`_after_rounding`)."""
    pages = {page.page: page for page in document.words}
    after = _after_rounding(document, kind)
    return [
        replace(record, confidence=record.confidence * ROUNDING_FACTOR)
        if template_of(record.path) == "total_gross"
        and record.value is not None
        and record.value not in after
        and record.page in pages
        and rounding_printed(pages[record.page])
        else record
        for record in records
    ]


def _rounded_by_kind(document: DocumentText, kind: DocumentKind | None) -> dict[Decimal, Decimal]:
    """The totals before and after a rounding adjustment (`rounded_totals`, in either
    reading), where the kind of document counts its gross after rounding; else none."""
    if kind is None or not kind.total_after_rounding:
        return {}
    found: dict[Decimal, Decimal] = {}
    for text in _readings(document):
        for before, after in rounded_totals(text, find_spans(text, FieldKind.AMOUNT)).items():
            found.setdefault(before, after)
    return found


def _after_rounding(document: DocumentText, kind: DocumentKind | None) -> set[Decimal]:
    """Where the kind of document counts its gross after rounding, the totals known to be
    after it: the one after an adjustment the text prints (`rounded_totals`), and the one a
    till's payment pays (`payment_totals`: cash is paid rounded), in either reading; else
    none."""
    if kind is None or not kind.total_after_rounding:
        return set()
    found = set(_rounded_by_kind(document, kind).values())
    for text in _readings(document):
        found |= set(payment_totals(text, find_spans(text, FieldKind.AMOUNT)))
    return found


def _settled_totals(document: DocumentText, kind: DocumentKind | None) -> set[Decimal]:
    """The totals that evidence other than a check of the fields confirms, in either
    reading: what a till's payment paid (`payment_totals`), the gross a tax printed beside
    its rate is the tax of (`taxed_totals`) and, where the kind of document counts its gross
    after rounding, the total that a printed adjustment sums to (`adjusted_totals`)."""
    settled: set[Decimal] = set()
    for text in _readings(document):
        spans = find_spans(text, FieldKind.AMOUNT)
        settled |= set(payment_totals(text, spans)) | taxed_totals(text, spans)
        if kind is not None and kind.total_after_rounding:
            settled |= adjusted_totals(text, spans)
    return settled


def _registered_names(document: DocumentText, data: dict[str, Any]) -> set[str]:
    """The parties' names that the page prints with a registration number, in either
    reading (`printed_with_registration`)."""
    names = {v for path, v in flatten(data).items() if is_name_path(path) and isinstance(v, str)}
    if not names:
        return set()
    readings = _readings(document)  # the geometric one is laid out once, not once per name
    return {name for name in names if any(printed_with_registration(name, t) for t in readings)}


def _readings(document: DocumentText) -> list[str]:
    """The text in the PDF's order and, where the page's words are known, in geometric
    order: a till slip's PDF may draw its total after everything below it, and the amounts
    a rounding or a payment pairs then stand apart in the text's order."""
    if not document.words:
        return [document.full]
    return [document.full, _in_geometric_order(document).full]


def _in_geometric_order(document: DocumentText) -> DocumentText:
    """The document with each page's text read in geometric order (`reading_order_text`)."""
    return replace(document, pages=tuple(reading_order_text(page) for page in document.words))


def _checked(
    record: FieldRecord,
    read: FieldRecord | None,
    document: DocumentText,
    kinds: dict[str, FieldKind],
) -> FieldRecord:
    """The record, or the geometric reading's where the record is a date or amount left
    empty; where the record is a date, amount or document number more likely wrong than
    right while the other is not (both against `LIKELY`); or where the record is a document
    number whose raw text is no run of the page's words (glued across a line the PDF drew
    out of order, "INV-2024-3555Invoice") while the other's is."""
    if read is None or read.value is None or read.value == record.value:
        return record
    if not _open_to_geometry(record, document, kinds):
        return record
    if _unsure(record, kinds):
        return _grounded(read, document) or record if read.confidence >= LIKELY else record
    if record.value is not None:  # a glued number: only for one the page's words spell
        assert record.page is not None
        words = document.words[record.page - 1].words
        if not read.raw or not text_boxes(words, read.raw):
            return record
    return _grounded(read, document) or record


def _unsure(record: FieldRecord, kinds: dict[str, FieldKind]) -> bool:
    """A date, amount or document number read, but more likely wrong than right: "Total HT
    269,00" where the page prints "Total HT Net" beside the net after a discount, a postcode
    where the number stands under labels stacked in a column."""
    return (
        record.value is not None and _read_alike(record.path, kinds) and record.confidence < LIKELY
    )


def _open_to_geometry(
    record: FieldRecord, document: DocumentText, kinds: dict[str, FieldKind]
) -> bool:
    """Whether the geometric reading could change this record (`_checked`): a date or amount
    left empty, a date, amount or document number read unsure (`_unsure`), or a document
    number whose raw text no run of the page's words spells."""
    if record.value is None:
        return kinds.get(record.path) in GEOMETRY_KINDS
    if _unsure(record, kinds):
        return True
    if record.path not in IDENTIFIER_FIELDS or not (record.raw and record.page):
        return False
    if record.page > len(document.words):
        return False
    return not text_boxes(document.words[record.page - 1].words, record.raw)


def _read_alike(path: str, kinds: dict[str, FieldKind]) -> bool:
    """Whether both readings find this field the same way: a labelled date, amount or
    document number (a party's name or address is a block, which the geometric reading
    joins across columns)."""
    return kinds.get(path) in GEOMETRY_KINDS or path in IDENTIFIER_FIELDS


def _grounded(read: FieldRecord, document: DocumentText) -> FieldRecord | None:
    """The geometric reading's record placed in the page's text as read (so that it stays
    grounded): its raw text, or that from its first word with a digit ("RM 13.60", where
    the PDF's order puts the currency and the amount apart); None where the text holds
    neither."""
    if not read.raw or not read.page:
        return None
    words = read.raw.split()
    first = next((i for i, word in enumerate(words) if any(c.isdigit() for c in word)), 0)
    for raw in dict.fromkeys((read.raw, " ".join(words[first:]))):
        start = document.pages[read.page - 1].find(raw)
        if start >= 0:
            return replace(read, raw=raw, start=start, end=start + len(raw))
    return None


def with_boxes(records: Sequence[FieldRecord], document: DocumentText) -> list[FieldRecord]:
    """Each record read from the text with the box of its words on the page: the words that
    spell its raw text, the same occurrence as in the page's text (the third "15.00" on
    the page for the third in the text)."""
    boxed = []
    for record in records:
        page = record.page
        placed = record.raw and page and record.start is not None and page <= len(document.words)
        if record.box is None and placed:
            assert page is not None and record.raw is not None and record.start is not None
            boxes = text_boxes(document.words[page - 1].words, record.raw)
            before = document.pages[page - 1].count(record.raw, 0, record.start)
            if boxes:
                record = replace(record, box=boxes[min(before, len(boxes) - 1)])
        boxed.append(record)
    return boxed


def with_recalled(
    records: Sequence[FieldRecord],
    document: DocumentText,
    schema: SchemaSpec,
    memories: Sequence[Memory],
) -> list[FieldRecord]:
    """The text's records, with the fields the supplier memory finds in place of theirs.
    Where the rules read another value, the two disagree and the memory's value is trusted
    less (`DISAGREEMENT_FACTOR`). A remembered gross that is the total before a rounding
    adjustment gives way to the rules' total after it, where the kind of document counts its
    gross after rounding (a receipt confirmed where no rounding was printed)."""
    kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
    kind = document_kind(schema, document.full)
    rounded = _rounded_by_kind(document, kind)
    found = recall(document, kinds, memories, rounded=_after_rounding(document, kind))
    recalled = {record.path: record for record in found}
    merged = []
    for record in records:
        memory = recalled.pop(record.path, None)
        before = memory.value if memory is not None and record.path == "total_gross" else None
        if isinstance(before, Decimal) and record.value == rounded.get(before):
            memory = None
        if memory is not None and record.value is not None and record.value != memory.value:
            memory = replace(memory, confidence=memory.confidence * DISAGREEMENT_FACTOR)
        merged.append(memory or record)
    return merged + list(recalled.values())


def model_parts(schema: SchemaSpec) -> list[GenerationPart]:
    """The parts the model generates itself: the list fields; scalars are chosen."""
    return [part for part in generation_parts(schema.model) if part.is_list]


def blocks(error: ErrorRecord, deciding: frozenset[str]) -> bool:
    """Whether an error keeps the result from `succeeded`: it concerns the whole document, or
    a field that decides (a failed check of other fields only sends those fields to review);
    an advisory error never does."""
    if error.advisory:
        return False
    return not error.fields or any(template_of(path) in deciding for path in error.fields)


def required_field_errors(kind: DocumentKind | None, data: dict[str, Any]) -> list[ErrorRecord]:
    """`missing_required` when the document's kind lacks a field a user cannot act without."""
    missing = missing_required(kind, data) if kind is not None else ()
    if kind is None or not missing:
        return []
    return [
        ErrorRecord("missing_required", f"{kind.name}: no {', '.join(missing)}", fields=missing)
    ]


def unconfirmed_field_errors(
    kind: DocumentKind | None, data: dict[str, Any], confirmed: set[str]
) -> list[ErrorRecord]:
    """`unconfirmed` for each of the kind's fields to confirm that has a value that no
    layout-independent evidence confirms (`extractor.values.confirm`)."""
    if kind is None:
        return []
    flat = flatten(data)
    return [
        ErrorRecord("unconfirmed", f"{kind.name}: no check confirms {path}", fields=(path,))
        for path in kind.confirmed
        if flat.get(path) is not None and path not in confirmed
    ]


def _read_einvoice(document: DocumentText) -> tuple[EInvoice | None, EInvoiceError | None]:
    """The embedded e-invoice among the document's attachments, or why it could not be read."""
    try:
        return einvoice_of(document.attachments), None
    except EInvoiceError as error:
        return None, error


def einvoice_records(einvoice: EInvoice) -> list[FieldRecord]:
    """Every value the embedded XML carries, exact, pointing at its element."""
    return [
        FieldRecord(value.path, value.value, Method.XML, 1.0, element=value.element)
        for value in einvoice.values
    ]


def parse_generation(text: str, *, truncated: bool) -> dict[str, Any]:
    """The model's JSON; truncated output is an error, never a partial result."""
    if truncated:
        raise GenerationError("model output was cut off at the token budget")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise GenerationError("model output is not valid JSON") from error
    if not isinstance(parsed, dict):
        raise GenerationError("model output is not a JSON object")
    return parsed


def build_fields(
    raw_values: Mapping[str, Any],
    schema: SchemaSpec,
    source: CopySource,
    document: DocumentText,
    probabilities: Mapping[str, Sequence[float]],
    *,
    offset: int = 0,
) -> tuple[list[FieldRecord], list[ErrorRecord]]:
    """Normalise each copied value and find where it came from (`source` is the document's
    text from `offset` on)."""
    kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
    records: list[FieldRecord] = []
    errors: list[ErrorRecord] = []
    for path, raw in raw_values.items():
        kind = kinds.get(template_of(path))
        if kind is None:
            continue
        confidence = field_confidence(probabilities.get(path, ()))
        if raw is None:
            records.append(FieldRecord(path, None, Method.MODEL, confidence))
            continue
        span = source.find(str(raw))
        location = document.locate(span[0] + offset, span[1] + offset) if span else None
        if location is None:
            confidence *= UNGROUNDED_FACTOR
        try:
            value = normalize(kind, str(raw))
        except NormalizationError:
            errors.append(ErrorRecord("normalization", f"{path}: not a valid {kind}", (path,)))
            value, confidence = None, 0.0
        records.append(
            FieldRecord(
                path,
                value,
                Method.MODEL,
                confidence,
                page=location.page if location else None,
                start=location.start if location else None,
                end=location.end if location else None,
                raw=str(raw),
            )
        )
    return records, errors


def typed_data(
    schema: SchemaSpec, records: Sequence[FieldRecord]
) -> tuple[dict[str, Any], BaseModel]:
    """Assemble the field values into the schema's model; a value it refuses becomes null."""
    flat = {record.path: record.value for record in records}
    while True:
        try:
            typed = schema.model.model_validate(unflatten(flat))
            return typed.model_dump(), typed
        except ValidationError as error:
            bad = {".".join(str(part) for part in issue["loc"]) for issue in error.errors()}
            if not bad & flat.keys():
                raise GenerationError("model output does not fit the schema") from error
            for path in bad & flat.keys():
                flat[path] = None


def remembered(records: Sequence[FieldRecord]) -> set[str]:
    """The fields read where a reviewer confirmed this supplier's value before, beside the
    label it had then (not merely at its old place): they count as confirmed."""
    return {
        record.path for record in records if record.method is Method.MEMORY and record.confirmed
    }


def apply_checks(
    records: Sequence[FieldRecord],
    checks: Sequence[CheckResult],
    errors: list[ErrorRecord],
    *,
    exact: bool = False,
    settled: Collection[str] = (),
) -> list[FieldRecord]:
    """Record failed checks and lower the confidence of every field they involve. With `exact`
    values (an embedded e-invoice) a failed business rule is the document's own: recorded as
    advisory, the values keep their confidence; the cross-check with the text still counts.

    A check that ties a field a reviewer confirmed for this supplier (read beside its
    remembered label), or a total that other evidence settles (`settled`: what a till's
    payment paid, a receipt's total after a printed adjustment), to fields that nothing
    confirmed blames those others only: where the remembered or paid total and the rules'
    tax disagree, it is the tax that is in doubt."""
    trusted = remembered(records) | set(settled)
    failed_paths: set[str] = set()
    for check in checks:
        if check.passed:
            continue
        advisory = exact and not check.rule.startswith(CROSS_CHECK_RULE)
        blamed = tuple(path for path in check.fields if path not in trusted) or check.fields
        errors.append(ErrorRecord(f"check:{check.rule}", check.detail, blamed, advisory))
        if not advisory:
            failed_paths.update(blamed)
    return [
        replace(record, confidence=record.confidence * FAILED_CHECK_FACTOR)
        if record.path in failed_paths
        else record
        for record in records
    ]
