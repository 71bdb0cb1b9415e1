"""Shared pieces of the e-invoice readers: the safe XML parser, typed values with provenance,
and the collector that the CII and UBL mappings fill.

Nothing here puts a document value into a message: errors name the schema path or the
element, never its content.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from extractor.errors import InputError, LimitExceededError

Element = etree._Element

# Canonical prefixes used in provenance paths, whatever prefixes the document declares.
PREFIXES: dict[str, str] = {
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100": "rsm",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100": "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100": "udt",
    "urn:un:unece:uncefact:data:standard:QualifiedDataType:100": "qdt",
    "urn:ferd:CrossIndustryDocument:invoice:1p0": "rsm",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12": "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15": "udt",
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "ubl",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "cn",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
}
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CII_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class EInvoiceError(InputError):
    """The embedded e-invoice cannot be read: malformed XML, an unknown root, a value that
    breaks its data type. Callers may fall back to the text path."""

    code = "einvoice_invalid"
    retryable = False


class EInvoiceTooLargeError(EInvoiceError, LimitExceededError):
    """The e-invoice attachment is larger than the reader accepts."""

    code = "einvoice_too_large"


@dataclass(frozen=True)
class XmlValue:
    """One schema leaf read from the XML, with the XPath of the element it came from."""

    path: str  # flat schema path: "invoice_number", "seller.name", "lines.0.net_amount"
    value: str | date | Decimal
    element: str  # "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"


def parse_xml(xml: bytes) -> Element:
    """Parse without DTDs, entity expansion or network access; a DOCTYPE is refused."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise EInvoiceError("e-invoice XML is not well-formed") from error
    if root is None:
        raise EInvoiceError("e-invoice XML has no root element")
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise EInvoiceError("e-invoice XML declares a DOCTYPE, which is not accepted")
    return root


def xpath_of(element: Element) -> str:
    """An XPath that selects exactly this element, with canonical namespace prefixes."""
    steps: list[str] = []
    node: Element | None = element
    while node is not None:
        qname = etree.QName(node)
        prefix = PREFIXES.get(qname.namespace or "", node.prefix or "")
        step = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = node.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))


def text_of(element: Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(str(part) for part in element.itertext()).split())
    return text or None


def find(element: Element | None, path: str, namespaces: dict[str, str]) -> Element | None:
    return None if element is None else element.find(path, namespaces)


def decimal_of(element: Element, path: str) -> Decimal:
    raw = text_of(element) or ""
    if not _DECIMAL.fullmatch(raw):
        raise EInvoiceError(f"{path}: the XML value is not a decimal number")
    return Decimal(raw)


def compose_address(
    street: list[str | None], postcode: str | None, city: str | None, country: str | None
) -> str | None:
    """`Line one[, line two[, line three]], Postcode City[, Country code]`; absent parts are
    left out with their separator. Postcode and city are joined by one space."""
    place = " ".join(part for part in (postcode, city) if part)
    parts = [*street, place, country]
    return ", ".join(part for part in parts if part) or None


class Collector:
    """Gathers `XmlValue`s, emitting one only where the element exists and has content."""

    def __init__(self) -> None:
        self.values: list[XmlValue] = []

    def add(self, path: str, value: str | date | Decimal, element: Element) -> None:
        self.values.append(XmlValue(path, value, xpath_of(element)))

    def text(self, path: str, element: Element | None) -> None:
        text = text_of(element)
        if element is not None and text is not None:
            self.add(path, text, element)

    def code(self, path: str, element: Element | None) -> None:
        """An identifier written in groups ("DE89 3704 ..."), in its compact form, as the
        text path's normalisation gives it."""
        text = text_of(element)
        if element is not None and text is not None:
            self.add(path, "".join(text.split()).upper(), element)

    def amount(self, path: str, element: Element | None, per: Element | None = None) -> None:
        """The amount exactly as written; divided by `per` (a basis quantity) when that is
        present, positive and not 1."""
        if element is None or text_of(element) is None:
            return
        value = decimal_of(element, path)
        if per is not None and text_of(per) is not None:
            basis = decimal_of(per, path)
            if basis > 0 and basis != 1:
                value = value / basis
        self.add(path, value, element)

    def cii_date(self, path: str, element: Element | None) -> None:
        """udt:DateTimeString; format 102 (YYYYMMDD) or none. Month/week formats (610, 616)
        name no day and are not carried."""
        raw = text_of(element)
        if element is None or raw is None or element.get("format", "102") != "102":
            return
        match = _CII_DATE.fullmatch(raw)
        self.add(path, _date(match, path), element)

    def iso_date(self, path: str, element: Element | None) -> None:
        """xs:date, YYYY-MM-DD with an optional time-zone suffix."""
        raw = text_of(element)
        if element is None or raw is None:
            return
        self.add(path, _date(_ISO_DATE.match(raw), path), element)


def _date(match: re.Match[str] | None, path: str) -> date:
    if match is None:
        raise EInvoiceError(f"{path}: the XML value is not a date")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise EInvoiceError(f"{path}: the XML value is not a calendar date") from error
