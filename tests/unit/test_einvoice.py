"""Embedded e-invoices: CII (ZUGFeRD 1.x/2.x, Factur-X, XRechnung) and UBL read exactly,
cross-checked against the visible text, stripped for the text-path benchmark, parsed safely."""

import io
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from extractor.einvoice.cross_check import cross_check
from extractor.einvoice.embedded import (
    EInvoice,
    EInvoiceError,
    EInvoiceTooLargeError,
    embedded_xml,
    parse_einvoice,
    read_einvoice,
    strip_attachments,
)
from extractor.errors import InputError, LimitExceededError
from extractor.pipeline import Extractor
from extractor.read.pdf import read_pdf
from extractor.result import ExtractionResult, Status
from extractor.settings import load_settings
from schemas import get_schema
from schemas.invoice import Invoice
from tests.conftest import ROOT, require
from tests.facturx_factory import FacturxInvoice, cii_xml, facturx_pdf, write_facturx_pdf
from tests.fakes import ScriptedBackend

CORPUS = ROOT.parent / "shared" / "corpus" / "invoices-dev"
CORPUS_PDFS = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.pdf"))
LIMITS = {"max_pages": 50, "max_bytes": 50_000_000}


def _text(path: Path) -> str:
    return read_pdf(path, **LIMITS).full


def _corpus(name: str) -> Path:
    require(CORPUS.is_dir(), f"shared corpus not found at {CORPUS}")
    return CORPUS / name


# --- the shared corpus ---------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    require(CORPUS.is_dir(), f"shared corpus not found at {CORPUS}")
    assert len(CORPUS_PDFS) == 76


@pytest.mark.parametrize("name", CORPUS_PDFS)
def test_corpus_pdf_yields_an_exact_invoice_that_matches_its_text(name: str) -> None:
    path = _corpus(name)
    einvoice = read_einvoice(PdfReader(path))
    assert einvoice is not None
    assert einvoice.syntax == "CII"
    assert einvoice.profile
    invoice = Invoice.model_validate(einvoice.data())
    assert invoice.invoice_number
    assert invoice.issue_date is not None
    assert invoice.currency
    assert invoice.total_gross is not None
    failed = [check for check in cross_check(einvoice, _text(path)) if not check.passed]
    assert failed == []


@pytest.mark.parametrize(
    "name",
    [
        "intarsys/EN16931/zugferd_2p0_EN16931_Einfach.pdf",
        "symtrax/Beispiele/EN16931/zugferd_2p1_EN16931_Elektron.pdf",  # three attachments
        "Mustangproject/MustangGnuaccountingBeispielRE-20201121_508.pdf",
        "FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf",
    ],
)
def test_strip_attachments_keeps_pages_and_text(name: str, tmp_path: Path) -> None:
    source = _corpus(name)
    target = tmp_path / "stripped.pdf"
    strip_attachments(source, target)
    stripped = PdfReader(target)
    assert stripped.attachments == {}
    assert embedded_xml(stripped) is None
    assert "/AF" not in stripped.root_object
    assert len(stripped.pages) == len(PdfReader(source).pages)
    assert _text(target) == _text(source)
    assert target.stat().st_size < source.stat().st_size  # the file streams are gone too


# --- synthetic Factur-X --------------------------------------------------------------------


def test_synthetic_facturx_is_read_exactly_and_matches_its_text(tmp_path: Path) -> None:
    invoice = FacturxInvoice()
    path = write_facturx_pdf(tmp_path / "fx.pdf", invoice)
    einvoice = read_einvoice(PdfReader(path))
    assert einvoice is not None
    assert (einvoice.syntax, einvoice.profile) == ("CII", "urn:cen.eu:en16931:2017")
    assert einvoice.attachment == "factur-x.xml"
    assert einvoice.data() == invoice.expected_data()
    by_path = {value.path: value for value in einvoice.values}
    assert by_path["invoice_number"].element == (
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"
    )
    assert by_path["lines.1.net_amount"].element.endswith(
        "/ram:IncludedSupplyChainTradeLineItem[2]/ram:SpecifiedLineTradeSettlement"
        "/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
    )
    checks = cross_check(einvoice, _text(path))
    assert [check.rule for check in checks] == [
        "xml_matches_text:invoice_number",
        "xml_matches_text:total_gross",
        "xml_matches_text:issue_date",
    ]
    assert all(check.passed for check in checks)


def test_altered_visible_total_fails_the_gross_check_without_leaking_it(tmp_path: Path) -> None:
    shown = Decimal("1290.00")
    path = write_facturx_pdf(tmp_path / "altered.pdf", visible_gross=shown)
    einvoice = read_einvoice(PdfReader(path))
    assert einvoice is not None
    results = {check.rule: check for check in cross_check(einvoice, _text(path))}
    failed = results["xml_matches_text:total_gross"]
    assert not failed.passed
    assert failed.fields == ("total_gross",)
    for value in ("1290", "1.290,00", "1190", "1.190,00", "1190.00", "1290.00"):
        assert value not in failed.detail
    assert results["xml_matches_text:invoice_number"].passed
    assert results["xml_matches_text:issue_date"].passed


def test_checks_are_made_only_for_fields_the_xml_carries() -> None:
    einvoice = parse_einvoice(_MINIMAL_CII, "factur-x.xml")
    assert [check.rule for check in cross_check(einvoice, "Rechnung X-1")] == [
        "xml_matches_text:invoice_number"
    ]
    assert cross_check(EInvoice("CII", None, "x.xml", ()), "anything") == []


def test_cross_check_reads_credit_note_signs_us_dates_and_glued_text() -> None:
    invoice = parse_einvoice(cii_xml(FacturxInvoice(number="AV 17")), "factur-x.xml")
    text = "Avoir AV17\nNr.AV17vom03/05/2024\nTotal TTC -1 190,00 €"
    assert all(check.passed for check in cross_check(invoice, text))
    assert not any(check.passed for check in cross_check(invoice, "Nr. 18 vom 06.03.2024 1,00"))


def test_strip_attachments_on_synthetic_pdf(tmp_path: Path) -> None:
    source = write_facturx_pdf(tmp_path / "fx.pdf")
    target = tmp_path / "stripped.pdf"
    strip_attachments(source, target)
    assert PdfReader(target).attachments == {}
    assert read_einvoice(PdfReader(target)) is None
    assert _text(target) == _text(source)


def test_attachment_with_another_xml_name_is_found_by_its_root() -> None:
    reader = PdfReader(io.BytesIO(facturx_pdf(attachment_name="invoice-data.xml")))
    found = embedded_xml(reader)
    assert found is not None
    assert found[0] == "invoice-data.xml"


def test_unrelated_xml_attachment_is_not_an_einvoice() -> None:
    pdf = facturx_pdf(xml=b"<config><x>1</x></config>", attachment_name="settings.xml")
    assert read_einvoice(PdfReader(io.BytesIO(pdf))) is None


def test_oversized_attachment_raises_a_typed_error() -> None:
    reader = PdfReader(io.BytesIO(facturx_pdf()))
    with pytest.raises(EInvoiceTooLargeError) as raised:
        embedded_xml(reader, max_bytes=1000)
    assert isinstance(raised.value, EInvoiceError)
    assert isinstance(raised.value, LimitExceededError)


# --- other syntaxes ------------------------------------------------------------------------

_MINIMAL_CII = b"""<rsm:CrossIndustryInvoice
 xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
 <rsm:ExchangedDocument><ram:ID> X-1 </ram:ID></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>"""

ZUGFERD_1 = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
 <rsm:SpecifiedExchangedDocumentContext>
  <ram:GuidelineSpecifiedDocumentContextParameter>
   <ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID>
  </ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:SpecifiedExchangedDocumentContext>
 <rsm:HeaderExchangedDocument>
  <ram:ID>471102</ram:ID><ram:Name>RECHNUNG</ram:Name><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20130305</udt:DateTimeString></ram:IssueDateTime>
 </rsm:HeaderExchangedDocument>
 <rsm:SpecifiedSupplyChainTradeTransaction>
  <ram:ApplicableSupplyChainTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
    <ram:PostalTradeAddress><ram:PostcodeCode>80333</ram:PostcodeCode>
     <ram:LineOne>Lieferantenstraße 20</ram:LineOne><ram:CityName>München</ram:CityName>
     <ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Kunden AG Mitte</ram:Name></ram:BuyerTradeParty>
   <ram:BuyerOrderReferencedDocument><ram:ID>AB-312</ram:ID></ram:BuyerOrderReferencedDocument>
  </ram:ApplicableSupplyChainTradeAgreement>
  <ram:ApplicableSupplyChainTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE08700901001234567890</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:SpecifiedTradePaymentTerms>
    <ram:DueDateDateTime><udt:DateTimeString format="102">20130404</udt:DateTimeString></ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementMonetarySummation>
    <ram:LineTotalAmount currencyID="EUR">198.00</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount currencyID="EUR">198.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">37.62</ram:TaxTotalAmount>
    <ram:GrandTotalAmount currencyID="EUR">235.62</ram:GrandTotalAmount>
    <ram:DuePayableAmount currencyID="EUR">235.62</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementMonetarySummation>
  </ram:ApplicableSupplyChainTradeSettlement>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:SpecifiedSupplyChainTradeAgreement>
    <ram:NetPriceProductTradePrice><ram:ChargeAmount currencyID="EUR">99.00</ram:ChargeAmount>
     <ram:BasisQuantity unitCode="C62">10</ram:BasisQuantity></ram:NetPriceProductTradePrice>
   </ram:SpecifiedSupplyChainTradeAgreement>
   <ram:SpecifiedSupplyChainTradeDelivery><ram:BilledQuantity unitCode="C62">20.0000</ram:BilledQuantity></ram:SpecifiedSupplyChainTradeDelivery>
   <ram:SpecifiedSupplyChainTradeSettlement><ram:SpecifiedTradeSettlementMonetarySummation>
    <ram:LineTotalAmount currencyID="EUR">198.00</ram:LineTotalAmount>
   </ram:SpecifiedTradeSettlementMonetarySummation></ram:SpecifiedSupplyChainTradeSettlement>
   <ram:SpecifiedTradeProduct><ram:Name>Trennblätter A4</ram:Name></ram:SpecifiedTradeProduct>
  </ram:IncludedSupplyChainTradeLineItem>
 </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>""".encode()  # noqa: E501


def test_zugferd_1_document() -> None:
    einvoice = parse_einvoice(ZUGFERD_1, "ZUGFeRD-invoice.xml")
    assert einvoice.syntax == "CII"
    assert einvoice.profile == "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"
    assert einvoice.data() == {
        "invoice_number": "471102",
        "issue_date": date(2013, 3, 5),
        "due_date": date(2013, 4, 4),
        "currency": "EUR",
        "purchase_order": "AB-312",
        "seller": {
            "name": "Lieferant GmbH",
            "vat_id": "DE123456789",
            "address": "Lieferantenstraße 20, 80333 München, DE",
        },
        "buyer": {"name": "Kunden AG Mitte"},
        "iban": "DE08700901001234567890",
        "total_net": Decimal("198.00"),
        "total_tax": Decimal("37.62"),
        "total_gross": Decimal("235.62"),
        "amount_due": Decimal("235.62"),
        # unit price per one billed unit: 99.00 per basis quantity 10
        "lines": [
            {
                "description": "Trennblätter A4",
                "quantity": Decimal("20.0000"),
                "unit_price": Decimal("9.9"),
                "net_amount": Decimal("198.00"),
            }
        ],
    }
    vat = next(value for value in einvoice.values if value.path == "seller.vat_id")
    assert vat.element.endswith("/ram:SellerTradeParty/ram:SpecifiedTaxRegistration[2]/ram:ID")
    assert vat.element.startswith(
        "/rsm:CrossIndustryDocument/rsm:SpecifiedSupplyChainTradeTransaction"
    )


_UBL_PARTIES = """
 <cac:AccountingSupplierParty><cac:Party>
  <cac:PartyName><cbc:Name>Seller Trading Name</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:StreetName>Main Street 1</cbc:StreetName>
   <cbc:AdditionalStreetName>Building B</cbc:AdditionalStreetName>
   <cbc:CityName>Utrecht</cbc:CityName><cbc:PostalZone>3511 AB</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>NL123456789B01</cbc:CompanyID>
   <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  <cac:PartyLegalEntity><cbc:RegistrationName>Seller B.V.</cbc:RegistrationName></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cac:PostalAddress><cbc:CityName>Berlin</cbc:CityName><cbc:PostalZone>10115</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>12/345/67890</cbc:CompanyID>
   <cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  <cac:PartyLegalEntity><cbc:RegistrationName>Buyer GmbH</cbc:RegistrationName></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingCustomerParty>
 <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
  <cbc:PaymentDueDate>2024-02-15</cbc:PaymentDueDate>
  <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount>
 </cac:PaymentMeans>
 <cac:TaxTotal><cbc:TaxAmount currencyID="USD">99.00</cbc:TaxAmount></cac:TaxTotal>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount></cac:TaxTotal>
 <cac:LegalMonetaryTotal>
  <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>"""  # noqa: E501


def _ubl(kind: str, header: str, line: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{kind} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{kind}-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 {header}
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:OrderReference><cbc:ID>PO-55</cbc:ID></cac:OrderReference>
 {_UBL_PARTIES}
 {line}
</{kind}>""".encode()


_UBL_EXPECTED = {
    "currency": "EUR",
    "purchase_order": "PO-55",
    "seller": {
        "name": "Seller B.V.",
        "vat_id": "NL123456789B01",
        "address": "Main Street 1, Building B, 3511 AB Utrecht, NL",
    },
    "buyer": {"name": "Buyer GmbH", "address": "10115 Berlin, DE"},
    "iban": "NL91ABNA0417164300",
    "total_net": Decimal("100.00"),
    "total_tax": Decimal("21.00"),
    "total_gross": Decimal("121.00"),
    "amount_due": Decimal("121.00"),
}


def test_ubl_invoice() -> None:
    xml = _ubl(
        "Invoice",
        "<cbc:ID>INV-2024-7</cbc:ID><cbc:IssueDate>2024-01-16</cbc:IssueDate>"
        "<cbc:DueDate>2024-02-16</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        """<cac:InvoiceLine><cbc:ID>1</cbc:ID>
  <cbc:InvoicedQuantity unitCode="H87">4</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Widget</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">25.00</cbc:PriceAmount></cac:Price>
 </cac:InvoiceLine>""",
    )
    einvoice = parse_einvoice(xml, "xrechnung.xml")
    assert einvoice.syntax == "UBL"
    assert einvoice.profile is not None
    assert einvoice.profile.startswith("urn:cen.eu:en16931:2017")
    assert einvoice.data() == {
        "invoice_number": "INV-2024-7",
        "issue_date": date(2024, 1, 16),
        "due_date": date(2024, 2, 16),
        **_UBL_EXPECTED,
        "lines": [
            {
                "description": "Widget",
                "quantity": Decimal("4"),
                "unit_price": Decimal("25.00"),
                "net_amount": Decimal("100.00"),
            }
        ],
    }
    number = einvoice.values[0]
    assert (number.path, number.element) == ("invoice_number", "/ubl:Invoice/cbc:ID")


def test_ubl_credit_note() -> None:
    xml = _ubl(
        "CreditNote",
        "<cbc:ID>CN-9</cbc:ID><cbc:IssueDate>2024-01-17Z</cbc:IssueDate>"
        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        """<cac:CreditNoteLine><cbc:ID>1</cbc:ID>
  <cbc:CreditedQuantity unitCode="KGM">200</cbc:CreditedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Flour</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">50.00</cbc:PriceAmount>
   <cbc:BaseQuantity unitCode="KGM">100</cbc:BaseQuantity></cac:Price>
 </cac:CreditNoteLine>""",
    )
    einvoice = parse_einvoice(xml, "creditnote.xml")
    assert einvoice.syntax == "UBL"
    data = einvoice.data()
    assert data == {
        "invoice_number": "CN-9",
        "issue_date": date(2024, 1, 17),
        "due_date": date(2024, 2, 15),  # a credit note's due date is in its payment means
        **_UBL_EXPECTED,
        "lines": [
            {
                "description": "Flour",
                "quantity": Decimal("200"),
                "unit_price": Decimal("0.5"),
                "net_amount": Decimal("100.00"),
            }
        ],
    }
    Invoice.model_validate(data)


# --- hostile and broken input --------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
 <rsm:ExchangedDocument><ram:ID>&lol9;</ram:ID></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/hostname">
 <!ENTITY remote SYSTEM "http://192.0.2.1/x.xml">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
 <rsm:ExchangedDocument><ram:ID>&secret;&remote;</ram:ID></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>"""


@pytest.mark.parametrize(
    "xml",
    [
        pytest.param(b"<rsm:CrossIndustryInvoice><unclosed>", id="malformed"),
        pytest.param(b"", id="empty"),
        pytest.param(b"not xml at all", id="text"),
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(EXTERNAL_ENTITY, id="external-entity"),
        pytest.param(b"<Invoice xmlns='urn:example:other'><ID>1</ID></Invoice>", id="unknown-root"),
        pytest.param(b"<html><body>Invoice</body></html>", id="html"),
    ],
)
def test_bad_xml_raises_einvoice_error(xml: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(EInvoiceError) as raised:
        parse_einvoice(xml, "factur-x.xml")
    assert time.perf_counter() - started < 1  # no expansion, no network wait
    assert raised.value.code == "einvoice_invalid"
    assert raised.value.retryable is False
    assert isinstance(raised.value, InputError)
    assert "lol" not in str(raised.value)


@pytest.mark.parametrize(
    ("replace", "by"),
    [
        (b"<ram:GrandTotalAmount>1190.00<", b"<ram:GrandTotalAmount>1.190,00<"),
        (b">20240305<", b">20240231<"),
        (b"<ram:InvoiceCurrencyCode>EUR<", b"<ram:InvoiceCurrencyCode>euro<"),
    ],
    ids=["amount", "date", "currency"],
)
def test_values_that_break_their_type_raise_without_the_value(replace: bytes, by: bytes) -> None:
    xml = cii_xml(FacturxInvoice())
    assert replace in xml
    with pytest.raises(EInvoiceError) as raised:
        parse_einvoice(xml.replace(replace, by), "factur-x.xml")
    message = str(raised.value)
    assert not any(part in message for part in ("1.190", "20240231", "euro"))


def test_unreadable_known_attachment_raises_on_read() -> None:
    pdf = facturx_pdf(xml=b"<broken")
    assert embedded_xml(PdfReader(io.BytesIO(pdf))) == ("factur-x.xml", b"<broken")
    with pytest.raises(EInvoiceError):
        read_einvoice(PdfReader(io.BytesIO(pdf)))


# --- status: exact values whose invoice breaks a business rule ------------------------------


def _extract(path: Path) -> ExtractionResult:
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    result = extractor.extract(path, get_schema("invoice"))
    assert isinstance(result, ExtractionResult)
    return result


def test_an_einvoice_breaking_its_own_business_rule_succeeds_with_an_advisory(
    tmp_path: Path,
) -> None:
    late = FacturxInvoice(issue_date=date(2024, 3, 5), due_date=date(2024, 2, 4))
    result = _extract(write_facturx_pdf(tmp_path / "due_first.pdf", late))
    assert result.status == Status.SUCCEEDED
    (error,) = [e for e in result.errors if e.code == "check:due_not_before_issue"]
    assert error.advisory and error.fields == ("issue_date", "due_date")
    assert result.review_fields == []
    assert result.field("due_date").confidence == 1.0  # type: ignore[union-attr]


def test_an_einvoice_whose_visible_total_differs_goes_to_review(tmp_path: Path) -> None:
    result = _extract(write_facturx_pdf(tmp_path / "altered.pdf", visible_gross=Decimal("1290")))
    assert result.status == Status.NEEDS_REVIEW
    (error,) = [e for e in result.errors if e.code == "check:xml_matches_text:total_gross"]
    assert not error.advisory
    assert "total_gross" in result.review_fields
