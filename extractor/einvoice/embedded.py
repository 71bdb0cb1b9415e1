"""Embedded e-invoices: Factur-X / ZUGFeRD 1.x and 2.x / XRechnung, read exactly.

A PDF/A-3 e-invoice carries its machine-readable invoice as an attachment (CII or UBL XML).
When present it is the exact source of the schema's fields: `read_einvoice` finds and parses
it (`cross_check.py` compares it with the text a person sees), and `strip_attachments` writes
the PDF without it, so the text + model path can be measured against the XML's values.

The XML is parsed without DTDs, entity expansion or network access, and its size is capped.
Error messages and check details name fields and elements, never their values.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from extractor.einvoice.cii import DIALECTS, parse_cii
from extractor.einvoice.ubl import ROOTS as UBL_ROOTS
from extractor.einvoice.ubl import parse_ubl
from extractor.einvoice.xml_tree import (
    EInvoiceError,
    EInvoiceTooLargeError,
    XmlValue,
    parse_xml,
)
from extractor.read.attachments import MAX_ATTACHMENT_BYTES, Attachments, xml_attachments
from extractor.schema_walk import unflatten
from schemas.invoice import Invoice

__all__ = [
    "MAX_XML_BYTES",
    "EInvoice",
    "EInvoiceError",
    "EInvoiceTooLargeError",
    "XmlValue",
    "einvoice_of",
    "embedded_xml",
    "invoice_attachment",
    "parse_einvoice",
    "read_einvoice",
    "strip_attachments",
]

MAX_XML_BYTES = MAX_ATTACHMENT_BYTES
# Attachment names the standards prescribe, in order of preference (compared casefolded).
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


@dataclass(frozen=True)
class EInvoice:
    syntax: str  # "CII" or "UBL"
    profile: str | None  # guideline / customization id, "urn:cen.eu:en16931:2017"
    attachment: str  # the attachment's file name
    values: tuple[XmlValue, ...]

    def data(self) -> dict[str, Any]:
        """The values nested in the shape of `schemas.invoice.Invoice`."""
        return unflatten({value.path: value.value for value in self.values})


def embedded_xml(reader: PdfReader, *, max_bytes: int = MAX_XML_BYTES) -> tuple[str, bytes] | None:
    """The e-invoice attachment (name, bytes) of an open PDF; see `invoice_attachment`."""
    return invoice_attachment(xml_attachments(reader, max_bytes=max_bytes), max_bytes=max_bytes)


def invoice_attachment(
    attachments: Attachments, *, max_bytes: int = MAX_XML_BYTES
) -> tuple[str, bytes] | None:
    """The e-invoice attachment (name, bytes): a standard name first, else any `*.xml` whose
    root is a CII or UBL invoice. None when there is none.

    Raises `EInvoiceTooLargeError` above `max_bytes`, `EInvoiceError` when the attachments
    cannot be read."""
    if attachments.unreadable is not None:
        raise EInvoiceError(f"PDF attachments cannot be read ({attachments.unreadable})")
    files = attachments.files
    named = [file for file in files if file.name.casefold() in KNOWN_NAMES]
    named.sort(key=lambda file: KNOWN_NAMES.index(file.name.casefold()))
    others = [file for file in files if file not in named]
    for file in [*named, *others]:
        if file.unreadable is not None:
            raise EInvoiceError(f"PDF attachments cannot be read ({file.unreadable})")
        if file.declared_size is not None and file.declared_size > max_bytes:
            raise EInvoiceTooLargeError(f"XML attachment declares {file.declared_size} bytes")
        if file.size is not None and file.size > max_bytes:
            raise EInvoiceTooLargeError(f"XML attachment has {file.size} bytes")
        if file in named or _is_invoice(file.content):
            return file.name, file.content
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
    return einvoice_of(xml_attachments(reader, max_bytes=max_bytes), max_bytes=max_bytes)


def einvoice_of(attachments: Attachments, *, max_bytes: int = MAX_XML_BYTES) -> EInvoice | None:
    """The e-invoice among a PDF's XML attachments, parsed; None when there is none. Raises
    `EInvoiceError` when there is one that cannot be read."""
    found = invoice_attachment(attachments, max_bytes=max_bytes)
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
