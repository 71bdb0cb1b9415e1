"""Embedded e-invoices: Factur-X / ZUGFeRD 1.x and 2.x / XRechnung, read exactly.

A PDF/A-3 e-invoice carries its machine-readable invoice as an attachment (CII or UBL XML).
When present it is the exact source of the schema's fields: `read_einvoice` finds and parses
it, `cross_check` compares it with the text a person sees, and `strip_attachments` writes the
PDF without it, so the text + model path can be measured against the XML's values.

The XML is parsed without DTDs, entity expansion or network access, and its size is capped.
Error messages and check details name fields and elements, never their values.
"""

import logging
import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, NameObject

from extractor.candidates import find_candidates
from extractor.einvoice_cii import DIALECTS, parse_cii
from extractor.einvoice_ubl import ROOTS as UBL_ROOTS
from extractor.einvoice_ubl import parse_ubl
from extractor.einvoice_xml import (
    EInvoiceError,
    EInvoiceTooLargeError,
    XmlValue,
    parse_xml,
)
from extractor.errors import NormalizationError
from extractor.normalize import normalize, parse_date
from extractor.schema_walk import unflatten
from extractor.validate import CheckResult
from schemas.invoice import Invoice
from schemas.kinds import FieldKind

__all__ = [
    "MAX_XML_BYTES",
    "EInvoice",
    "EInvoiceError",
    "EInvoiceTooLargeError",
    "XmlValue",
    "cross_check",
    "embedded_xml",
    "parse_einvoice",
    "read_einvoice",
    "strip_attachments",
]

MAX_XML_BYTES = 10_000_000
# Attachment names the standards prescribe, in order of preference (compared casefolded).
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EInvoice:
    syntax: str  # "CII" or "UBL"
    profile: str | None  # guideline / customization id, "urn:cen.eu:en16931:2017"
    attachment: str  # the attachment's file name
    values: tuple[XmlValue, ...]

    def data(self) -> dict[str, Any]:
        """The values nested in the shape of `schemas.invoice.Invoice`."""
        return unflatten({value.path: value.value for value in self.values})

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (dates and amounts as tagged text), to cross a process boundary."""
        return {
            "syntax": self.syntax,
            "profile": self.profile,
            "attachment": self.attachment,
            "values": [
                [value.path, _tag(value.value), str(value.value), value.element]
                for value in self.values
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "EInvoice":
        values = tuple(
            XmlValue(path, _untag(tag, text), element)
            for path, tag, text, element in data["values"]
        )
        return cls(data["syntax"], data["profile"], data["attachment"], values)


def _tag(value: object) -> str:
    return (
        "date" if isinstance(value, date) else "decimal" if isinstance(value, Decimal) else "text"
    )


def _untag(tag: str, text: str) -> str | date | Decimal:
    if tag == "date":
        return date.fromisoformat(text)
    return Decimal(text) if tag == "decimal" else text


def embedded_xml(reader: PdfReader, *, max_bytes: int = MAX_XML_BYTES) -> tuple[str, bytes] | None:
    """The e-invoice attachment (name, bytes): a standard name first, else any `*.xml` whose
    root is a CII or UBL invoice. None when there is none.

    Raises `EInvoiceTooLargeError` above `max_bytes`, `EInvoiceError` when the attachments
    cannot be read."""
    try:
        files = list(reader.attachment_list)
        named = [file for file in files if file.name.casefold() in KNOWN_NAMES]
        named.sort(key=lambda file: KNOWN_NAMES.index(file.name.casefold()))
        others = [f for f in files if f.name.casefold().endswith(".xml") and f not in named]
        for file in [*named, *others]:
            declared = file.size
            if declared is not None and declared > max_bytes:
                raise EInvoiceTooLargeError(f"XML attachment declares {declared} bytes")
            content = file.content
            if len(content) > max_bytes:
                raise EInvoiceTooLargeError(f"XML attachment has {len(content)} bytes")
            if file in named or _is_invoice(content):
                return file.name, content
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.debug("attachments unreadable: %s", type(error).__name__)
        raise EInvoiceError(f"PDF attachments cannot be read ({type(error).__name__})") from error
    return None


def _is_invoice(content: bytes) -> bool:
    try:
        return parse_xml(content).tag in _ROOTS
    except EInvoiceError:
        return False


_ROOTS = frozenset(DIALECTS) | UBL_ROOTS


def parse_einvoice(xml: bytes, attachment: str) -> EInvoice:
    """Parse a CII (ZUGFeRD 1.x/2.x, Factur-X, XRechnung) or UBL invoice. The result's
    `data()` is guaranteed to validate as `Invoice`; anything else raises `EInvoiceError`."""
    root = parse_xml(xml)
    if root.tag in DIALECTS:
        syntax = "CII"
        profile, values = parse_cii(root, DIALECTS[root.tag])
    elif root.tag in UBL_ROOTS:
        syntax = "UBL"
        profile, values = parse_ubl(root)
    else:
        raise EInvoiceError("XML root is not a CII or UBL invoice")
    einvoice = EInvoice(syntax, profile, attachment, tuple(values))
    try:
        Invoice.model_validate(einvoice.data())
    except ValidationError as error:
        where = sorted({".".join(map(str, issue["loc"])) for issue in error.errors()})
        raise EInvoiceError(f"XML values do not fit the invoice schema at: {where}") from error
    return einvoice


def read_einvoice(reader: PdfReader, *, max_bytes: int = MAX_XML_BYTES) -> EInvoice | None:
    """The PDF's embedded e-invoice, parsed; None when it carries none."""
    found = embedded_xml(reader, max_bytes=max_bytes)
    return None if found is None else parse_einvoice(found[1], found[0])


def strip_attachments(source: Path, target: Path) -> None:
    """Write `source` again without embedded files: no `/EmbeddedFiles` name tree, no `/AF`
    associated-file arrays (catalog and pages) and no file-attachment annotations. The
    references are cut in the reader before the writer clones what is still reachable, so
    the file streams themselves are not written either. Pages and content are unchanged."""
    reader = PdfReader(source)
    catalog = reader.root_object
    names = catalog.get("/Names")
    if names is not None:
        names.get_object().pop(NameObject("/EmbeddedFiles"), None)
    catalog.pop(NameObject("/AF"), None)
    for page in reader.pages:
        page.pop(NameObject("/AF"), None)
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        kept = [
            annot
            for annot in annotations.get_object()
            if annot.get_object().get("/Subtype") != "/FileAttachment"
        ]
        page[NameObject("/Annots")] = ArrayObject(kept)
    writer = PdfWriter(clone_from=reader)
    with target.open("wb") as handle:
        writer.write(handle)


def cross_check(einvoice: EInvoice, document_text: str) -> list[CheckResult]:
    """Does the machine invoice match what a person sees? One check per field the XML
    carries, passed when:

    - invoice number: it occurs in the text, whitespace ignored;
    - gross total: some amount candidate equals it, or its negation (a credit note states
      positive amounts in the XML, EN 16931, and is often printed with a minus sign);
    - issue date: some date candidate equals it, where a numeric date (also one glued to
      neighbouring words by text extraction, "Nr.123vom06.10.2018") may be read day-first or
      month-first (US-style "11/03/2017" is 3 November).
    """
    values = {value.path: value.value for value in einvoice.values}
    results: list[CheckResult] = []
    number = values.get("invoice_number")
    if isinstance(number, str):
        found = "".join(number.split()) in "".join(document_text.split())
        results.append(_check("invoice_number", "invoice number", passed=found))
    gross = values.get("total_gross")
    if isinstance(gross, Decimal):
        text = _lines_with(document_text, _digits(f"{abs(gross).normalize():f}").lstrip("0") or "0")
        seen = _normalized(FieldKind.AMOUNT, _candidates(text, FieldKind.AMOUNT))
        results.append(_check("total_gross", "gross total", passed=gross in seen or -gross in seen))
    issued = values.get("issue_date")
    if isinstance(issued, date):
        text = _lines_with(document_text, f"{issued.year % 100:02d}")
        seen = _normalized(FieldKind.DATE, _candidates(text, FieldKind.DATE))
        results.append(
            _check(
                "issue_date",
                "issue date",
                passed=issued in seen or issued in _numeric_dates(document_text),
            )
        )
    return results


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _lines_with(text: str, digits: str) -> str:
    """Only the lines whose digits contain `digits`: a printed amount or date always carries
    its own digits (a date at least its year's last two), so the other lines cannot hold it
    and need not be parsed."""
    return "\n".join(line for line in text.splitlines() if digits in _digits(line))


def _candidates(text: str, kind: FieldKind) -> list[str]:
    return find_candidates(text, [kind]).get(kind, [])


def _numeric_dates(text: str) -> set[date]:
    """Both readings (day-first, month-first) of every numeric date, inside words too."""
    found: set[date] = set()
    for match in _NUMERIC_DATE.finditer(text):
        first, second, year = match.group(1), match.group(3), match.group(4)
        for day, month in ((first, second), (second, first)):
            with suppress(NormalizationError):
                found.add(parse_date(f"{day}.{month}.{year}"))
    return found


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")


def _normalized(kind: FieldKind, raws: list[str]) -> list[Any]:
    found = []
    for raw in raws:
        with suppress(NormalizationError):
            found.append(normalize(kind, raw))
    return found


def _check(path: str, what: str, *, passed: bool) -> CheckResult:
    detail = (
        f"the {what} of the embedded XML occurs in the visible text"
        if passed
        else f"the {what} of the embedded XML was not found in the visible text"
    )
    return CheckResult(f"xml_matches_text:{path}", passed, (path,), detail)
