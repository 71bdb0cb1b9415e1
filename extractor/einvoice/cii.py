"""UN/CEFACT Cross Industry Invoice: ZUGFeRD 2.x, Factur-X and XRechnung (CII D16B), and
ZUGFeRD 1.x (`CrossIndustryDocument`), mapped onto the invoice schema.

The two generations share the data model; only some aggregate names and the namespace
versions differ, so one mapping reads both through a `CiiDialect`.
"""

from dataclasses import dataclass

from extractor.einvoice.xml_tree import (
    Collector,
    Element,
    XmlValue,
    compose_address,
    decimal_of,
    find,
    text_of,
)


@dataclass(frozen=True)
class CiiDialect:
    root: str  # Clark name of the root element
    namespaces: dict[str, str]
    context: str
    header: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str


_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity"
_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType"
_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_ZF1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"

CII_D16B = CiiDialect(
    root=f"{{{_CII}}}CrossIndustryInvoice",
    namespaces={"rsm": _CII, "ram": f"{_RAM}:100", "udt": f"{_UDT}:100"},
    context="rsm:ExchangedDocumentContext",
    header="rsm:ExchangedDocument",
    transaction="rsm:SupplyChainTradeTransaction",
    agreement="ram:ApplicableHeaderTradeAgreement",
    settlement="ram:ApplicableHeaderTradeSettlement",
    summation="ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    line_agreement="ram:SpecifiedLineTradeAgreement",
    line_delivery="ram:SpecifiedLineTradeDelivery",
    line_settlement="ram:SpecifiedLineTradeSettlement",
    line_summation="ram:SpecifiedTradeSettlementLineMonetarySummation",
)
ZUGFERD_1 = CiiDialect(
    root=f"{{{_ZF1}}}CrossIndustryDocument",
    namespaces={"rsm": _ZF1, "ram": f"{_RAM}:12", "udt": f"{_UDT}:15"},
    context="rsm:SpecifiedExchangedDocumentContext",
    header="rsm:HeaderExchangedDocument",
    transaction="rsm:SpecifiedSupplyChainTradeTransaction",
    agreement="ram:ApplicableSupplyChainTradeAgreement",
    settlement="ram:ApplicableSupplyChainTradeSettlement",
    summation="ram:SpecifiedTradeSettlementMonetarySummation",
    line_agreement="ram:SpecifiedSupplyChainTradeAgreement",
    line_delivery="ram:SpecifiedSupplyChainTradeDelivery",
    line_settlement="ram:SpecifiedSupplyChainTradeSettlement",
    line_summation="ram:SpecifiedTradeSettlementMonetarySummation",
)
DIALECTS = {dialect.root: dialect for dialect in (CII_D16B, ZUGFERD_1)}


def parse_cii(root: Element, dialect: CiiDialect) -> tuple[str | None, list[XmlValue]]:
    """The guideline id (profile) and the schema values of a CII invoice."""
    ns = dialect.namespaces
    out = Collector()
    profile = text_of(
        find(root, f"{dialect.context}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", ns)
    )
    header = root.find(dialect.header, ns)
    out.text("invoice_number", find(header, "ram:ID", ns))
    out.cii_date("issue_date", find(header, "ram:IssueDateTime/udt:DateTimeString", ns))

    transaction = root.find(dialect.transaction, ns)
    agreement = find(transaction, dialect.agreement, ns)
    settlement = find(transaction, dialect.settlement, ns)
    currency = text_of(find(settlement, "ram:InvoiceCurrencyCode", ns))
    out.cii_date(
        "due_date",
        find(
            settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", ns
        ),
    )
    out.text("currency", find(settlement, "ram:InvoiceCurrencyCode", ns))
    order = find(agreement, "ram:BuyerOrderReferencedDocument", ns)
    # CII D16B names the order number ram:IssuerAssignedID, ZUGFeRD 1.x ram:ID.
    order_id = find(order, "ram:IssuerAssignedID", ns)
    out.text("purchase_order", order_id if order_id is not None else find(order, "ram:ID", ns))
    for role, tag in (("seller", "ram:SellerTradeParty"), ("buyer", "ram:BuyerTradeParty")):
        _party(out, role, find(agreement, tag, ns), ns)
    out.code(
        "iban",
        find(
            settlement,
            "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount"
            "/ram:IBANID",
            ns,
        ),
    )
    summation = find(settlement, dialect.summation, ns)
    out.amount("total_net", find(summation, "ram:TaxBasisTotalAmount", ns))
    out.amount("total_tax", _tax_total(summation, currency, ns))
    out.amount("total_gross", find(summation, "ram:GrandTotalAmount", ns))
    out.amount("amount_due", find(summation, "ram:DuePayableAmount", ns))
    items = (
        []
        if transaction is None
        else transaction.findall("ram:IncludedSupplyChainTradeLineItem", ns)
    )
    for index, item in enumerate(items):
        _line(out, f"lines.{index}", item, dialect)
    return profile, out.values


def _party(out: Collector, role: str, party: Element | None, ns: dict[str, str]) -> None:
    out.text(f"{role}.name", find(party, "ram:Name", ns))
    out.code(
        f"{role}.vat_id", find(party, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", ns)
    )
    address = find(party, "ram:PostalTradeAddress", ns)
    if address is None:
        return
    composed = compose_address(
        [text_of(address.find(f"ram:{line}", ns)) for line in ("LineOne", "LineTwo", "LineThree")],
        text_of(address.find("ram:PostcodeCode", ns)),
        text_of(address.find("ram:CityName", ns)),
        text_of(address.find("ram:CountryID", ns)),
    )
    if composed is not None:
        out.add(f"{role}.address", composed, address)


def _tax_total(
    summation: Element | None, currency: str | None, ns: dict[str, str]
) -> Element | None:
    """BT-110: the TaxTotalAmount in the invoice currency, or the only one there is (EXTENDED
    may carry a second one in the tax accounting currency, BT-111)."""
    totals = [] if summation is None else summation.findall("ram:TaxTotalAmount", ns)
    in_currency = [total for total in totals if total.get("currencyID") == currency]
    if in_currency:
        return in_currency[0]
    return totals[0] if len(totals) == 1 else None


def _line(out: Collector, prefix: str, item: Element, dialect: CiiDialect) -> None:
    """description BT-153, quantity BT-129, unit price BT-146 (the net price divided by its
    base quantity BT-149 when that is present and not 1, so it is always per one billed unit),
    net amount BT-131."""
    ns = dialect.namespaces
    out.text(f"{prefix}.description", item.find("ram:SpecifiedTradeProduct/ram:Name", ns))
    quantity = item.find(f"{dialect.line_delivery}/ram:BilledQuantity", ns)
    if quantity is not None and text_of(quantity) is not None:
        out.add(f"{prefix}.quantity", decimal_of(quantity, f"{prefix}.quantity"), quantity)
    price = item.find(f"{dialect.line_agreement}/ram:NetPriceProductTradePrice", ns)
    out.amount(
        f"{prefix}.unit_price",
        find(price, "ram:ChargeAmount", ns),
        per=find(price, "ram:BasisQuantity", ns),
    )
    out.amount(
        f"{prefix}.net_amount",
        item.find(f"{dialect.line_settlement}/{dialect.line_summation}/ram:LineTotalAmount", ns),
    )
