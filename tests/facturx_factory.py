"""Synthetic Factur-X (CII, EN 16931 profile) test PDFs: a visible invoice drawn with
reportlab and its machine-readable twin embedded as `factur-x.xml`.

`visible_gross` draws a different gross total than the XML carries, for tests of the
XML-versus-text cross-check.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class FacturxLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    net_amount: Decimal


@dataclass(frozen=True)
class FacturxParty:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    vat_id: str | None = None

    @property
    def address(self) -> str:
        """As `extractor.einvoice.embedded` composes it."""
        return f"{self.street}, {self.postcode} {self.city}, {self.country}"


@dataclass(frozen=True)
class FacturxInvoice:
    number: str = "RE-2024-0042"
    issue_date: date = date(2024, 3, 5)
    due_date: date = date(2024, 4, 4)
    currency: str = "EUR"
    purchase_order: str = "PO-7781"
    seller: FacturxParty = FacturxParty(
        "Müller Büroservice GmbH", "Hauptstraße 5", "80331", "München", "DE", "DE123456789"
    )
    buyer: FacturxParty = FacturxParty(
        "Kunden AG", "Kundenweg 12", "60311", "Frankfurt am Main", "DE", "DE987654321"
    )
    iban: str = "DE89370400440532013000"
    lines: tuple[FacturxLine, ...] = field(
        default=(
            FacturxLine("Beratung", Decimal("6.00"), Decimal("100.00"), Decimal("600.00")),
            FacturxLine("Papier A4", Decimal("20.00"), Decimal("20.00"), Decimal("400.00")),
        )
    )
    total_net: Decimal = Decimal("1000.00")
    total_tax: Decimal = Decimal("190.00")
    total_gross: Decimal = Decimal("1190.00")
    amount_due: Decimal = Decimal("1190.00")

    def expected_data(self) -> dict[str, object]:
        """What `EInvoice.data()` must return for this invoice's XML."""

        def party(p: FacturxParty) -> dict[str, object]:
            return {"name": p.name, "vat_id": p.vat_id, "address": p.address}

        return {
            "invoice_number": self.number,
            "issue_date": self.issue_date,
            "due_date": self.due_date,
            "currency": self.currency,
            "purchase_order": self.purchase_order,
            "seller": party(self.seller),
            "buyer": party(self.buyer),
            "iban": self.iban,
            "total_net": self.total_net,
            "total_tax": self.total_tax,
            "total_gross": self.total_gross,
            "amount_due": self.amount_due,
            "lines": [
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "net_amount": line.net_amount,
                }
                for line in self.lines
            ],
        }


def _ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def _party_xml(tag: str, party: FacturxParty) -> str:
    vat = (
        f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{escape(party.vat_id)}</ram:ID>'
        "</ram:SpecifiedTaxRegistration>"
        if party.vat_id
        else ""
    )
    return (
        f"<ram:{tag}><ram:Name>{escape(party.name)}</ram:Name><ram:PostalTradeAddress>"
        f"<ram:PostcodeCode>{escape(party.postcode)}</ram:PostcodeCode>"
        f"<ram:LineOne>{escape(party.street)}</ram:LineOne>"
        f"<ram:CityName>{escape(party.city)}</ram:CityName>"
        f"<ram:CountryID>{escape(party.country)}</ram:CountryID>"
        f"</ram:PostalTradeAddress>{vat}</ram:{tag}>"
    )


def cii_xml(invoice: FacturxInvoice) -> bytes:
    """A minimal Factur-X EN 16931 CII document for the invoice."""
    lines = "".join(
        f"""
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>{index}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>{escape(line.description)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{line.unit_price}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">{line.quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{line.net_amount}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>"""  # noqa: E501
        for index, line in enumerate(invoice.lines, start=1)
    )
    cur = escape(invoice.currency)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{escape(invoice.number)}</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{_ymd(invoice.issue_date)}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{lines}
    <ram:ApplicableHeaderTradeAgreement>
      {_party_xml("SellerTradeParty", invoice.seller)}
      {_party_xml("BuyerTradeParty", invoice.buyer)}
      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{escape(invoice.purchase_order)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>{cur}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>58</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{escape(invoice.iban)}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>{invoice.total_tax}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>{invoice.total_net}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">{_ymd(invoice.due_date)}</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{invoice.total_net}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{invoice.total_net}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="{cur}">{invoice.total_tax}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{invoice.total_gross}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{invoice.amount_due}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""  # noqa: E501
    return text.encode("utf-8")


def german_amount(amount: Decimal) -> str:
    """1234.5 -> "1.234,50"."""
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def draw_invoice(invoice: FacturxInvoice, *, visible_gross: Decimal | None = None) -> bytes:
    """The visible invoice as a one-page PDF (German labels and number formats)."""
    gross = german_amount(invoice.total_gross if visible_gross is None else visible_gross)
    due = german_amount(invoice.amount_due if visible_gross is None else visible_gross)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    rows = [
        invoice.seller.name,
        f"{invoice.seller.street}, {invoice.seller.postcode} {invoice.seller.city}",
        f"USt-IdNr.: {invoice.seller.vat_id}",
        "",
        invoice.buyer.name,
        invoice.buyer.street,
        f"{invoice.buyer.postcode} {invoice.buyer.city}",
        "",
        "RECHNUNG",
        f"Rechnungsnummer: {invoice.number}",
        f"Rechnungsdatum: {invoice.issue_date:%d.%m.%Y}",
        f"Bestellnummer: {invoice.purchase_order}",
        "",
        "Pos  Beschreibung  Menge  Einzelpreis  Betrag",
        *(
            f"{index}  {line.description}  {german_amount(line.quantity)}  "
            f"{german_amount(line.unit_price)}  {german_amount(line.net_amount)}"
            for index, line in enumerate(invoice.lines, start=1)
        ),
        "",
        f"Nettobetrag: {german_amount(invoice.total_net)} {invoice.currency}",
        f"MwSt 19 %: {german_amount(invoice.total_tax)} {invoice.currency}",
        f"Gesamtbetrag: {gross} {invoice.currency}",
        f"Zahlbetrag: {due} {invoice.currency}",
        f"Zahlbar bis {invoice.due_date:%d.%m.%Y} auf IBAN {invoice.iban}",
    ]
    y = 800.0
    for row in rows:
        pdf.drawString(60, y, row)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def facturx_pdf(
    invoice: FacturxInvoice | None = None,
    *,
    visible_gross: Decimal | None = None,
    xml: bytes | None = None,
    attachment_name: str = "factur-x.xml",
) -> bytes:
    """The drawn invoice with `xml` (default: `cii_xml(invoice)`) embedded."""
    invoice = invoice or FacturxInvoice()
    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(draw_invoice(invoice, visible_gross=visible_gross)))
    )
    writer.add_attachment(attachment_name, xml if xml is not None else cii_xml(invoice))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write_facturx_pdf(
    path: Path,
    invoice: FacturxInvoice | None = None,
    *,
    visible_gross: Decimal | None = None,
    xml: bytes | None = None,
    attachment_name: str = "factur-x.xml",
) -> Path:
    """`facturx_pdf(...)` written to `path`; returns `path`."""
    pdf = facturx_pdf(
        invoice, visible_gross=visible_gross, xml=xml, attachment_name=attachment_name
    )
    path.write_bytes(pdf)
    return path
